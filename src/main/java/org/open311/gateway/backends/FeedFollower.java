package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.open311.gateway.observe.FeedRewinds;
import org.open311.gateway.catalogue.LiveCatalogue;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The steps of the feed route templates: follows each back end's change feed into the store. One instance
 * at a time holds a lease on each feed (feed_cursor, keyed by the back end's name); the cursor is kept in
 * the database, so a restart resumes where it stopped. Each change, from the feed, a push or a resync, is
 * read by the back end's kind mapping and applied by {@link BackendRecords} only if newer than the stored
 * record: the same change twice changes nothing.
 */
public final class FeedFollower {

    public static final String CURSOR = "open311.cursor";
    public static final String NEXT_CURSOR = "open311.nextCursor";
    /** The change being applied, read into the store's form. */
    public static final String CHANGE = "open311.change";
    /** Whether the last change applied was newer than the store's record. */
    public static final String APPLIED = "open311.applied";

    private final String instance = UUID.randomUUID().toString();
    private final DataSource store;
    private final Backends backends;
    private final Map<BackendKind, KindMapping> mappings;
    private final LiveCatalogue catalogue;
    private final BackendRecords records;
    private final Outbox outbox;
    private final Duration lease;
    private final Clock clock;

    public FeedFollower(DataSource store, Backends backends, Map<BackendKind, KindMapping> mappings, LiveCatalogue catalogue,
                        BackendRecords records, Outbox outbox, Duration lease, Clock clock) {
        this.store = store;
        this.backends = backends;
        this.mappings = Map.copyOf(mappings);
        this.catalogue = catalogue;
        this.records = records;
        this.outbox = outbox;
        this.lease = lease;
        this.clock = clock;
    }

    /** Takes (or renews) this instance's lease on the back end's feed; false while another instance holds it. */
    public boolean lease(String backend) throws SQLException {
        OffsetDateTime now = now();
        try (Connection connection = store.getConnection()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE feed_cursor SET lease_owner = ?, lease_until = ?"
                    + " WHERE backend = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")) {
                update.setString(1, instance);
                update.setObject(2, now.plus(lease));
                update.setString(3, backend);
                update.setString(4, instance);
                update.setObject(5, now);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            // a back end configured since the last start: its cursor starts at the feed's beginning
            if (cursorExists(connection, backend)) {
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO feed_cursor (backend, position, lease_owner,"
                    + " lease_until) VALUES (?, '0', ?, ?)")) {
                insert.setString(1, backend);
                insert.setString(2, instance);
                insert.setObject(3, now.plus(lease));
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        }
    }

    private static boolean cursorExists(Connection connection, String backend) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM feed_cursor WHERE backend = ?")) {
            select.setString(1, backend);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Reads where the feed stands into {@link #CURSOR}. */
    public void readCursor(Exchange exchange, String backend) throws SQLException {
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT position FROM feed_cursor WHERE backend = ?")) {
            select.setString(1, backend);
            try (ResultSet row = select.executeQuery()) {
                exchange.setProperty(CURSOR, row.next() ? row.getString(1) : "0");
            }
        }
    }

    /** The changes of one feed page, remembering where the next page starts. */
    public List<JsonNode> changes(Exchange exchange, String backend) {
        JsonNode page = BackendJson.parse(exchange.getMessage().getBody(String.class), backend);
        JsonNode changes = page.path("changes");
        String next = page.path("next_cursor").asText("");
        if (!changes.isArray() || next.isBlank()) {
            throw new IllegalStateException(backend + " change feed page is malformed");
        }
        String ours = exchange.getProperty(CURSOR, String.class);
        String latest = page.path("latest_cursor").asText(null);
        if (FeedRewinds.wentBackwards(ours, latest)) {
            // the back end lost changes we had read: start again from its feed's beginning (idempotent)
            exchange.getContext().getRegistry().lookupByNameAndType("feedRewinds", FeedRewinds.class).rewound(backend, ours, latest);
            exchange.setProperty(NEXT_CURSOR, "0");
            return List.of();
        }
        exchange.setProperty(NEXT_CURSOR, next);
        List<JsonNode> list = new ArrayList<>();
        changes.forEach(list::add);
        return list;
    }

    /**
     * The feed call's circuit-breaker fallback: no page was read (the call failed, or the circuit is open
     * and it was not made: a {@link ShortCircuited}, counted as a skipped poll, not a failed one). The poll
     * stops here. Without this, an open circuit let the poll go on with no page.
     */
    public void notRead(Exchange exchange, String backend) throws Exception {
        Throwable failure = CircuitFallback.cause(exchange, backend);
        if (failure instanceof Exception exception) {
            throw exception;
        }
        throw new IllegalStateException(backend + " change feed not read: no answer");
    }

    public void saveCursor(Exchange exchange, String backend) throws SQLException {
        try (Connection connection = store.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE feed_cursor SET position = ?, last_success_at = ?"
                     + " WHERE backend = ? AND lease_owner = ?")) {
            update.setString(1, exchange.getProperty(NEXT_CURSOR, String.class));
            update.setObject(2, now());
            update.setString(3, backend);
            update.setString(4, instance);
            update.executeUpdate();
        }
    }

    /** The ids the back end gave the requests of a poll, to our ids (the poll adds them as reference). */
    static final String POLLED = "open311.polled";

    /**
     * For a back end followed by polling (kind open311): the back end's ids of the next page of its records
     * not yet closed, after the cursor (our request id, so every open record comes round), comma-separated
     * ("" when none); the next cursor is the page's last id, or the start again after a short page.
     */
    public String openRecords(Exchange exchange, String backend, int pageSize) throws SQLException {
        Map<String, String> polled = new java.util.LinkedHashMap<>();
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT request_id, remote_id FROM backend_record"
                     + " WHERE backend = ? AND request_id > ? AND remote_id IS NOT NULL AND remote_id NOT LIKE ?"
                     + " AND (remote_state IS NULL OR remote_state <> 'closed') ORDER BY request_id FETCH FIRST ? ROWS ONLY")) {
            select.setString(1, backend);
            select.setString(2, exchange.getProperty(CURSOR, "0", String.class));
            select.setString(3, Open311Mapping.TOKEN_PREFIX + "%");
            select.setInt(4, pageSize);
            try (ResultSet rows = select.executeQuery()) {
                String last = "0";
                while (rows.next()) {
                    last = rows.getString(1);
                    polled.put(rows.getString(2), last);
                }
                exchange.setProperty(NEXT_CURSOR, polled.size() < pageSize ? "0" : last);
            }
        }
        exchange.setProperty(POLLED, polled);
        return String.join(",", polled.keySet());
    }

    public boolean anyPolled(Exchange exchange) {
        Map<?, ?> polled = exchange.getProperty(POLLED, Map.class);
        return polled != null && !polled.isEmpty();
    }

    /** The polled requests as the back end listed them, each with our id added as reference (unknown ids left out). */
    public List<JsonNode> polled(Exchange exchange, String backend) {
        @SuppressWarnings("unchecked")
        Map<String, String> polled = exchange.getProperty(POLLED, Map.class);
        List<JsonNode> changes = new ArrayList<>();
        for (JsonNode request : BackendJson.parseArray(exchange.getMessage().getBody(String.class), backend)) {
            String reference = polled.get(request.path("service_request_id").asText());
            if (reference != null && request.isObject()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) request).put("reference", reference);
                changes.add(request);
            }
        }
        return changes;
    }

    /** Applies one change (the body, the back end's JSON record): {@link #APPLIED} says whether it was newer. */
    public void apply(Exchange exchange, String backend) throws SQLException {
        BackendSpec spec = backends.named(backend);
        RemoteChange change = mappings.get(spec.kind()).change(exchange.getMessage().getBody(JsonNode.class),
                catalogue.current().statuses(), spec.vocabulary());
        exchange.setProperty(CHANGE, change);
        exchange.setProperty(APPLIED, records.apply(spec, change));
    }

    /** Whether the change applied asks for a further back end (the CRM asking for public works). */
    public boolean asksForFurther(Exchange exchange, String backend) {
        RemoteChange change = exchange.getProperty(CHANGE, RemoteChange.class);
        return change != null && change.furtherCategory() != null && !backends.requestedBy(backend).isEmpty();
    }

    /**
     * The rule that sends a request on: each back end configured as requested by this one
     * (gateway.backend.&lt;name&gt;.requested-by) gets a task with the category asked for, once.
     */
    public void scheduleFurther(Exchange exchange, String backend) throws SQLException {
        RemoteChange change = exchange.getProperty(CHANGE, RemoteChange.class);
        for (BackendSpec further : backends.requestedBy(backend)) {
            outbox.scheduleFurther(change.reference(), new Outbox.Task(further.name(), change.furtherCategory()), now());
        }
    }

    public boolean applied(Exchange exchange) {
        return exchange.getProperty(APPLIED, false, Boolean.class);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

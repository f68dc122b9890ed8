package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.StatusVocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Follows the back ends' change feeds into the store. One instance at a time holds a lease on each
 * feed; the cursor is kept in the database, so a restart resumes where it stopped. Every change is
 * applied only if its version is newer than the stored one: applying the same change twice, from the
 * feed or from a push notification, changes nothing.
 */
public final class FeedFollower {

    private static final Logger LOG = LoggerFactory.getLogger(FeedFollower.class);
    public static final String CURSOR = "open311.cursor";
    public static final String NEXT_CURSOR = "open311.nextCursor";
    public static final String CHANGE = "open311.change";

    private final String instance = UUID.randomUUID().toString();
    private final LiveCatalogue catalogue;
    private final Duration lease;
    private final Clock clock;

    public FeedFollower(LiveCatalogue catalogue, Duration lease, Clock clock) {
        this.catalogue = catalogue;
        this.lease = lease;
        this.clock = clock;
    }

    /** Takes (or renews) this instance's lease on the feed; camel-jdbc's update count says whether it holds it. */
    public void lease(Exchange exchange, Backend backend) {
        OffsetDateTime now = now();
        Forwarding.sql(exchange.getMessage(), "UPDATE feed_cursor SET lease_owner = :?me, lease_until = :?until"
                        + " WHERE backend = :?backend AND (lease_owner IS NULL OR lease_owner = :?me OR lease_until < :?now)",
                Map.of("me", instance, "until", now.plus(lease), "backend", backend.name(), "now", now));
    }

    public boolean holdsLease(Exchange exchange) {
        return exchange.getMessage().getHeader("CamelJdbcUpdateCount", 0, Integer.class) == 1;
    }

    public void readCursor(Exchange exchange, Backend backend) {
        Forwarding.sql(exchange.getMessage(), "SELECT position FROM feed_cursor WHERE backend = :?backend",
                Map.of("backend", backend.name()));
    }

    public void keepCursor(Exchange exchange) {
        exchange.setProperty(CURSOR, String.valueOf(exchange.getMessage().getBody()));
    }

    /** The changes of one feed page, remembering where the next page starts. */
    public List<JsonNode> changes(Exchange exchange, Backend backend) {
        JsonNode page = BackendJson.parse(exchange.getMessage().getBody(String.class), backend.name());
        JsonNode changes = page.path("changes");
        String next = page.path("next_cursor").asText("");
        if (!changes.isArray() || next.isBlank()) {
            throw new IllegalStateException(backend + " change feed page is malformed");
        }
        exchange.setProperty(NEXT_CURSOR, next);
        List<JsonNode> list = new ArrayList<>();
        changes.forEach(list::add);
        return list;
    }

    /**
     * The feed call's circuit-breaker fallback: no page was read (the call failed, or the circuit is open
     * and it was not made: a {@link ShortCircuited}, counted as a skipped poll, not a failed one). The poll
     * stops here. Without this, an open circuit let the poll go on with the cursor row as its "page",
     * applying it as changes and saving the cursor.
     */
    public void notRead(Exchange exchange, Backend backend) throws Exception {
        Throwable failure = CircuitFallback.cause(exchange, backend);
        if (failure instanceof Exception exception) {
            throw exception;
        }
        throw new IllegalStateException(backend + " change feed not read: no answer");
    }

    public void saveCursor(Exchange exchange, Backend backend) {
        Forwarding.sql(exchange.getMessage(), "UPDATE feed_cursor SET position = :?position, last_success_at = :?now"
                        + " WHERE backend = :?backend AND lease_owner = :?me",
                Map.of("position", exchange.getProperty(NEXT_CURSOR, String.class), "now", now(),
                        "backend", backend.name(), "me", instance));
    }

    /** Applies one CRM case: state, publication, notes and a request to send it on to public works. */
    public void applyCrmCase(Exchange exchange) {
        JsonNode change = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(CHANGE, change);
        StatusVocabulary statuses = catalogue.current().statuses();
        String state = change.path("state").asText("");
        if (!statuses.knowsCrmState(state)) {
            LOG.warn("CRM state '{}' of case {} is not in mappings/statuses.yaml: shown as {}",
                    state, change.path("case_id").asText(), statuses.ofCrmState(state));
        }
        DetailedStatus detailed = statuses.ofCrmState(state);
        JsonNode publicWorks = change.path("public_works");
        String workType = publicWorks.path("requested").asBoolean(false) ? publicWorks.path("work_type").asText(null) : null;
        Map<String, Object> params = new HashMap<>();
        params.put("id", change.path("reference").asText());
        params.put("caseId", change.path("case_id").asText());
        params.put("state", state);
        params.put("version", change.path("version").asLong());
        params.put("status", detailed.open311Status());
        params.put("detailed", detailed.name());
        params.put("notes", change.path("status_notes").asText(""));
        params.put("agency", change.path("agency_responsible").asText(""));
        params.put("expected", BackendJson.datetime(change.get("expected_at")));
        params.put("published", change.path("published").asBoolean(false));
        OffsetDateTime updated = BackendJson.datetime(change.get("updated_at"));
        params.put("updated", updated == null ? now() : updated);
        params.put("workType", workType);
        params.put("now", now());
        Forwarding.sql(exchange.getMessage(), "UPDATE service_request SET crm_case_id = :?caseId, crm_state = :?state,"
                + " crm_version = :?version, status = :?status, detailed_status = :?detailed, status_notes = :?notes,"
                + " agency_responsible = :?agency, expected_at = :?expected, published = :?published, updated_at = :?updated,"
                + " aspa_forward = CASE WHEN aspa_forward IS NULL AND CAST(:?workType AS VARCHAR(64)) IS NOT NULL"
                + " THEN 'PENDING' ELSE aspa_forward END,"
                + " aspa_work_type = COALESCE(aspa_work_type, CAST(:?workType AS VARCHAR(64))),"
                + " aspa_next_attempt_at = COALESCE(aspa_next_attempt_at, :?now)"
                + " WHERE id = :?id AND (crm_version IS NULL OR crm_version < :?version)", params);
    }

    /** Applies one Aspa work order: its state (merged into detailed_status) and its task details. */
    public void applyAspaWorkOrder(Exchange exchange) {
        JsonNode change = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(CHANGE, change);
        StatusVocabulary statuses = catalogue.current().statuses();
        String state = change.path("state").asText("");
        if (!statuses.knowsAspaState(state)) {
            LOG.warn("Aspa state '{}' of work order {} is not in mappings/statuses.yaml: shown as {}",
                    state, change.path("work_order_id").asText(), statuses.ofAspaState(state));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("id", change.path("reference").asText());
        params.put("workOrderId", change.path("work_order_id").asText());
        params.put("state", state);
        params.put("detailed", statuses.ofAspaState(state).name());
        params.put("owner", change.path("owner_name").asText(""));
        params.put("created", BackendJson.datetime(change.get("created_at")));
        params.put("modified", BackendJson.datetime(change.get("modified_at")));
        params.put("version", change.path("version").asLong());
        Forwarding.sql(exchange.getMessage(), "UPDATE service_request SET aspa_work_order_id = :?workOrderId,"
                + " aspa_state = :?state, aspa_detailed_status = :?detailed, aspa_owner = :?owner,"
                + " aspa_created_at = :?created, aspa_modified_at = :?modified, aspa_version = :?version"
                + " WHERE id = :?id AND (aspa_version IS NULL OR aspa_version < :?version)", params);
    }

    public boolean changedARow(Exchange exchange) {
        return exchange.getMessage().getHeader("CamelJdbcUpdateCount", 0, Integer.class) == 1;
    }

    /** Keeps the request's state as clients now see it, as history. */
    public void recordHistory(Exchange exchange, Backend backend) {
        JsonNode change = exchange.getProperty(CHANGE, JsonNode.class);
        Forwarding.sql(exchange.getMessage(), "INSERT INTO request_history (request_id, changed_at, source, status,"
                        + " detailed_status, status_notes, published) SELECT id, :?now, :?source, status,"
                        + " detailed_status || COALESCE(',' || aspa_detailed_status, ''), status_notes, published"
                        + " FROM service_request WHERE id = :?id",
                Map.of("now", now(), "source", backend.name(), "id", change.path("reference").asText()));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

package org.open311.gateway.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.backends.BackendRoutes;
import org.open311.gateway.backends.FeedFollower;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forces a resync of one request: each configured back end's record of it is read again (the back end's
 * read-record route) and applied through that back end's apply-change route, whose version guard makes an
 * old or repeated read change nothing. The route does the HTTP; this class decides what to read and
 * what came of it.
 */
public final class Resync {

    static final String STATE = "open311.resync";
    static final String BACKEND = "open311.resyncBackend";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource store;
    private final List<String> backends;

    /** @param backends the configured back ends' names, in their order (the report's) */
    public Resync(DataSource store, List<String> backends) {
        this.store = store;
        this.backends = List.copyOf(backends);
    }

    /** What one back end's record of the request came to. */
    public record Outcome(String id, Long version, String state, String outcome) {
    }

    /** The answer: the request's id and one outcome per configured back end, under its name. */
    public record Report(@JsonProperty("service_request_id") String serviceRequestId,
                         @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Outcome> backends) implements ApiBody {
        @JsonAnyGetter
        public Map<String, Outcome> byBackend() {
            return backends;
        }
    }

    /** A back end's record to read again. */
    public record Target(String backend, String remoteId) {
    }

    /** The resync's progress, kept on the exchange while the route calls the back ends. */
    static final class State {
        final String requestId;
        final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        final Map<String, String> remoteIds = new HashMap<>();

        State(String requestId) {
            this.requestId = requestId;
        }
    }

    /** The records to read again (the body); an unknown request is a 404. */
    public List<Target> begin(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        State state = new State(id);
        Set<String> tasks = new java.util.HashSet<>();
        try (Connection connection = store.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM service_request WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw ApiException.notFound("service_request_id: request '" + ApiException.quoteSafe(id) + "' not found");
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT backend FROM forward_task WHERE request_id = ? AND update_id = ''")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tasks.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT backend, remote_id FROM backend_record WHERE request_id = ? AND remote_id IS NOT NULL")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        state.remoteIds.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        for (String backend : backends) {
            String remoteId = state.remoteIds.get(backend);
            if (remoteId != null) {
                targets.add(new Target(backend, remoteId));
                state.outcomes.put(backend, null);
            } else {
                state.outcomes.put(backend, new Outcome(null, null, null,
                        tasks.contains(backend) ? "not yet delivered to " + backend : "not sent to " + backend));
            }
        }
        exchange.setProperty(STATE, state);
        return targets;
    }

    /** Before reading one back end's record: which back end, and the record's id encoded for its path. */
    public void target(Exchange exchange) {
        Target target = exchange.getMessage().getBody(Target.class);
        exchange.setProperty(BACKEND, target.backend());
        exchange.setProperty(BackendRoutes.RECORD_ID, URLEncoder.encode(target.remoteId(), StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * The back end's answer: its record (to apply) on 200; null when it does not know the record (404,
     * reported); any other status is the back end failing, a 502.
     */
    public JsonNode answer(Exchange exchange) {
        String backend = exchange.getProperty(BACKEND, String.class);
        String recordId = state(exchange).remoteIds.get(backend);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 404) {
            state(exchange).outcomes.put(backend, new Outcome(recordId, null, null, "not found in " + backend));
            return null;
        }
        if (status != 200) {
            throw new ApiException(502, List.of(backend + " answered HTTP " + status + " to reading " + recordId + ": try again later"));
        }
        JsonNode record;
        try {
            record = JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiException(502, List.of(backend + " answered reading " + recordId + " with a body that is not JSON"));
        }
        record = asRecord(record, recordId, state(exchange).requestId);
        if (record == null || !state(exchange).requestId.equals(record.path("reference").asText())) {
            throw new ApiException(502, List.of(backend + "'s record " + recordId + " is not of this request"));
        }
        exchange.setProperty(STATE + "." + backend, record);
        return record;
    }

    /**
     * A GeoReport server answers a request as a list of one, without our id: that request, with our id as its
     * reference when it is the record asked for. Other back ends' records are returned as they are.
     */
    static JsonNode asRecord(JsonNode answer, String recordId, String requestId) {
        if (answer == null || !answer.isArray()) {
            return answer;
        }
        JsonNode first = answer.path(0);
        if (first.isObject() && recordId.equals(first.path("service_request_id").asText()) && !first.has("reference")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) first).put("reference", requestId);
            return first;
        }
        return null;
    }

    public boolean wasRead(Exchange exchange) {
        return exchange.getMessage().getBody() != null;
    }

    /** After the apply step: whether the record was newer than the store's (FeedFollower.APPLIED). */
    public void applied(Exchange exchange) {
        String backend = exchange.getProperty(BACKEND, String.class);
        JsonNode record = exchange.getProperty(STATE + "." + backend, JsonNode.class);
        boolean changed = exchange.getProperty(FeedFollower.APPLIED, false, Boolean.class);
        state(exchange).outcomes.put(backend, new Outcome(state(exchange).remoteIds.get(backend), record.path("version").asLong(),
                record.path("state").asText(), changed ? "applied" : "already up to date"));
    }

    public Report report(Exchange exchange) {
        State state = state(exchange);
        StringBuilder summary = new StringBuilder();
        state.outcomes.forEach((backend, outcome) -> summary.append(summary.isEmpty() ? "" : ", ").append(backend).append(' ')
                .append(outcome == null ? "not read" : outcome.outcome()));
        AdminApi.audit(exchange, "resynced request {}: {}", state.requestId, summary);
        return new Report(state.requestId, new LinkedHashMap<>(state.outcomes));
    }

    private static State state(Exchange exchange) {
        return exchange.getProperty(STATE, State.class);
    }
}

package org.open311.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.backends.Backend;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Forces a resync of one request: its CRM case and Aspa work order are read again from the back ends
 * and applied through the feeds' own apply steps, whose version guards make an old or repeated read
 * change nothing. The route does the HTTP; this class decides what to read and what came of it.
 */
public final class Resync {

    static final String STATE = "open311.resync";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource store;

    public Resync(DataSource store) {
        this.store = store;
    }

    /** What one back end's record of the request came to. */
    public record Outcome(String id, Long version, String state, String outcome) {
    }

    public record Report(String serviceRequestId, Outcome crm, Outcome aspa) implements ApiBody {
    }

    /** The resync's progress, kept on the exchange while the route calls the back ends. */
    static final class State {
        final String requestId;
        final String caseId;
        final String workOrderId;
        Outcome crm;
        Outcome aspa;

        State(String requestId, String caseId, String workOrderId) {
            this.requestId = requestId;
            this.caseId = caseId;
            this.workOrderId = workOrderId;
        }
    }

    /** Finds the request's case and work order ids in the store; an unknown request is a 404. */
    public void begin(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT crm_case_id, aspa_forward, aspa_work_order_id FROM service_request WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ApiException.notFound("service_request_id: request '" + ApiException.quoteSafe(id) + "' not found");
                }
                State state = new State(id, row.getString(1), row.getString(3));
                if (state.caseId == null) {
                    state.crm = new Outcome(null, null, null, "not yet delivered to the CRM");
                }
                if (state.workOrderId == null) {
                    state.aspa = new Outcome(null, null, null,
                            row.getString(2) == null ? "not a public-works request" : "not yet delivered to Aspa");
                }
                exchange.setProperty(STATE, state);
            }
        }
    }

    public boolean hasCrmCase(Exchange exchange) {
        return state(exchange).caseId != null;
    }

    public boolean hasWorkOrder(Exchange exchange) {
        return state(exchange).workOrderId != null;
    }

    /** The back-end record's id, encoded for the client route's path. */
    public String pathId(Exchange exchange, Backend backend) {
        return java.net.URLEncoder.encode(recordId(exchange, backend), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String recordId(Exchange exchange, Backend backend) {
        return backend == Backend.CRM ? state(exchange).caseId : state(exchange).workOrderId;
    }

    /**
     * The back end's answer: its record (to apply) on 200; null when it does not know the record (404,
     * reported); any other status is the back end failing, a 502.
     */
    public JsonNode answer(Exchange exchange, Backend backend) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String name = backend == Backend.CRM ? "CRM" : "Aspa";
        if (status == 404) {
            record(exchange, backend, new Outcome(recordId(exchange, backend), null, null, "not found in " + name));
            return null;
        }
        if (status != 200) {
            throw new ApiException(502, List.of(name + " answered HTTP " + status + " to reading "
                    + recordId(exchange, backend) + ": try again later"));
        }
        JsonNode record;
        try {
            record = JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiException(502, List.of(name + " answered reading " + recordId(exchange, backend) + " with a body that is not JSON"));
        }
        if (!state(exchange).requestId.equals(record.path("reference").asText())) {
            throw new ApiException(502, List.of(name + "'s record " + recordId(exchange, backend) + " is not of this request"));
        }
        exchange.setProperty(STATE + "." + backend, record);
        return record;
    }

    public boolean wasRead(Exchange exchange) {
        return exchange.getMessage().getBody() != null;
    }

    /** After the apply step: its update count says whether the record was newer than the store's. */
    public void applied(Exchange exchange, Backend backend) {
        JsonNode record = exchange.getProperty(STATE + "." + backend, JsonNode.class);
        boolean changed = exchange.getMessage().getHeader("CamelJdbcUpdateCount", 0, Integer.class) == 1;
        record(exchange, backend, new Outcome(recordId(exchange, backend), record.path("version").asLong(),
                record.path("state").asText(), changed ? "applied" : "already up to date"));
    }

    public Report report(Exchange exchange) {
        State state = state(exchange);
        AdminApi.audit(exchange, "resynced request {}: CRM {}, Aspa {}", state.requestId, state.crm.outcome(), state.aspa.outcome());
        return new Report(state.requestId, state.crm, state.aspa);
    }

    private static void record(Exchange exchange, Backend backend, Outcome outcome) {
        if (backend == Backend.CRM) {
            state(exchange).crm = outcome;
        } else {
            state(exchange).aspa = outcome;
        }
    }

    private static State state(Exchange exchange) {
        return exchange.getProperty(STATE, State.class);
    }
}

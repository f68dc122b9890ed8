package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.JSON;
import static org.open311.gateway.backends.BackendJson.text;

/** Maps a stored request to an Aspa work order and Aspa's answers back (docs/backends/aspa.md). No contact data goes to Aspa. */
public final class AspaMapping {

    private final Forwarding forwarding;

    public AspaMapping(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    /** The body of PUT /work-orders/{reference}. */
    public String toWorkOrder(Exchange exchange) {
        Map<String, Object> row = forwarding.row(exchange);
        String reference = text(row, "id");
        exchange.setProperty(CrmMapping.REFERENCE, reference);
        ObjectNode body = JSON.createObjectNode();
        body.put("reference", reference);
        body.put("work_type", text(row, "aspa_work_type"));
        body.put("description", text(row, "description"));
        body.set("location", BackendJson.location(row));
        body.put("requested_at", BackendJson.iso(row.get("requested_at")));
        return BackendJson.write(body);
    }

    public void accepted(Exchange exchange) {
        JsonNode answer = BackendJson.parse(exchange.getMessage().getBody(String.class), "Aspa");
        String id = answer.path("work_order_id").asText("");
        if (id.isBlank() || !exchange.getProperty(CrmMapping.REFERENCE, String.class).equals(answer.path("reference").asText())) {
            throw new IllegalStateException("Aspa answer has no work_order_id for the reference");
        }
        exchange.setProperty(Forwarding.BACKEND_ID, id);
    }
}

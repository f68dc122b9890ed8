package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.JSON;
import static org.open311.gateway.backends.BackendJson.text;

/**
 * A resident's update as the feedback CRM takes it: {@code PUT /cases/{case_id}/updates/{update_id}}
 * (docs/backends/feedback-crm.md), idempotent by the gateway's update id.
 */
public final class CrmUpdateMapping implements UpdateMapping {

    @Override
    public String toUpdate(Exchange exchange) {
        Map<String, Object> row = Forwarding.rowOf(exchange);
        String caseId = text(row, "task_remote_id");
        if (caseId == null || caseId.isBlank()) {
            // the request's task is sent (or the update would not be due), so its case id is on the way: try again
            throw new IllegalStateException("CRM case id of request " + text(row, "id") + " not recorded yet");
        }
        String updateId = text(row, "task_update_id");
        exchange.setProperty(KindMapping.REFERENCE, caseId + "/updates/" + updateId);
        ObjectNode body = JSON.createObjectNode();
        body.put("update_id", updateId);
        body.put("case_id", caseId);
        body.put("reference", text(row, "id"));
        body.put("status", text(row, "update_status"));
        body.put("description", text(row, "update_description"));
        body.put("updated_at", BackendJson.iso(row.get("update_updated_datetime")));
        ObjectNode contact = body.putObject("contact");
        for (String field : new String[]{"email", "first_name", "last_name", "phone"}) {
            contact.put(field, text(row, "update_" + field));
        }
        ArrayNode attachments = body.putArray("attachments");
        BackendJson.jsonArray(row.get("update_media_urls")).forEach(url -> attachments.addObject().put("url", url.asText()));
        body.put("submitted_at", BackendJson.iso(row.get("update_created_at")));
        return BackendJson.write(body);
    }

    /** The CRM answers the update it holds: the same update id means it is delivered. */
    @Override
    public void accepted(Exchange exchange) {
        JsonNode answer = BackendJson.parse(exchange.getMessage().getBody(String.class), "CRM");
        String reference = exchange.getProperty(KindMapping.REFERENCE, String.class);
        String updateId = answer.path("update_id").asText("");
        if (updateId.isBlank() || !reference.endsWith("/updates/" + updateId)) {
            throw new IllegalStateException("CRM answer has no update_id for the update sent");
        }
        exchange.setProperty(Forwarding.BACKEND_ID, reference);
    }
}

package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.catalogue.StatusVocabulary;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.JSON;
import static org.open311.gateway.backends.BackendJson.text;

/** Maps a stored request to an Aspa work order and Aspa's answers back (docs/backends/aspa.md). No contact data goes to Aspa. */
public final class AspaMapping implements KindMapping {


    @Override
    public boolean receives(ServiceEntry service) {
        return categoryAtIntake(service, null) != null;
    }

    /** The service's work type: kept with the task (a CRM asking for public works names its own). */
    @Override
    public String categoryAtIntake(ServiceEntry service, BackendSpec spec) {
        String workType = service.routing() == null ? null : service.routing().aspaWorkType();
        return workType == null || workType.isBlank() ? null : workType;
    }

    /** The body of PUT /work-orders/{reference}. */
    @Override
    public String toRequest(Exchange exchange) {
        Map<String, Object> row = Forwarding.rowOf(exchange);
        String reference = text(row, "id");
        exchange.setProperty(REFERENCE, reference);
        ObjectNode body = JSON.createObjectNode();
        body.put("reference", reference);
        body.put("work_type", text(row, "task_category"));
        body.put("description", text(row, "description"));
        body.set("location", BackendJson.location(row));
        body.put("requested_at", BackendJson.iso(row.get("requested_at")));
        return BackendJson.write(body);
    }

    @Override
    public void accepted(Exchange exchange) {
        KindMapping.acceptRecord(exchange, "Aspa", "work_order_id");
    }

    /** A work order of the feed: its state is merged after the CRM's, its details shown as a task. */
    @Override
    public RemoteChange change(JsonNode change, StatusVocabulary statuses, String vocabulary) {
        String state = change.path("state").asText("");
        DetailedStatus detailed = KindMapping.detailedStatus(statuses, vocabulary, state,
                "Aspa work order " + change.path("work_order_id").asText());
        return new RemoteChange(change.path("reference").asText(), change.path("work_order_id").asText(), state,
                change.path("version").asLong(), detailed.name(), BackendJson.datetime(change.get("modified_at")), null,
                new RemoteChange.Task(change.path("owner_name").asText(""), BackendJson.datetime(change.get("created_at")),
                        BackendJson.datetime(change.get("modified_at"))), null);
    }
}

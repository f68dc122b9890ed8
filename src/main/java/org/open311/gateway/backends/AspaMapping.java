package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.ServiceEntry;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.text;

/** Maps a stored request to an Aspa work order and Aspa's answers back (docs/backends/aspa.md). No contact data goes to Aspa. */
public final class AspaMapping extends RecordMapping {

    public AspaMapping() {
        super("Aspa", "work order", "work_order_id", "modified_at");
    }

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
        ObjectNode body = body(exchange, row);
        body.put("work_type", text(row, "task_category"));
        body.put("description", text(row, "description"));
        body.set("location", BackendJson.location(row));
        body.put("requested_at", BackendJson.iso(row.get("requested_at")));
        return BackendJson.write(body);
    }

    /** A work order of the feed: its state is merged after the CRM's, its details shown as a task. */
    @Override
    Details details(JsonNode change) {
        return new Details(null, new RemoteChange.Task(change.path("owner_name").asText(""),
                BackendJson.datetime(change.get("created_at")), BackendJson.datetime(change.get("modified_at"))), null);
    }
}

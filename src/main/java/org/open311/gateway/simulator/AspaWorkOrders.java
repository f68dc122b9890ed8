package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Aspa's work orders (docs/backends/aspa.md): what a new one holds, and what the public-works crews do with one. */
final class AspaWorkOrders {

    static final List<String> STATES = List.of("NEW", "IN_PROGRESS", "COMPLETED", "COMPLETED_SCHEDULED_LATER",
            "COMPLETED_NO_ACTION", "INTERRUPTED");

    /** The fields the gateway sends; resident contact data is not among them and is ignored if sent. */
    record NewWorkOrder(String reference, String workType, String description, JsonNode location,
                        OffsetDateTime requestedAt) {
    }

    record StateChange(String state, String ownerName) {
    }

    /** Aspa as a {@link RecordSimulator.Kind}: its names, a new work order, and what crews do to one. */
    static final RecordSimulator.Kind KIND = new RecordSimulator.Kind("aspa", AspaSimulator.BASE_PATH, "work-orders",
            "work-order", "work_order_id", "modified_at", "X-Api-Key",
            n -> String.format("WO-%d-%06d", Year.now(ZoneOffset.UTC).getValue(), n),
            request -> newWorkOrder(request.body(NewWorkOrder.class)),
            Map.of("state", request -> {
                StateChange change = request.body(StateChange.class);
                return moveState(change.state(), change.ownerName());
            }));

    private AspaWorkOrders() {
    }

    /** A work order as Aspa keeps it: new, with no owner yet. */
    static ObjectNode newWorkOrder(NewWorkOrder body) {
        Json.requireText(body.workType(), "work_type");
        ObjectNode fields = Json.MAPPER.valueToTree(body);
        fields.put("state", "NEW").put("owner_name", "");
        return fields;
    }

    /** Any state may follow any other; a null owner keeps the current one. */
    static Consumer<ObjectNode> moveState(String state, String ownerName) {
        Json.requireOneOf(state, STATES, "state");
        return record -> {
            record.put("state", state);
            if (ownerName != null) {
                record.put("owner_name", ownerName);
            }
        };
    }
}

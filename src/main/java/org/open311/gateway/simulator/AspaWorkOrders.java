package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.Year;
import java.util.List;
import java.util.Optional;

/** Aspa's work orders (docs/backends/aspa.md), and what the public-works crews do with them. */
final class AspaWorkOrders {

    static final List<String> STATES = List.of("NEW", "IN_PROGRESS", "COMPLETED", "COMPLETED_SCHEDULED_LATER",
            "COMPLETED_NO_ACTION", "INTERRUPTED");

    /** The fields the gateway sends; resident contact data is not among them and is ignored if sent. */
    record NewWorkOrder(String reference, String workType, String description, JsonNode location,
                        OffsetDateTime requestedAt) {
    }

    record StateChange(String state, String ownerName) {
    }

    private final RecordStore store;

    AspaWorkOrders(Clock clock, java.nio.file.Path stateFile) {
        store = new RecordStore("work_order_id", "modified_at",
                n -> String.format("WO-%d-%06d", Year.now(clock).getValue(), n), clock, stateFile);
    }

    RecordStore.Put put(String reference, NewWorkOrder body) {
        if (!reference.equals(Json.requireText(body.reference(), "reference"))) {
            throw new IllegalArgumentException("reference in the body differs from the path");
        }
        Json.requireText(body.workType(), "work_type");
        ObjectNode fields = Json.MAPPER.valueToTree(body);
        fields.put("state", "NEW").put("owner_name", "");
        return store.put(reference, fields);
    }

    ObjectNode get(String workOrderId) {
        return store.get(workOrderId);
    }

    Optional<ObjectNode> byReference(String reference) {
        return store.byReference(reference);
    }

    /** Forgets everything, as a back end restarted empty. */
    void clear() {
        store.clear();
    }

    RecordStore.Page changes(long since, int limit) {
        return store.changes(since, limit);
    }

    List<ObjectNode> all() {
        return store.all();
    }

    int putCount(String reference) {
        return store.putCount(reference);
    }

    /** Any state may follow any other; a null owner keeps the current one. */
    ObjectNode moveState(String workOrderId, String state, String ownerName) {
        if (!STATES.contains(Json.requireText(state, "state"))) {
            throw new IllegalArgumentException("state must be one of " + STATES);
        }
        return store.change(workOrderId, record -> {
            record.put("state", state);
            if (ownerName != null) {
                record.put("owner_name", ownerName);
            }
        });
    }
}

package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The feedback CRM's cases (docs/backends/feedback-crm.md), and what its staff do with them. */
final class CrmCases {

    static final List<String> STATES = List.of("RECEIVED", "IN_PROCESS", "PROCESSED", "REJECTED", "ARCHIVED");

    /** The fields the gateway sends, {@code reference} to {@code extra_attributes}, in the contract's order. */
    record NewCase(String reference, String category, String title, String description, JsonNode location,
                   JsonNode serviceObject, JsonNode contact, JsonNode attributes, JsonNode attachments,
                   String locale, OffsetDateTime submittedAt, JsonNode extraAttributes) {
    }

    record StateChange(String state) {
    }

    record Publication(Boolean published) {
    }

    record Notes(String statusNotes, String agencyResponsible, OffsetDateTime expectedAt) {
    }

    record PublicWorks(String workType) {
    }

    private final RecordStore store;

    CrmCases(Clock clock, java.nio.file.Path stateFile) {
        store = new RecordStore("case_id", "updated_at", n -> String.format("CRM-%06d", n), clock, stateFile);
    }

    RecordStore.Put put(String reference, NewCase body) {
        if (!reference.equals(Json.requireText(body.reference(), "reference"))) {
            throw new IllegalArgumentException("reference in the body differs from the path");
        }
        Json.requireText(body.category(), "category");
        ObjectNode fields = Json.MAPPER.valueToTree(body);
        fields.put("state", "RECEIVED").put("published", false).put("status_notes", "").put("agency_responsible", "")
                .putNull("expected_at");
        fields.putObject("public_works").put("requested", false).putNull("work_type");
        return store.put(reference, fields);
    }

    ObjectNode get(String caseId) {
        return store.get(caseId);
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

    java.util.Map<String, Object> counts() {
        return store.counts();
    }

    int putCount(String reference) {
        return store.putCount(reference);
    }

    /** Any state may follow any other: the operator plays staff, tests need every path. */
    ObjectNode moveState(String caseId, String state) {
        if (!STATES.contains(Json.requireText(state, "state"))) {
            throw new IllegalArgumentException("state must be one of " + STATES);
        }
        return store.change(caseId, record -> record.put("state", state));
    }

    ObjectNode publish(String caseId, Boolean published) {
        if (published == null) {
            throw new IllegalArgumentException("published (true or false) is required");
        }
        return store.change(caseId, record -> record.put("published", published));
    }

    /** The operator's answer replaces the previous one; absent texts become empty, no date clears it. */
    ObjectNode addNotes(String caseId, Notes notes) {
        JsonNode expectedAt = Json.MAPPER.valueToTree(notes.expectedAt());
        return store.change(caseId, record -> record
                .put("status_notes", orEmpty(notes.statusNotes()))
                .put("agency_responsible", orEmpty(notes.agencyResponsible()))
                .set("expected_at", expectedAt));
    }

    ObjectNode sendToPublicWorks(String caseId, String workType) {
        Json.requireText(workType, "work_type");
        return store.change(caseId, record -> record.putObject("public_works").put("requested", true).put("work_type", workType));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}

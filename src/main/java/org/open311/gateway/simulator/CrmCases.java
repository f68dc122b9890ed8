package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The feedback CRM's cases (docs/backends/feedback-crm.md): what a new case holds, and what its staff do with
 * one, each as one change of the case (validated when made, before the case is looked up).
 */
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

    record PublicText(String title, String description) {
    }

    /** The CRM as a {@link RecordSimulator.Kind}: its names, a new case, and what staff do to a case. */
    static final RecordSimulator.Kind KIND = new RecordSimulator.Kind("crm", CrmSimulator.BASE_PATH, "cases", "case",
            "case_id", "updated_at", "Authorization", n -> String.format("CRM-%06d", n),
            request -> newCase(request.body(NewCase.class)),
            Map.of("state", request -> moveState(request.body(StateChange.class).state()),
                    "publish", request -> publish(request.body(Publication.class).published()),
                    "notes", request -> addNotes(request.body(Notes.class)),
                    "public-works", request -> sendToPublicWorks(request.body(PublicWorks.class).workType()),
                    "public-text", request -> editPublicText(request.body(PublicText.class))));

    private CrmCases() {
    }

    /** A case as the CRM keeps it: received, not published, no answer to the resident yet. */
    static ObjectNode newCase(NewCase body) {
        Json.requireText(body.category(), "category");
        ObjectNode fields = Json.MAPPER.valueToTree(body);
        fields.put("state", "RECEIVED").put("published", false).put("status_notes", "").putNull("status_notes_update_id")
                .put("agency_responsible", "")
                .putNull("expected_at").putNull("public_title").putNull("public_description");
        fields.putObject("public_works").put("requested", false).putNull("work_type");
        return fields;
    }

    /** Any state may follow any other: the operator plays staff, tests need every path. */
    static Consumer<ObjectNode> moveState(String state) {
        Json.requireOneOf(state, STATES, "state");
        return record -> record.put("state", state);
    }

    static Consumer<ObjectNode> publish(Boolean published) {
        if (published == null) {
            throw new IllegalArgumentException("published (true or false) is required");
        }
        return record -> record.put("published", published);
    }

    /** The operator's answer replaces the previous one; absent texts become empty, no date clears it. */
    static Consumer<ObjectNode> addNotes(Notes notes) {
        return addNotes(notes, null);
    }

    /** As {@link #addNotes(Notes)}, the notes being the text of the resident's update {@code updateId} (null: staff's own). */
    static Consumer<ObjectNode> addNotes(Notes notes, String updateId) {
        JsonNode expectedAt = Json.MAPPER.valueToTree(notes.expectedAt());
        return record -> record
                .put("status_notes", orEmpty(notes.statusNotes()))
                .put("status_notes_update_id", updateId)
                .put("agency_responsible", orEmpty(notes.agencyResponsible()))
                .set("expected_at", expectedAt);
    }

    static Consumer<ObjectNode> sendToPublicWorks(String workType) {
        Json.requireText(workType, "work_type");
        return record -> record.putObject("public_works").put("requested", true).put("work_type", workType);
    }

    /**
     * Moderation: the title and description to publish instead of the resident's (e.g. a name removed); a text
     * not given keeps its current public text, an empty one clears it (the resident's is shown again).
     */
    static Consumer<ObjectNode> editPublicText(PublicText text) {
        if (text.title() == null && text.description() == null) {
            throw new IllegalArgumentException("title or description is required");
        }
        return record -> {
            publicText(record, "public_title", text.title());
            publicText(record, "public_description", text.description());
        };
    }

    private static void publicText(ObjectNode record, String field, String text) {
        if (text == null) {
            return;
        }
        if (text.isBlank()) {
            record.putNull(field);
        } else {
            record.put(field, text);
        }
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}

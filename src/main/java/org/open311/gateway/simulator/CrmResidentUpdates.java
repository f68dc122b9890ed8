package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Residents' updates on the CRM's cases (docs/backends/feedback-crm.md, "A resident's update on a case"): the
 * gateway PUTs each once per update id (idempotent), staff see them in the operator view and publish one, which
 * makes its text the case's public answer: a change of the case, so it comes back through the change feed. In
 * memory only, apart from the cases it reads and changes (as {@link CrmCases} says) in the CRM's record store.
 */
final class CrmResidentUpdates {

    private final RecordStore cases;
    private final Clock clock;
    /** "case_id/update_id" -> the update as stored, with put_count and published */
    private final Map<String, ObjectNode> updates = new LinkedHashMap<>();

    CrmResidentUpdates(RecordStore cases, Clock clock) {
        this.cases = cases;
        this.clock = clock;
    }

    /** PUT /cases/{case_id}/updates/{update_id}: created once; the same id again answers the update held. */
    synchronized RecordStore.Put put(String caseId, String updateId, JsonNode body) {
        cases.get(caseId);
        if (body == null || !updateId.equals(body.path("update_id").asText())) {
            throw new IllegalArgumentException("update_id in the body differs from the path");
        }
        Json.requireText(body.path("status").asText(null), "status");
        String key = caseId + "/" + updateId;
        ObjectNode held = updates.get(key);
        if (held != null) {
            held.put("put_count", held.path("put_count").asInt() + 1);
            return new RecordStore.Put(false, held.deepCopy());
        }
        ObjectNode update = body.deepCopy();
        update.put("case_id", caseId).put("published", false).put("received_at", Json.now(clock)).put("put_count", 1);
        updates.put(key, update);
        return new RecordStore.Put(true, update.deepCopy());
    }

    /** Every update in the order received (the operator view), each with put_count and published. */
    synchronized List<ObjectNode> all() {
        return updates.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /** Staff publish a resident's update: its text becomes the case's public answer (a change in the feed). */
    synchronized ObjectNode publish(String caseId, String updateId) {
        ObjectNode update = updates.get(caseId + "/" + updateId);
        if (update == null) {
            throw new NoSuchElementException("no update " + updateId + " on case " + caseId);
        }
        ObjectNode current = cases.get(caseId);
        JsonNode expectedAt = current.get("expected_at");
        cases.change(caseId, CrmCases.addNotes(new CrmCases.Notes(update.path("description").asText(""),
                current.path("agency_responsible").asText(""),
                expectedAt == null || !expectedAt.isTextual() ? null : java.time.OffsetDateTime.parse(expectedAt.asText())), updateId));
        update.put("published", true);
        return update.deepCopy();
    }
}

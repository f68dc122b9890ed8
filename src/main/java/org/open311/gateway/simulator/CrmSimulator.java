package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The feedback CRM as docs/backends/feedback-crm.md describes it, with the operator endpoints that let tests
 * play the city's staff and break the CRM: what it shares with Aspa is {@link RecordSimulator}'s, its cases'
 * rules are {@link CrmCases}.
 */
public final class CrmSimulator extends RecordSimulator {

    public static final String BASE_PATH = "/crm/api/v1";

    private final CrmResidentUpdates residentUpdates;

    /** @param stateDir where its cases are kept across restarts, in crm.json; null: in memory only */
    CrmSimulator(String token, Path stateDir) {
        super(CrmCases.KIND, "Bearer " + token, stateDir);
        this.residentUpdates = new CrmResidentUpdates(records, Clock.systemUTC());
    }

    /** Residents' updates on a case (the API's PUT) and the operator's view and publishing of them. */
    @Override
    void kindRoutes(RouteBuilder routes) {
        api(routes, "PUT", "/cases/{case_id}/updates/{update_id}", "put-update", request -> JsonEndpoint.put(
                residentUpdates.put(request.param("case_id"), request.param("update_id"), request.body(JsonNode.class))));
        operator(routes, "GET", "/updates", "updates", request -> Answer.ok(residentUpdates.all()));
        operator(routes, "POST", "/cases/{case_id}/updates/{update_id}/publish", "publish-update",
                request -> Answer.ok(residentUpdates.publish(request.param("case_id"), request.param("update_id"))));
    }

    /** Starts the simulator on {@code port}, accepting {@code Authorization: Bearer <token>}, its cases in memory only. */
    public static CrmSimulator start(int port, String token) throws Exception {
        return listen(new CrmSimulator(token, null), port);
    }

    /** Every case in creation order, each with {@code put_count}. */
    public List<JsonNode> cases() {
        return records();
    }

    public JsonNode caseById(String caseId) {
        return recordById(caseId);
    }

    public Optional<JsonNode> caseByReference(String reference) {
        return recordByReference(reference);
    }

    public JsonNode moveState(String caseId, String state) {
        return change(caseId, CrmCases.moveState(state));
    }

    public JsonNode publish(String caseId, boolean published) {
        return change(caseId, CrmCases.publish(published));
    }

    /** Replaces the answer to the resident; null texts become empty, a null date clears it. */
    public JsonNode addNotes(String caseId, String statusNotes, String agencyResponsible, OffsetDateTime expectedAt) {
        return change(caseId, CrmCases.addNotes(new CrmCases.Notes(statusNotes, agencyResponsible, expectedAt)));
    }

    public JsonNode sendToPublicWorks(String caseId, String workType) {
        return change(caseId, CrmCases.sendToPublicWorks(workType));
    }

    /** Moderation: the texts to publish instead of the resident's; null keeps the current one, "" clears it. */
    public JsonNode editPublicText(String caseId, String title, String description) {
        return change(caseId, CrmCases.editPublicText(new CrmCases.PublicText(title, description)));
    }

    /** Residents' updates the gateway PUT, in the order received, each with {@code put_count} and {@code published}. */
    public List<JsonNode> residentUpdates() {
        return List.copyOf(residentUpdates.all());
    }

    /** Staff publish a resident's update: its text becomes the case's public answer (a change in the feed). */
    public JsonNode publishResidentUpdate(String caseId, String updateId) {
        return residentUpdates.publish(caseId, updateId);
    }
}

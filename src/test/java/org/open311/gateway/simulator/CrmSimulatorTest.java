package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.simulator.SimulatorHttp.Reply;

import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CRM simulator honours docs/backends/feedback-crm.md over real HTTP (the shared part: {@link RecordSimulatorContract}). */
class CrmSimulatorTest extends RecordSimulatorContract<CrmSimulator> {

    private static final String TOKEN = "crm-test-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

    CrmSimulatorTest() {
        super(new Contract(AUTH, "/cases", "case_id", "CRM-999999", "IN_PROCESS"),
                port -> CrmSimulator.start(port, TOKEN));
    }

    @Override
    String newRecord(String reference) {
        return """
                {"reference": "%s", "category": "STREET_MAINTENANCE", "title": "Kuoppa",
                 "description": "Syvä kuoppa pyörätiellä",
                 "location": {"lat": 60.1841, "lon": 24.9519, "address": "Hämeentie 1"},
                 "service_object": {"type": "http://www.hel.fi/servicemap/v2", "id": "10844"},
                 "contact": {"email": "a@example.org", "first_name": "Aino", "last_name": "Virtanen", "phone": "040"},
                 "attributes": {"size": "large"}, "attachments": [{"url": "http://gateway/v1/media/a.jpg"}],
                 "locale": "fi", "submitted_at": "2026-11-27T12:00:00+02:00", "unknown_field": 1}
                """.formatted(reference);
    }

    @Test
    void aNewCaseKeepsWhatWasSentAndWaitsForStaff() {
        JsonNode body = create();

        assertThat(body.path("case_id").asText()).matches("CRM-\\d{6}");
        assertThat(body.path("title").asText()).isEqualTo("Kuoppa");
        assertThat(body.path("description").asText()).isEqualTo("Syvä kuoppa pyörätiellä");
        assertThat(body.path("location").path("address").asText()).isEqualTo("Hämeentie 1");
        assertThat(body.path("submitted_at").asText()).isEqualTo("2026-11-27T12:00:00+02:00");
        assertThat(body.path("state").asText()).isEqualTo("RECEIVED");
        assertThat(body.path("published").asBoolean(true)).isFalse();
        assertThat(body.path("public_works").path("requested").asBoolean(true)).isFalse();
        assertThat(body.has("unknown_field")).isFalse();
    }

    @Test
    void answers401ForATokenWithoutBearer() {
        String reference = reference();
        Reply reply = http.put("/cases/" + reference, newRecord(reference), "Authorization", TOKEN);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(simulator.caseByReference(reference)).isEmpty();
    }

    @Test
    void aCaseInvalidForTheCrmIsRefused() {
        String reference = reference();
        for (String body : java.util.List.of("{\"category\": \"STREET_MAINTENANCE\"}",
                "{\"reference\": \"" + reference + "\", \"category\": \"X\", \"submitted_at\": \"yesterday\"}")) {
            assertThat(http.put("/cases/" + reference, body, AUTH).status()).as(body).isEqualTo(400);
        }
        assertThat(simulator.caseByReference(reference)).isEmpty();
    }

    @Test
    void operatorPlaysTheStaffWithoutAToken() {
        JsonNode created = create();
        String caseId = id(created);

        Reply moved = http.post("/operator/cases/" + caseId + "/state", "{\"state\": \"PROCESSED\"}");
        Reply published = http.post("/operator/cases/" + caseId + "/publish", "{\"published\": true}");
        Reply notes = http.post("/operator/cases/" + caseId + "/notes",
                "{\"status_notes\": \"Korjattu\", \"agency_responsible\": \"Rakennusvirasto\", \"expected_at\": \"2026-12-01T08:00:00Z\"}");
        Reply publicWorks = http.post("/operator/cases/" + caseId + "/public-works", "{\"work_type\": \"POTHOLE_REPAIR\"}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().path("state").asText()).isEqualTo("PROCESSED");
        assertThat(published.json().path("published").asBoolean()).isTrue();
        assertThat(notes.json().path("status_notes").asText()).isEqualTo("Korjattu");
        assertThat(notes.json().path("agency_responsible").asText()).isEqualTo("Rakennusvirasto");
        assertThat(notes.json().path("expected_at").asText()).isEqualTo("2026-12-01T08:00:00Z");
        JsonNode latest = publicWorks.json();
        assertThat(latest.path("public_works").path("requested").asBoolean()).isTrue();
        assertThat(latest.path("public_works").path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(latest.path("version").asInt()).isEqualTo(5);
        // as instants: ISO texts with fewer fraction digits (".91Z" for .910) do not sort as their times do
        assertThat(java.time.Instant.parse(latest.path("updated_at").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(created.path("updated_at").asText()));
        assertThat(http.get("/cases/" + caseId, AUTH).json()).isEqualTo(latest);
    }

    @Test
    void operatorRejectsAnIncompleteModerationOrPublicWorks() {
        String caseId = id(create());

        assertThat(http.post("/operator/cases/" + caseId + "/publish", "{}").status()).isEqualTo(400);
        assertThat(http.post("/operator/cases/" + caseId + "/public-works", "{}").status()).isEqualTo(400);
        assertThat(simulator.caseById(caseId).path("version").asInt()).isEqualTo(1);
    }

    @Test
    void javaMethodsDriveTheSameCases() {
        String caseId = id(create());

        simulator.moveState(caseId, "REJECTED");
        simulator.publish(caseId, true);
        simulator.addNotes(caseId, "Ei toimenpiteitä", null, null);
        simulator.sendToPublicWorks(caseId, "POTHOLE_REPAIR");

        JsonNode read = http.get("/cases/" + caseId, AUTH).json();
        assertThat(read.path("state").asText()).isEqualTo("REJECTED");
        assertThat(read.path("published").asBoolean()).isTrue();
        assertThat(read.path("status_notes").asText()).isEqualTo("Ei toimenpiteitä");
        assertThat(read.path("agency_responsible").asText()).isEmpty();
        assertThat(read.path("expected_at").isNull()).isTrue();
        assertThat(read.path("public_works").path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(read.path("version").asInt()).isEqualTo(5);
        assertThat(simulator.caseById(caseId)).isEqualTo(read);
        assertThat(simulator.cases()).anySatisfy(item -> assertThat(id(item)).isEqualTo(caseId));
        assertThatThrownBy(() -> simulator.moveState(caseId, "LOST")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulator.moveState("CRM-999999", "PROCESSED")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void operatorEditsTheTextsToPublishAndTheFeedCarriesThem() {
        JsonNode created = create();
        String caseId = id(created);
        String cursor = endOfFeed();

        Reply edited = http.post("/operator/cases/" + caseId + "/public-text",
                "{\"title\": \"Kuoppa\", \"description\": \"Kuoppa pyörätiellä\"}");
        Reply titleCleared = http.post("/operator/cases/" + caseId + "/public-text", "{\"title\": \"\"}");
        JsonNode page = http.get("/changes?since=" + cursor, AUTH).json();

        assertThat(created.path("public_title").isNull()).isTrue();
        assertThat(created.path("public_description").isNull()).isTrue();
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().path("public_description").asText()).isEqualTo("Kuoppa pyörätiellä");
        assertThat(edited.json().path("description").asText()).as("the resident's text kept").isEqualTo("Syvä kuoppa pyörätiellä");
        assertThat(titleCleared.json().path("public_title").isNull()).isTrue();
        assertThat(page.path("changes")).singleElement().satisfies(change -> {
            assertThat(change.path("public_description").asText()).isEqualTo("Kuoppa pyörätiellä");
            assertThat(change.path("version").asInt()).isEqualTo(3);
        });
        assertThat(http.post("/operator/cases/" + caseId + "/public-text", "{}").status()).isEqualTo(400);
        assertThat(simulator.editPublicText(caseId, "Kuoppa", null).path("public_title").asText()).isEqualTo("Kuoppa");
    }
}

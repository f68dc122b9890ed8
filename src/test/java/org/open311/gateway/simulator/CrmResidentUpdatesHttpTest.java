package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.open311.gateway.simulator.SimulatorHttp.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRM simulator's residents' updates over real HTTP: the API call, its faults and auth, and the operator's view. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmResidentUpdatesHttpTest {

    private static final String TOKEN = "crm-updates-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static final String UPDATE = "{\"update_id\": \"u1\", \"reference\": \"r1\", \"status\": \"REOPEN\","
            + " \"description\": \"Yhä rikki\", \"contact\": {\"email\": \"a@example.org\"}}";

    private CrmSimulator crm;
    private SimulatorHttp http;

    @BeforeAll
    void start() throws Exception {
        crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), TOKEN);
        http = new SimulatorHttp(crm.baseUrl());
    }

    @AfterAll
    void stop() {
        crm.stop();
    }

    @Test
    void anUpdateIsPutOncePerIdListedForTheOperatorAndPublishedIntoTheFeed() {
        String caseId = http.put("/cases/r1", "{\"reference\": \"r1\", \"category\": \"STREET\", \"description\": \"Kuoppa\"}", AUTH)
                .json().path("case_id").asText();
        assertThat(http.put("/cases/" + caseId + "/updates/u1", UPDATE).status()).as("no token").isEqualTo(401);
        assertThat(http.put("/cases/CRM-999999/updates/u1", UPDATE, AUTH).status()).isEqualTo(404);
        assertThat(http.put("/cases/" + caseId + "/updates/u2", UPDATE, AUTH).status()).as("id differs from the path").isEqualTo(400);
        crm.faults("down", 0);
        assertThat(http.put("/cases/" + caseId + "/updates/u1", UPDATE, AUTH).status()).isEqualTo(503);
        crm.faults("none", 0);

        Reply created = http.put("/cases/" + caseId + "/updates/u1", UPDATE, AUTH);
        Reply again = http.put("/cases/" + caseId + "/updates/u1", UPDATE, AUTH);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("update_id").asText()).isEqualTo("u1");
        assertThat(created.json().path("case_id").asText()).isEqualTo(caseId);
        assertThat(again.status()).isEqualTo(200);
        JsonNode listed = http.get("/operator/updates").json();
        assertThat(listed).singleElement().satisfies(update -> {
            assertThat(update.path("put_count").asInt()).isEqualTo(2);
            assertThat(update.path("published").asBoolean(true)).isFalse();
        });

        long cursor = http.get("/changes?since=0", AUTH).json().path("next_cursor").asLong();
        Reply published = http.post("/operator/cases/" + caseId + "/updates/u1/publish", "{}");
        assertThat(published.status()).isEqualTo(200);
        assertThat(published.json().path("published").asBoolean()).isTrue();
        JsonNode changes = http.get("/changes?since=" + cursor, AUTH).json().path("changes");
        assertThat(changes).singleElement().satisfies(change -> assertThat(change.path("status_notes").asText()).isEqualTo("Yhä rikki"));
        assertThat(http.post("/operator/cases/" + caseId + "/updates/u9/publish", "{}").status()).isEqualTo(404);
    }
}

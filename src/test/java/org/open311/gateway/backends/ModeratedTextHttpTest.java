package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A moderator's edit reaches every answer (issue 16, deviation 3): the CRM's staff remove a name from a
 * resident's title and description and publish the case; requests by id and in lists (JSON and XML) and the
 * update feed then show the public texts and never the name, while the store and the CRM keep what the
 * resident wrote.
 */
abstract class ModeratedTextHttpTest extends GatewayTestSupport {

    static final String KEY = "moderation-key";
    static final String NAME = "Meikäläinen";
    static final String TITLE = "Matti " + NAME + " jätti kuopan";
    static final String DESCRIPTION = "Naapurini Matti " + NAME + " kaivoi kuopan pyörätielle Hämeentiellä";
    static final String PUBLIC_TITLE = "Kuoppa pyörätiellä";
    static final String PUBLIC_DESCRIPTION = "Joku kaivoi kuopan pyörätielle Hämeentiellä";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Properties settings() {
        return polledEvery100Ms(KEY);
    }

    @Test
    void aNameAModeratorRemovedAppearsInNoAnswerOncePublished() throws Exception {
        Instant start = Instant.now().minusSeconds(2);
        String id = post();
        String caseId = await().atMost(WAIT).until(() -> crm().caseByReference(id), java.util.Optional::isPresent)
                .orElseThrow().path("case_id").asText();

        crm().editPublicText(caseId, PUBLIC_TITLE, PUBLIC_DESCRIPTION);
        crm().publish(caseId, true);
        await().atMost(WAIT).until(() -> get("/v1/requests.json?extensions=true").body().contains(PUBLIC_DESCRIPTION));

        JsonNode byId = get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
        assertThat(byId.path("description").asText()).isEqualTo(PUBLIC_DESCRIPTION);
        assertThat(byId.path("extended_attributes").path("title").asText()).isEqualTo(PUBLIC_TITLE);
        HttpAnswer xml = get("/v1/requests/" + id + ".xml?extensions=true");
        assertThat(xml.xpath("/service_requests/request/description")).containsExactly(PUBLIC_DESCRIPTION);
        assertThat(xml.xpath("/service_requests/request/extended_attributes/title")).containsExactly(PUBLIC_TITLE);
        String window = "start_date=" + encode(start.toString()) + "&end_date=" + encode(Instant.now().plusSeconds(60).toString());
        for (String path : List.of("/v1/requests/" + id + ".json?extensions=true", "/v1/requests/" + id + ".xml?extensions=true",
                "/v1/requests.json?extensions=true", "/v1/requests.xml?extensions=true",
                "/v1/requests.json?extensions=true&service_request_id=" + id, "/v1/requests.xml?service_request_id=" + id,
                "/v1/servicerequestupdates.json?" + window, "/v1/servicerequestupdates.xml?" + window)) {
            HttpAnswer answer = get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.body()).as(path).doesNotContain(NAME);
        }
        assertThat(get("/v1/servicerequestupdates.json?" + window).json().path("service_request_updates")
                .findValuesAsText("service_request_id")).as("the feed shows the request").contains(id);

        // what the resident wrote stays, for the CRM and the audit
        assertThat(stored(id)).containsExactly(TITLE, DESCRIPTION);
        JsonNode crmCase = crm().caseById(caseId);
        assertThat(crmCase.path("description").asText()).isEqualTo(DESCRIPTION);
        assertThat(crmCase.path("public_description").asText()).isEqualTo(PUBLIC_DESCRIPTION);
    }

    @Test
    void aCaseNotEditedShowsTheResidentsText() {
        String id = post();
        String caseId = await().atMost(WAIT).until(() -> crm().caseByReference(id), java.util.Optional::isPresent)
                .orElseThrow().path("case_id").asText();

        crm().publish(caseId, true);
        // lists show published requests only
        await().atMost(WAIT).until(() -> get("/v1/requests.json").jsonField("service_request_id").contains(id));

        JsonNode byId = get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
        assertThat(byId.path("description").asText()).isEqualTo(DESCRIPTION);
        assertThat(byId.path("extended_attributes").path("title").asText()).isEqualTo(TITLE);
    }

    @Test
    void staffsTextsLongerThanTheirColumnsAreShownCutAndTheFeedGoesOn() {
        // no name in it: the class's other tests read the same public lists
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171",
                "description", "Kuoppa pyörätiellä Hämeentiellä", "lat", "60.1841", "long", "24.9519");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        String caseId = await().atMost(WAIT).until(() -> crm().caseByReference(id), java.util.Optional::isPresent)
                .orElseThrow().path("case_id").asText();

        // the CRM's contract bounds neither: before, the store refused the write and the feed stopped at this change
        crm().addNotes(caseId, "Korjataan ensi viikolla. ".repeat(250), "Kaupunkiympäristön toimiala, ".repeat(20), null);
        crm().publish(caseId, true);
        await().atMost(WAIT).until(() -> get("/v1/requests.json").jsonField("service_request_id").contains(id));

        JsonNode byId = get("/v1/requests/" + id + ".json").json().get(0);
        assertThat(byId.path("status_notes").asText()).hasSize(5000).startsWith("Korjataan ensi viikolla. ");
        assertThat(byId.path("agency_responsible").asText()).hasSize(500).startsWith("Kaupunkiympäristön toimiala, ");
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private String post() {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "title", TITLE,
                "description", DESCRIPTION, "lat", "60.1841", "long", "24.9519");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    private List<String> stored(String id) throws Exception {
        DataSource store = context.getRegistry().lookupByNameAndType("store", DataSource.class);
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT title, description FROM service_request WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return List.of(row.getString(1), row.getString(2));
            }
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

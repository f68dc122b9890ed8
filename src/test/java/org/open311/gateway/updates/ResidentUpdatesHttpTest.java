package org.open311.gateway.updates;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.CapturedLog;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.observe.PrometheusText;
import org.open311.gateway.simulator.CrmSimulator;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST servicerequestupdates over real HTTP with the CRM simulator: a resident's update is answered at once with the
 * gateway's update_id, stored, and delivered to the CRM once (also when the CRM is down during the post); a repeated
 * update_id is stored once and answered the same; bad input is refused whole; a published update comes back through
 * the CRM's feed into GET servicerequestupdates; contact data never appears in an answer or the log.
 */
abstract class ResidentUpdatesHttpTest extends GatewayTestSupport {

    static final String KEY = "resident-updates-key";
    static final String EMAIL = "paivitys.asukas@example.fi";
    static final String FIRST_NAME = "Kyllikkiina";
    static final String LAST_NAME = "Päivittäjä";
    static final String PHONE = "+358409876543";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Properties settings() {
        return retriedFast(KEY);
    }

    @Test
    void anUpdateIsAnsweredWithItsIdStoredAndReachesTheCrmOnceInBothFormats() throws Exception {
        String id = postRequest();
        String caseId = awaitCase(id);

        HttpAnswer json = postUpdate("json", id, "fms-1001", "status", "OPEN", "description", "Kuoppa on nyt isompi.",
                "media_url", "https://photos.example.org/kuoppa.jpg");
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        String updateId = json.json().path("service_request_updates").get(0).path("update_id").asText();
        assertThat(updateId).isNotBlank().isNotEqualTo("fms-1001");
        assertThat(stored("SELECT COUNT(*) FROM request_update WHERE id = ? AND request_id = ? AND status = 'OPEN'", updateId, id))
                .isEqualTo(1);

        HttpAnswer xml = postUpdate("xml", id, "fms-1002", "status", "FIXED", "description", "Korjattu, kiitos.");
        assertThat(xml.status()).as(xml.body()).isEqualTo(200);
        assertThat(xml.contentType()).startsWith("text/xml");
        List<String> xmlIds = xml.xpath("/service_request_updates/request_update/update_id");
        assertThat(xmlIds).hasSize(1).doesNotContain(updateId);

        await().atMost(WAIT).until(() -> atCrm(updateId) && atCrm(xmlIds.get(0)));
        JsonNode atCrm = updateAtCrm(updateId);
        assertThat(atCrm.path("case_id").asText()).isEqualTo(caseId);
        assertThat(atCrm.path("reference").asText()).isEqualTo(id);
        assertThat(atCrm.path("status").asText()).isEqualTo("OPEN");
        assertThat(atCrm.path("description").asText()).isEqualTo("Kuoppa on nyt isompi.");
        assertThat(atCrm.path("attachments").get(0).path("url").asText()).isEqualTo("https://photos.example.org/kuoppa.jpg");
        assertThat(atCrm.path("contact").path("email").asText()).isEqualTo(EMAIL);
        assertThat(updateAtCrm(xmlIds.get(0)).path("status").asText()).isEqualTo("FIXED");
        await().atMost(WAIT).until(() -> stored("SELECT COUNT(*) FROM forward_task WHERE update_id IN (?, ?) AND state = 'SENT'",
                updateId, xmlIds.get(0)) == 2);
        assertThat(updateAtCrm(updateId).path("put_count").asInt()).isEqualTo(1);
        assertThat(updateAtCrm(xmlIds.get(0)).path("put_count").asInt()).isEqualTo(1);
        // the request's status is the CRM's to change: FIXED asked for, nothing set by the gateway
        assertThat(get("/v1/requests/" + id + ".json").json().get(0).path("status").asText()).isEqualTo("open");
    }

    @Test
    void aRepeatedUpdateIdIsStoredOnceAndAnsweredTheSame() throws Exception {
        String id = postRequest();
        awaitCase(id);
        PrometheusText before = PrometheusText.scrape(managementPort());
        HttpAnswer first = postUpdate("json", id, "fms-2001", "status", "OPEN", "description", "Yhä rikki.");
        HttpAnswer again = postUpdate("json", id, "fms-2001", "status", "OPEN", "description", "Yhä rikki.");
        HttpAnswer asXml = postUpdate("xml", id, "fms-2001", "status", "OPEN", "description", "Yhä rikki.");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        String updateId = first.json().path("service_request_updates").get(0).path("update_id").asText();
        assertThat(again.json().path("service_request_updates").get(0).path("update_id").asText()).isEqualTo(updateId);
        assertThat(asXml.xpath("/service_request_updates/request_update/update_id")).containsExactly(updateId);
        assertThat(stored("SELECT COUNT(*) FROM request_update WHERE client_update_id = ?", "fms-2001")).isEqualTo(1);
        PrometheusText after = PrometheusText.scrape(managementPort());
        assertThat(after.sum("open311_service_request_updates_accepted_total") - before.sum("open311_service_request_updates_accepted_total"))
                .as("the repeats are not counted").isEqualTo(1);
        // the server's own series, by the endpoint's template (recorded as the answer ends)
        String[] posts = {"endpoint", "/v1/servicerequestupdates.{format}", "method", "POST"};
        await().atMost(WAIT).until(() -> PrometheusText.scrape(managementPort()).sum("open311_http_server_requests_seconds_count", posts)
                - before.sum("open311_http_server_requests_seconds_count", posts) == 3);
        await().atMost(WAIT).until(() -> stored("SELECT COUNT(*) FROM forward_task WHERE update_id = ? AND state = 'SENT'", updateId) == 1);
        assertThat(updateAtCrm(updateId).path("put_count").asInt()).isEqualTo(1);
    }

    @Test
    void anUpdatePostedWhileTheCrmIsDownIsAcceptedAndDeliveredOnceItIsBack() throws Exception {
        String id = postRequest();
        awaitCase(id);
        crm().faults("down", 0);
        String updateId;
        try {
            HttpAnswer posted = postUpdate("json", id, "fms-3001", "status", "REOPEN", "description", "Ei korjattu.");
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            updateId = posted.json().path("service_request_updates").get(0).path("update_id").asText();
            await().atMost(WAIT).until(() -> stored("SELECT COUNT(*) FROM forward_attempt WHERE request_id = ? AND outcome <> 'SENT'",
                    id) > 0);
            assertThat(crm().residentUpdates()).noneMatch(update -> update.path("update_id").asText().equals(updateId));
        } finally {
            crm().faults("none", 0);
        }
        await().atMost(WAIT).until(() -> stored("SELECT COUNT(*) FROM forward_task WHERE update_id = ? AND state = 'SENT'", updateId) == 1);
        assertThat(updateAtCrm(updateId).path("put_count").asInt()).isEqualTo(1);
        assertThat(updateAtCrm(updateId).path("status").asText()).isEqualTo("REOPEN");
    }

    @Test
    void badInputIsRefusedWholeAndNothingIsStored() throws Exception {
        String id = postRequest();
        long before = stored("SELECT COUNT(*) FROM request_update");

        HttpAnswer bad = postForm("/v1/servicerequestupdates.json", "api_key", KEY, "service_request_id", id,
                "status", "SOLVED", "updated_datetime", "yesterday", "email", "not an address", "media_url", "ftp://x/y.txt");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.jsonField("code")).allMatch("400"::equals);
        assertThat(bad.jsonField("description")).anyMatch(d -> d.startsWith("update_id: required"))
                .anyMatch(d -> d.startsWith("status: must be one of"))
                .anyMatch(d -> d.startsWith("description: required"))
                .anyMatch(d -> d.startsWith("updated_datetime: must be a W3C datetime"))
                .anyMatch(d -> d.startsWith("email: not a valid email address"))
                .anyMatch(d -> d.startsWith("media_url: "));
        assertThat(bad.body()).doesNotContain("not an address");

        HttpAnswer badXml = postForm("/v1/servicerequestupdates.xml", "api_key", KEY, "service_request_id", id,
                "update_id", "fms-4001", "status", "OPEN", "updated_datetime", Instant.now().toString(), "description", "<b>hei</b>");
        assertThat(badXml.status()).isEqualTo(400);
        assertThat(badXml.xpath("/errors/error/description")).containsExactly("description: must be plain text, without HTML or other markup");

        HttpAnswer unknown = postUpdate("json", "0000000000000000000a", "fms-4002", "status", "OPEN", "description", "Kuoppa");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.jsonField("description").get(0)).startsWith("service_request_id: request");

        HttpAnswer noKey = postUpdate("json", id, "fms-4003", "api_key", "wrong", "status", "OPEN", "description", "Kuoppa");
        assertThat(noKey.status()).isEqualTo(403);
        HttpAnswer notAForm = send(java.net.http.HttpRequest.newBuilder(uri("/v1/servicerequestupdates.json"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(notAForm.status()).isEqualTo(415);

        assertThat(stored("SELECT COUNT(*) FROM request_update")).isEqualTo(before);
        assertThat(stored("SELECT COUNT(*) FROM forward_task WHERE update_id <> ''")).isEqualTo(stored(
                "SELECT COUNT(*) FROM forward_task t JOIN request_update u ON u.id = t.update_id"));
    }

    @Test
    void anUploadedPhotoIsCheckedAndKeptAsForARequest() throws Exception {
        String id = postRequest();
        awaitCase(id);
        HttpAnswer posted = postMultipart("/v1/servicerequestupdates.json", List.of(Part.field("api_key", KEY),
                Part.field("service_request_id", id), Part.field("update_id", "fms-5001"), Part.field("status", "OPEN"),
                Part.field("updated_datetime", Instant.now().toString()), Part.field("description", "Kuva liitteenä."),
                Part.file("media", "kuoppa.png", TestImages.png())));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String updateId = posted.json().path("service_request_updates").get(0).path("update_id").asText();
        await().atMost(WAIT).until(() -> atCrm(updateId));
        String url = updateAtCrm(updateId).path("attachments").get(0).path("url").asText();
        assertThat(url).contains("/media/");
        assertThat(get(url.substring(url.indexOf("/v1/media/"))).status()).isEqualTo(200);

        HttpAnswer notAnImage = postMultipart("/v1/servicerequestupdates.json", List.of(Part.field("api_key", KEY),
                Part.field("service_request_id", id), Part.field("update_id", "fms-5002"), Part.field("status", "OPEN"),
                Part.field("updated_datetime", Instant.now().toString()), Part.field("description", "Ei kuva."),
                Part.file("media", "notes.png", "just text".getBytes(StandardCharsets.UTF_8))));
        assertThat(notAnImage.status()).isEqualTo(400);
        assertThat(stored("SELECT COUNT(*) FROM request_update WHERE client_update_id = ?", "fms-5002")).isZero();
    }

    @Test
    void aPublishedUpdateComesBackThroughTheCrmFeedIntoTheUpdatesFeed() throws Exception {
        Instant start = Instant.now().minusSeconds(2);
        String id = postRequest();
        String caseId = awaitCase(id);
        crm().publish(caseId, true);
        String updateId = postUpdate("json", id, "fms-6001", "status", "OPEN", "description", "Kuoppa laajenee kaistalle.")
                .json().path("service_request_updates").get(0).path("update_id").asText();
        await().atMost(WAIT).until(() -> atCrm(updateId));

        crm().publishResidentUpdate(caseId, updateId);

        String window = "start_date=" + encode(start.toString()) + "&end_date=" + encode(Instant.now().plusSeconds(60).toString());
        await().atMost(WAIT).until(() -> feed(window, id).contains("Kuoppa laajenee kaistalle."));
        HttpAnswer xml = get("/v1/servicerequestupdates.xml?" + window);
        assertThat(xml.xpath("/service_request_updates/request_update/description")).contains("Kuoppa laajenee kaistalle.");
        assertThat(xml.body()).doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE);
        // under the update_id its POST was answered, once: the posting app knows it as its own (FixMyStreet)
        HttpAnswer json = get("/v1/servicerequestupdates.json?" + window);
        assertThat(json.json().path("service_request_updates")).filteredOn(u -> u.path("service_request_id").asText().equals(id))
                .filteredOn(u -> u.path("description").asText().equals("Kuoppa laajenee kaistalle."))
                .singleElement().satisfies(u -> assertThat(u.path("update_id").asText()).isEqualTo(updateId));

        // staff's own later answer is an update of the feed's own, and the resident's keeps its id
        crm().addNotes(caseId, "Korjataan ensi viikolla.", "Kaupunkiympäristö", null);
        await().atMost(WAIT).until(() -> feed(window, id).contains("Korjataan ensi viikolla."));
        List<String> ids = new ArrayList<>();
        get("/v1/servicerequestupdates.json?" + window).json().path("service_request_updates")
                .forEach(u -> ids.add(u.path("update_id").asText()));
        assertThat(ids).doesNotHaveDuplicates().containsOnlyOnce(updateId);
    }

    @Test
    void contactDataNeverReachesAnAnswerOrTheLog() throws Exception {
        CapturedLog log = CapturedLog.at(Level.DEBUG);
        List<HttpAnswer> answers = new ArrayList<>();
        try (log) {
            String id = postRequest();
            awaitCase(id);
            answers.add(postUpdate("json", id, "fms-7001", "status", "OPEN", "description", "Yhteystiedot mukana."));
            answers.add(postUpdate("xml", id, "fms-7001", "status", "OPEN", "description", "Yhteystiedot mukana."));
            answers.add(postUpdate("json", id, "fms-7002", "status", "BAD", "description", "Virheellinen tila."));
            answers.add(postUpdate("json", id, "fms-7003", "api_key", "wrong-" + KEY, "status", "OPEN", "description", "Väärä avain."));
            await().atMost(WAIT).until(() -> crm().residentUpdates().stream()
                    .anyMatch(u -> u.path("description").asText().equals("Yhteystiedot mukana.")));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.body()).doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE, KEY));
        log.assertNoneContains(EMAIL, FIRST_NAME, LAST_NAME, PHONE, KEY);
    }

    /** A valid update with contact data; {@code fields} add or (given first) replace fields. */
    private HttpAnswer postUpdate(String format, String requestId, String clientId, String... fields) {
        List<String> form = new ArrayList<>(List.of(fields));
        for (String[] pair : new String[][]{{"api_key", KEY}, {"service_request_id", requestId}, {"update_id", clientId},
                {"updated_datetime", Instant.now().toString()}, {"email", EMAIL}, {"first_name", FIRST_NAME},
                {"last_name", LAST_NAME}, {"phone", PHONE}}) {
            if (!has(form, pair[0])) {
                form.add(pair[0]);
                form.add(pair[1]);
            }
        }
        return postForm("/v1/servicerequestupdates." + format, form.toArray(String[]::new));
    }

    private static boolean has(List<String> form, String name) {
        for (int i = 0; i < form.size(); i += 2) {
            if (form.get(i).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private String postRequest() {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "large",
                "description", "Syvä kuoppa pyörätiellä Hämeentiellä", "lat", "60.1841", "long", "24.9519",
                "email", EMAIL, "first_name", FIRST_NAME, "phone", PHONE);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    private String awaitCase(String id) {
        return await().atMost(WAIT).until(() -> crm().caseByReference(id), Optional::isPresent).orElseThrow().path("case_id").asText();
    }

    private boolean atCrm(String updateId) {
        return crm().residentUpdates().stream().anyMatch(u -> u.path("update_id").asText().equals(updateId));
    }

    private JsonNode updateAtCrm(String updateId) {
        return crm().residentUpdates().stream().filter(u -> u.path("update_id").asText().equals(updateId)).findFirst().orElseThrow();
    }

    private List<String> feed(String window, String id) {
        HttpAnswer answer = get("/v1/servicerequestupdates.json?" + window);
        List<String> descriptions = new ArrayList<>();
        answer.json().path("service_request_updates").forEach(u -> {
            if (u.path("service_request_id").asText().equals(id)) {
                descriptions.add(u.path("description").asText());
            }
        });
        return descriptions;
    }

    private long stored(String sql, Object... values) throws Exception {
        try (Connection connection = store().getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setObject(i + 1, values[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }
}

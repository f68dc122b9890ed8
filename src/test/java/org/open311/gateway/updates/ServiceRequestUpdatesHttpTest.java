package org.open311.gateway.updates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET servicerequestupdates over real HTTP with both simulators: staff move a request through CRM and Aspa
 * states and the feed shows each change clients could see, in order, the same on every read, in JSON and XML,
 * without contact data; a burst of updates sharing one timestamp is paged without a gap or a repeat.
 */
abstract class ServiceRequestUpdatesHttpTest extends GatewayTestSupport {

    static final String KEY = "updates-key";
    static final String EMAIL = "updates.resident@example.fi";
    static final String FIRST_NAME = "Maijaliisa";
    static final String PHONE = "+358401234567";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Properties settings() {
        return retriedFast(KEY);
    }

    @Test
    void aRequestMovedThroughCrmAndAspaStatesYieldsItsUpdatesInOrderInBothFormats() {
        Instant start = Instant.now().minusSeconds(2);
        String id = post();
        String caseId = awaitCase(id).path("case_id").asText();
        JsonNode workOrder = await().atMost(WAIT).until(() -> aspa().recordByReference(id), Optional::isPresent).orElseThrow();

        // staff work on it before it is public: the feed shows nothing of it
        crm().moveState(caseId, "IN_PROCESS");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("IN_PROCESS,PUBLIC_WORKS_NEW"));
        assertThat(updatesOf(id, window(start, Instant.now().plusSeconds(60)))).isEmpty();

        crm().publish(caseId, true);
        await().atMost(WAIT).until(() -> updatesOf(id, window(start, Instant.now().plusSeconds(60))).size() == 1);
        aspa().moveState(workOrder.path("work_order_id").asText(), "COMPLETED", "Crew 7");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("IN_PROCESS,PUBLIC_WORKS_COMPLETED"));
        crm().addNotes(caseId, "Kuoppa on korjattu.", "Kaupunkiympäristö", OffsetDateTime.parse("2026-12-01T12:00:00Z"));
        crm().moveState(caseId, "PROCESSED");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("PROCESSED,PUBLIC_WORKS_COMPLETED"));

        String window = window(start, Instant.now().plusSeconds(60));
        List<JsonNode> updates = updatesOf(id, window);
        List<String> codes = updates.stream().map(u -> u.path("external_status_code").asText()).toList();
        assertThat(codes.get(0)).isEqualTo("IN_PROCESS,PUBLIC_WORKS_NEW");
        assertThat(codes).containsSubsequence("IN_PROCESS,PUBLIC_WORKS_NEW", "IN_PROCESS,PUBLIC_WORKS_COMPLETED",
                "PROCESSED,PUBLIC_WORKS_COMPLETED");
        JsonNode first = updates.get(0);
        assertThat(first.path("status").asText()).isEqualTo("open");
        assertThat(first.path("service_request_id").asText()).isEqualTo(id);
        assertThat(first.path("media_url").asText()).isEmpty();
        JsonNode last = updates.get(updates.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("closed");
        assertThat(last.path("description").asText()).isEqualTo("Kuoppa on korjattu.");
        assertThat(last.path("external_status_code").asText()).isEqualTo("PROCESSED,PUBLIC_WORKS_COMPLETED");
        // an update per change clients can see: never the same thing twice in a row
        for (int i = 1; i < updates.size(); i++) {
            assertThat(visible(updates.get(i))).as("update %d shows a change", i).isNotEqualTo(visible(updates.get(i - 1)));
        }
        // time order, then update_id; each time inside the window
        for (int i = 1; i < updates.size(); i++) {
            Instant before = OffsetDateTime.parse(updates.get(i - 1).path("updated_datetime").asText()).toInstant();
            Instant after = OffsetDateTime.parse(updates.get(i).path("updated_datetime").asText()).toInstant();
            assertThat(after).isAfterOrEqualTo(before);
        }

        // the XML answer says the same, element for element
        HttpAnswer json = get("/v1/servicerequestupdates.json?" + window);
        HttpAnswer xml = get("/v1/servicerequestupdates.xml?" + window);
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).startsWith("text/xml");
        List<JsonNode> all = list(json);
        for (String field : List.of("update_id", "service_request_id", "status", "updated_datetime", "description",
                "media_url", "external_status_code")) {
            assertThat(xml.xpath("/service_request_updates/request_update/" + field)).as(field)
                    .containsExactlyElementsOf(all.stream().map(u -> u.path(field).asText()).toList());
        }
        assertThat(json.body()).doesNotContain(EMAIL, FIRST_NAME, PHONE, KEY);
        assertThat(xml.body()).doesNotContain(EMAIL, FIRST_NAME, PHONE, KEY);
    }

    @Test
    void theSameWindowReadTwiceGivesTheSameUpdatesAndEachTimeLiesInsideIt() {
        Instant start = Instant.now().minusSeconds(2);
        String id = post();
        String caseId = awaitCase(id).path("case_id").asText();
        crm().publish(caseId, true);
        crm().moveState(caseId, "IN_PROCESS");
        await().atMost(WAIT).until(() -> detailedStatus(id).startsWith("IN_PROCESS"));
        await().atMost(WAIT).until(() -> !updatesOf(id, window(start, Instant.now().plusSeconds(60))).isEmpty());

        // FixMyStreet's way: an overlapping window, read again a few minutes later
        String window = window(start.minusSeconds(7200), Instant.now().plusSeconds(1));
        HttpAnswer first = get("/v1/servicerequestupdates.json?" + window + "&jurisdiction_id=helsinki&api_key=anything");
        HttpAnswer second = get("/v1/servicerequestupdates.json?" + window);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(ids(second)).isNotEmpty().containsExactlyElementsOf(ids(first));
        assertThat(new HashSet<>(ids(first))).hasSameSizeAs(ids(first));

        // a window that starts at an update's second leaves out what came before it, never shows a time outside it
        List<JsonNode> all = list(first);
        String from = all.get(all.size() - 1).path("updated_datetime").asText();
        Instant fromInstant = OffsetDateTime.parse(from).toInstant();
        HttpAnswer narrow = get("/v1/servicerequestupdates.json?start_date=" + encode(fromInstant.plusMillis(500).toString())
                + "&end_date=" + encode(Instant.now().plusSeconds(1).toString()));
        assertThat(list(narrow)).allSatisfy(update -> assertThat(OffsetDateTime.parse(update.path("updated_datetime").asText())
                .toInstant()).isAfterOrEqualTo(fromInstant.plusSeconds(1)));

        // HTTP conventions: a validator and freshness, 304 for the ETag held, HEAD without a body, 405 elsewhere
        String etag = first.raw().headers().firstValue("ETag").orElseThrow();
        assertThat(first.raw().headers().firstValue("Cache-Control")).isPresent();
        HttpAnswer unchanged = get("/v1/servicerequestupdates.json?" + window, "If-None-Match", etag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        HttpAnswer head = send(HttpRequest.newBuilder(uri("/v1/servicerequestupdates.xml?" + window))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpAnswer delete = send(HttpRequest.newBuilder(uri("/v1/servicerequestupdates.json")).DELETE().build());
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.raw().headers().firstValue("Allow").orElse("")).contains("GET");
    }

    @Test
    void aBurstOfUpdatesSharingATimestampIsPagedWithoutGapOrRepeat() throws Exception {
        Instant start = Instant.now().minusSeconds(2);
        String id = post();
        // published by staff (a later feed change would undo a publication written here in the store)
        crm().publish(awaitCase(id).path("case_id").asText(), true);
        await().atMost(WAIT).until(() -> !updatesOf(id, window(start, Instant.now().plusSeconds(60))).isEmpty());
        OffsetDateTime burst = OffsetDateTime.of(2026, 3, 14, 10, 0, 0, 0, ZoneOffset.UTC);
        try (Connection connection = store().getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO request_history (request_id, changed_at,"
                    + " source, status, detailed_status, status_notes, published, shows_change)"
                    + " VALUES (?, ?, 'crm', 'open', 'IN_PROCESS', ?, TRUE, TRUE)")) {
                for (int i = 0; i < 11; i++) {
                    insert.setString(1, id);
                    insert.setObject(2, burst);
                    insert.setString(3, "Vaihe " + i);
                    insert.executeUpdate();
                }
            }
        }
        String window = "start_date=2026-03-14T09:00:00Z&end_date=2026-03-14T11:00:00Z";
        List<String> whole = ids(get("/v1/servicerequestupdates.json?" + window));
        assertThat(whole).hasSize(11);
        assertThat(list(get("/v1/servicerequestupdates.json?" + window))).allSatisfy(update ->
                assertThat(OffsetDateTime.parse(update.path("updated_datetime").asText()).toInstant()).isEqualTo(burst.toInstant()));

        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            HttpAnswer answer = get("/v1/servicerequestupdates.json?" + window + "&page_size=3&page=" + page);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            paged.addAll(ids(answer));
        }
        assertThat(paged).containsExactlyElementsOf(whole);
        Set<String> distinct = new HashSet<>(paged);
        assertThat(distinct).hasSize(11);
        HttpAnswer lastPage = get("/v1/servicerequestupdates.xml?" + window + "&page_size=3&page=4");
        assertThat(lastPage.status()).as(lastPage.body()).isEqualTo(200);
        assertThat(lastPage.xpath("/service_request_updates/request_update/update_id")).as(lastPage.body()).containsExactlyElementsOf(whole.subList(9, 11));
    }

    @Test
    void badWindowsAreAnsweredInTheErrorShapeInBothFormats() {
        HttpAnswer badDate = get("/v1/servicerequestupdates.json?start_date=yesterday");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.jsonField("code")).containsExactly("400");
        assertThat(badDate.jsonField("description").get(0)).startsWith("start_date: must be a W3C datetime");

        HttpAnswer tooLong = get("/v1/servicerequestupdates.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.xpath("/errors/error/description"))
                .containsExactly("end_date: start_date and end_date may not span more than 7 days");

        HttpAnswer backwards = get("/v1/servicerequestupdates.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-31T00:00:00Z&page_size=0");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.jsonField("description")).containsExactly("end_date: must not be before start_date",
                "page_size: must be a whole number from 1 to 1000");

        HttpAnswer empty = get("/v1/servicerequestupdates.xml?start_date=2001-01-01&end_date=2001-01-02");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.xpath("/service_request_updates/request_update")).isEmpty();
        assertThat(get("/v1/servicerequestupdates.json?start_date=2001-01-01&end_date=2001-01-02").json()
                .path("service_request_updates").isArray()).isTrue();
    }

    private String post() {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "large",
                "description", "Syvä kuoppa pyörätiellä Hämeentiellä", "lat", "60.1841", "long", "24.9519",
                "email", EMAIL, "first_name", FIRST_NAME, "phone", PHONE);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    private JsonNode awaitCase(String id) {
        return await().atMost(WAIT).until(() -> crm().caseByReference(id), Optional::isPresent).orElseThrow();
    }

    private String detailedStatus(String id) {
        return get("/v1/requests/" + id + ".json?extensions=true").json().get(0)
                .path("extended_attributes").path("detailed_status").asText();
    }

    private static String window(Instant start, Instant end) {
        return "start_date=" + encode(start.toString()) + "&end_date=" + encode(end.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private List<JsonNode> updatesOf(String id, String window) {
        HttpAnswer answer = get("/v1/servicerequestupdates.json?" + window);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return list(answer).stream().filter(u -> u.path("service_request_id").asText().equals(id)).toList();
    }

    private static List<JsonNode> list(HttpAnswer answer) {
        List<JsonNode> updates = new ArrayList<>();
        answer.json().path("service_request_updates").forEach(updates::add);
        return updates;
    }

    private static List<String> ids(HttpAnswer answer) {
        return list(answer).stream().map(u -> u.path("update_id").asText()).toList();
    }

    private static String visible(JsonNode update) {
        return update.path("status").asText() + "|" + update.path("external_status_code").asText() + "|"
                + update.path("description").asText();
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private AspaSimulator aspa() {
        return context.getRegistry().lookupByNameAndType("aspaSimulator", AspaSimulator.class);
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }
}

package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.open311.gateway.simulator.SimulatorHttp.Reply;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CRM simulator honours docs/backends/feedback-crm.md over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmSimulatorTest {

    private static final String TOKEN = "crm-test-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

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

    @AfterEach
    void noFault() {
        crm.faults("none", 0);
    }

    @Test
    void putCreatesTheCaseOnceAndAnswersItAgain() {
        String reference = reference();
        Reply created = http.put("/cases/" + reference, newCase(reference), AUTH);
        Reply again = http.put("/cases/" + reference, newCase(reference), AUTH);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).isEqualTo("application/json");
        JsonNode body = created.json();
        assertThat(body.path("case_id").asText()).matches("CRM-\\d{6}");
        assertThat(body.path("reference").asText()).isEqualTo(reference);
        assertThat(body.path("title").asText()).isEqualTo("Kuoppa");
        assertThat(body.path("description").asText()).isEqualTo("Syvä kuoppa pyörätiellä");
        assertThat(body.path("location").path("address").asText()).isEqualTo("Hämeentie 1");
        assertThat(body.path("submitted_at").asText()).isEqualTo("2026-11-27T12:00:00+02:00");
        assertThat(body.path("state").asText()).isEqualTo("RECEIVED");
        assertThat(body.path("published").asBoolean(true)).isFalse();
        assertThat(body.path("public_works").path("requested").asBoolean(true)).isFalse();
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(body.has("unknown_field")).isFalse();
        assertThat(OffsetDateTime.parse(body.path("created_at").asText())).isNotNull();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(body);
        assertThat(crm.putCount(reference)).isEqualTo(2);
        List<JsonNode> listed = http.get("/operator/cases").json().findParents("reference").stream()
                .filter(item -> item.path("reference").asText().equals(reference)).toList();
        assertThat(listed).singleElement().satisfies(item -> assertThat(item.path("put_count").asInt()).isEqualTo(2));
    }

    @Test
    void readsACaseAndAnswers404ForAnUnknownOne() {
        JsonNode created = create();

        Reply read = http.get("/cases/" + created.path("case_id").asText(), AUTH);
        Reply unknown = http.get("/cases/CRM-999999", AUTH);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/json");
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void answers401WithoutTheRightToken() {
        String reference = reference();
        for (Reply reply : List.of(
                http.put("/cases/" + reference, newCase(reference)),
                http.put("/cases/" + reference, newCase(reference), "Authorization", "Bearer wrong"),
                http.get("/cases/CRM-000001", "Authorization", TOKEN),
                http.get("/changes?since=0"))) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).isEqualTo("application/json");
            assertThat(reply.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        }
        assertThat(crm.caseByReference(reference)).isEmpty();
    }

    @Test
    void answers400ForAnInvalidBody() {
        String reference = reference();
        for (String body : List.of("", "not json", "[1, 2]", "null",
                "{\"category\": \"STREET_MAINTENANCE\"}",
                "{\"reference\": \"" + reference + "\"}",
                "{\"reference\": \"other\", \"category\": \"STREET_MAINTENANCE\"}",
                "{\"reference\": \"" + reference + "\", \"category\": \"X\", \"submitted_at\": \"yesterday\"}")) {
            Reply reply = http.put("/cases/" + reference, body, AUTH);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo("bad_request");
        }
        assertThat(crm.caseByReference(reference)).isEmpty();
    }

    @Test
    void feedPagesThroughChangesWithTheCursor() {
        String cursor = endOfFeed();
        List<String> created = List.of(caseId(create()), caseId(create()), caseId(create()));

        JsonNode first = http.get("/changes?since=" + cursor + "&limit=2", AUTH).json();
        JsonNode second = http.get("/changes?since=" + first.path("next_cursor").asText() + "&limit=2", AUTH).json();
        JsonNode third = http.get("/changes?since=" + second.path("next_cursor").asText() + "&limit=2", AUTH).json();

        assertThat(first.path("changes").findValuesAsText("case_id")).containsExactlyElementsOf(created.subList(0, 2));
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(first.path("next_cursor").isTextual()).isTrue();
        assertThat(second.path("changes").findValuesAsText("case_id")).containsExactly(created.get(2));
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("changes")).isEmpty();
        assertThat(third.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("next_cursor").asText()).isEqualTo(second.path("next_cursor").asText());
    }

    @Test
    void aChangedCaseAppearsOnceAfterTheCursorInItsCurrentState() {
        String caseId = caseId(create());
        String cursor = endOfFeed();

        http.post("/operator/cases/" + caseId + "/state", "{\"state\": \"IN_PROCESS\"}");
        http.post("/operator/cases/" + caseId + "/publish", "{\"published\": true}");
        JsonNode page = http.get("/changes?since=" + cursor, AUTH).json();

        assertThat(page.path("changes")).singleElement().satisfies(change -> {
            assertThat(change.path("case_id").asText()).isEqualTo(caseId);
            assertThat(change.path("state").asText()).isEqualTo("IN_PROCESS");
            assertThat(change.path("published").asBoolean()).isTrue();
            assertThat(change.path("version").asInt()).isEqualTo(3);
        });
        assertThat(Long.parseLong(page.path("next_cursor").asText())).isGreaterThan(Long.parseLong(cursor));
    }

    @Test
    void feedRejectsAnInvalidCursorOrLimit() {
        assertThat(http.get("/changes?since=abc", AUTH).status()).isEqualTo(400);
        assertThat(http.get("/changes?since=-1", AUTH).status()).isEqualTo(400);
        assertThat(http.get("/changes?limit=0", AUTH).status()).isEqualTo(400);
        assertThat(http.get("/changes?limit=100000", AUTH).status()).isEqualTo(200);
    }

    @Test
    void operatorPlaysTheStaffWithoutAToken() {
        JsonNode created = create();
        String caseId = caseId(created);

        Reply moved = http.post("/operator/cases/" + caseId + "/state", "{\"state\": \"PROCESSED\"}");
        Reply notes = http.post("/operator/cases/" + caseId + "/notes",
                "{\"status_notes\": \"Korjattu\", \"agency_responsible\": \"Rakennusvirasto\", \"expected_at\": \"2026-12-01T08:00:00Z\"}");
        Reply publicWorks = http.post("/operator/cases/" + caseId + "/public-works", "{\"work_type\": \"POTHOLE_REPAIR\"}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().path("state").asText()).isEqualTo("PROCESSED");
        assertThat(notes.json().path("status_notes").asText()).isEqualTo("Korjattu");
        assertThat(notes.json().path("agency_responsible").asText()).isEqualTo("Rakennusvirasto");
        assertThat(notes.json().path("expected_at").asText()).isEqualTo("2026-12-01T08:00:00Z");
        JsonNode latest = publicWorks.json();
        assertThat(latest.path("public_works").path("requested").asBoolean()).isTrue();
        assertThat(latest.path("public_works").path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(latest.path("version").asInt()).isEqualTo(4);
        assertThat(latest.path("updated_at").asText()).isGreaterThanOrEqualTo(created.path("updated_at").asText());
        assertThat(http.get("/cases/" + caseId, AUTH).json()).isEqualTo(latest);
    }

    @Test
    void operatorRejectsUnknownStatesAndCases() {
        String caseId = caseId(create());

        assertThat(http.post("/operator/cases/" + caseId + "/state", "{\"state\": \"DONE\"}").status()).isEqualTo(400);
        assertThat(http.post("/operator/cases/" + caseId + "/publish", "{}").status()).isEqualTo(400);
        assertThat(http.post("/operator/cases/" + caseId + "/public-works", "{}").status()).isEqualTo(400);
        assertThat(http.post("/operator/cases/CRM-999999/state", "{\"state\": \"IN_PROCESS\"}").status()).isEqualTo(404);
        assertThat(crm.caseById(caseId).path("version").asInt()).isEqualTo(1);
    }

    @Test
    void javaMethodsDriveTheSameCases() {
        String caseId = caseId(create());

        crm.moveState(caseId, "REJECTED");
        crm.publish(caseId, true);
        crm.addNotes(caseId, "Ei toimenpiteitä", null, null);
        crm.sendToPublicWorks(caseId, "POTHOLE_REPAIR");

        JsonNode read = http.get("/cases/" + caseId, AUTH).json();
        assertThat(read.path("state").asText()).isEqualTo("REJECTED");
        assertThat(read.path("published").asBoolean()).isTrue();
        assertThat(read.path("status_notes").asText()).isEqualTo("Ei toimenpiteitä");
        assertThat(read.path("agency_responsible").asText()).isEmpty();
        assertThat(read.path("expected_at").isNull()).isTrue();
        assertThat(read.path("public_works").path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(read.path("version").asInt()).isEqualTo(5);
        assertThat(crm.cases()).anySatisfy(item -> assertThat(caseId(item)).isEqualTo(caseId));
        assertThatThrownBy(() -> crm.moveState(caseId, "LOST")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> crm.moveState("CRM-999999", "PROCESSED")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void faultModesBreakTheApiButNotTheOperator() {
        String caseId = caseId(create());
        String read = "/cases/" + caseId;

        crm.faults("down", 0);
        assertThat(http.get(read, AUTH).status()).isEqualTo(503);
        assertThat(http.get(read).status()).as("down before auth").isEqualTo(503);
        assertThat(http.get("/operator/cases").status()).isEqualTo(200);

        assertThat(http.post("/operator/faults", "{\"mode\": \"error\"}").status()).isEqualTo(200);
        Reply error = http.get(read, AUTH);
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.contentType()).isEqualTo("application/json");

        http.post("/operator/faults", "{\"mode\": \"garbage\"}");
        Reply garbage = http.get("/changes?since=0", AUTH);
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.contentType()).isEqualTo("application/json");
        assertThat(garbage.body()).isEqualTo("<<not json>>");

        http.post("/operator/faults", "{\"mode\": \"slow\", \"delay_ms\": 400}");
        long started = System.nanoTime();
        Reply slow = http.get(read, AUTH);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(slow.status()).isEqualTo(200);
        assertThat(caseId(slow.json())).isEqualTo(caseId);

        http.post("/operator/faults", "{\"mode\": \"none\"}");
        assertThat(http.get(read, AUTH).status()).isEqualTo(200);
    }

    /**
     * A slow CRM still answers every call in flight at once, as the forwarding benchmark needs: 200 calls
     * at 1 s each end in a small multiple of one delay, where a thread held per call (the Vert.x worker
     * pool's 20) would take ten delays and one after another two hundred. A ratio, not a timing target.
     */
    @Test
    void slowModeAnswersHundredsOfCallsAtOnce() throws Exception {
        int calls = 200;
        long delayMs = 1000;
        crm.faults("slow", delayMs);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            String reference = reference();
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(crm.baseUrl() + "/cases/" + reference))
                    .header(AUTH[0], AUTH[1]).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(newCase(reference))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double delays = (System.nanoTime() - started) / 1e6 / delayMs;

        assertThat(answers).allSatisfy(answer -> assertThat(answer.get().statusCode()).isEqualTo(201));
        assertThat(delays).as("time for %d slow calls at once, in delays", calls).isGreaterThanOrEqualTo(1).isLessThan(7);
    }

    @Test
    void countsRecordsAndPutsForABenchmark() {
        JsonNode before = http.get("/operator/counts").json();
        String once = reference();
        String twice = reference();
        http.put("/cases/" + once, newCase(once), AUTH);
        http.put("/cases/" + twice, newCase(twice), AUTH);
        http.put("/cases/" + twice, newCase(twice), AUTH);

        JsonNode after = http.get("/operator/counts").json();
        assertThat(after.path("records").asLong() - before.path("records").asLong()).isEqualTo(2);
        assertThat(after.path("puts").asLong() - before.path("puts").asLong()).isEqualTo(3);
        assertThat(after.path("put_more_than_once").asLong() - before.path("put_more_than_once").asLong()).isEqualTo(1);
        assertThat(crm.counts()).containsEntry("records", after.path("records").asInt());
    }

    @Test
    void rejectsAnInvalidFault() {
        assertThat(http.post("/operator/faults", "{\"mode\": \"flaky\"}").status()).isEqualTo(400);
        assertThat(http.post("/operator/faults", "{\"mode\": \"slow\"}").status()).isEqualTo(400);
        assertThatThrownBy(() -> crm.faults("slow", -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverEchoesRequestHeaders() {
        Reply reply = http.get("/cases/CRM-999999", "Authorization", "Bearer " + TOKEN, "X-Trace-Secret", "s3cret");

        assertThat(reply.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("authorization", "x-trace-secret", "case_id");
    }

    private JsonNode create() {
        String reference = reference();
        Reply created = http.put("/cases/" + reference, newCase(reference), AUTH);
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    /** The cursor after every change so far. */
    private String endOfFeed() {
        JsonNode page = http.get("/changes?since=0&limit=500", AUTH).json();
        while (page.path("has_more").asBoolean()) {
            page = http.get("/changes?since=" + page.path("next_cursor").asText() + "&limit=500", AUTH).json();
        }
        return page.path("next_cursor").asText();
    }

    private static String caseId(JsonNode item) {
        return item.path("case_id").asText();
    }

    private static String reference() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String newCase(String reference) {
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
}

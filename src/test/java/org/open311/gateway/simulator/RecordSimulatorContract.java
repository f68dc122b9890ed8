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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every record-keeping simulator ({@link RecordSimulator}: the CRM, Aspa) honours over real HTTP: PUT once
 * per reference, read by id, the change feed and its cursor, the credential, faults and counts. A subclass
 * names its kind's paths and bodies, and tests what only its kind does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecordSimulatorContract<S extends RecordSimulator> {

    /**
     * How the kind's contract names things.
     *
     * @param auth         the header that carries the kind's credential, and its right value
     * @param collection   e.g. {@code /cases}
     * @param idField      e.g. {@code case_id}
     * @param unknownId    an id no record has
     * @param anotherState a state of the kind's vocabulary other than a new record's
     */
    record Contract(String[] auth, String collection, String idField, String unknownId, String anotherState) {
    }

    /** Starts the kind's simulator on a port. */
    interface Starter<S> {
        S start(int port) throws Exception;
    }

    private final Contract contract;
    private final Starter<S> starter;
    S simulator;
    SimulatorHttp http;

    RecordSimulatorContract(Contract contract, Starter<S> starter) {
        this.contract = contract;
        this.starter = starter;
    }

    /** A valid PUT body for {@code reference}. */
    abstract String newRecord(String reference);

    String[] auth() {
        return contract.auth();
    }

    String collection() {
        return contract.collection();
    }

    String idField() {
        return contract.idField();
    }

    String unknownId() {
        return contract.unknownId();
    }

    String anotherState() {
        return contract.anotherState();
    }

    @BeforeAll
    void startSimulator() throws Exception {
        simulator = starter.start(AvailablePortFinder.getNextAvailable());
        http = new SimulatorHttp(simulator.baseUrl());
    }

    @AfterAll
    void stopSimulator() {
        simulator.stop();
    }

    @AfterEach
    void noFault() {
        simulator.faults("none", 0);
    }

    @Test
    void putCreatesTheRecordOnceAndAnswersItAgain() {
        String reference = reference();
        Reply created = http.put(collection() + "/" + reference, newRecord(reference), auth());
        Reply again = http.put(collection() + "/" + reference, newRecord(reference), auth());

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).isEqualTo("application/json");
        JsonNode body = created.json();
        assertThat(body.path("reference").asText()).isEqualTo(reference);
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(OffsetDateTime.parse(body.path("created_at").asText())).isNotNull();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(body);
        assertThat(simulator.putCount(reference)).isEqualTo(2);
        assertThat(http.get("/operator" + collection()).json()).filteredOn(item -> item.path("reference").asText().equals(reference))
                .singleElement().satisfies(item -> assertThat(item.path("put_count").asInt()).isEqualTo(2));
    }

    @Test
    void readsARecordAndAnswers404ForAnUnknownOne() {
        JsonNode created = create();

        Reply read = http.get(collection() + "/" + id(created), auth());
        Reply unknown = http.get(collection() + "/" + unknownId(), auth());

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/json");
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void answers401WithoutTheRightCredential() {
        String reference = reference();
        for (Reply reply : List.of(
                http.put(collection() + "/" + reference, newRecord(reference)),
                http.put(collection() + "/" + reference, newRecord(reference), auth()[0], "wrong"),
                http.get("/changes?since=0"))) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).isEqualTo("application/json");
            assertThat(reply.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        }
        assertThat(simulator.putCount(reference)).isZero();
    }

    @Test
    void answers400ForAnInvalidBody() {
        String reference = reference();
        for (String body : List.of("", "not json", "{oops", "[1, 2]", "null",
                "{\"reference\": \"" + reference + "\"}",
                newRecord(reference).replace("\"reference\": \"" + reference + "\"", "\"reference\": \"other\""),
                newRecord(reference).replace("\"reference\": \"" + reference + "\",", ""))) {
            Reply reply = http.put(collection() + "/" + reference, body, auth());
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo("bad_request");
        }
        assertThat(http.get("/operator" + collection()).json().findValuesAsText("reference")).doesNotContain(reference);
    }

    @Test
    void feedPagesThroughChangesWithTheCursor() {
        String cursor = endOfFeed();
        List<String> created = List.of(id(create()), id(create()), id(create()));

        JsonNode first = http.get("/changes?since=" + cursor + "&limit=2", auth()).json();
        JsonNode second = http.get("/changes?since=" + first.path("next_cursor").asText() + "&limit=2", auth()).json();
        JsonNode third = http.get("/changes?since=" + second.path("next_cursor").asText() + "&limit=2", auth()).json();

        assertThat(first.path("changes").findValuesAsText(idField())).containsExactlyElementsOf(created.subList(0, 2));
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(first.path("next_cursor").isTextual()).isTrue();
        assertThat(second.path("changes").findValuesAsText(idField())).containsExactly(created.get(2));
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("changes")).isEmpty();
        assertThat(third.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("next_cursor").asText()).isEqualTo(second.path("next_cursor").asText());
    }

    @Test
    void aChangedRecordAppearsOnceAfterTheCursorInItsCurrentState() {
        String id = id(create());
        String cursor = endOfFeed();

        Reply moved = http.post("/operator" + collection() + "/" + id + "/state", "{\"state\": \"" + anotherState() + "\"}");
        JsonNode page = http.get("/changes?since=" + cursor, auth()).json();

        assertThat(moved.status()).isEqualTo(200);
        assertThat(page.path("changes")).singleElement().satisfies(change -> {
            assertThat(change.path(idField()).asText()).isEqualTo(id);
            assertThat(change.path("state").asText()).isEqualTo(anotherState());
            assertThat(change.path("version").asInt()).isEqualTo(2);
        });
        assertThat(Long.parseLong(page.path("next_cursor").asText())).isGreaterThan(Long.parseLong(cursor));
    }

    @Test
    void operatorRejectsUnknownStatesAndRecords() {
        String id = id(create());

        assertThat(http.post("/operator" + collection() + "/" + id + "/state", "{\"state\": \"DONE\"}").status()).isEqualTo(400);
        assertThat(http.post("/operator" + collection() + "/" + unknownId() + "/state", "{\"state\": \"" + anotherState() + "\"}")
                .status()).isEqualTo(404);
        assertThat(http.get(collection() + "/" + id, auth()).json().path("version").asInt()).isEqualTo(1);
    }

    @Test
    void feedRejectsAnInvalidCursorOrLimit() {
        assertThat(http.get("/changes?since=abc", auth()).status()).isEqualTo(400);
        assertThat(http.get("/changes?since=-1", auth()).status()).isEqualTo(400);
        assertThat(http.get("/changes?limit=0", auth()).status()).isEqualTo(400);
        assertThat(http.get("/changes?limit=100000", auth()).status()).isEqualTo(200);
    }

    @Test
    void faultModesBreakTheApiButNotTheOperator() {
        String read = collection() + "/" + id(create());

        simulator.faults("down", 0);
        assertThat(http.get(read, auth()).status()).isEqualTo(503);
        assertThat(http.get(read).status()).as("down before auth").isEqualTo(503);
        assertThat(http.get("/operator" + collection()).status()).isEqualTo(200);

        assertThat(http.post("/operator/faults", "{\"mode\": \"error\"}").status()).isEqualTo(200);
        Reply error = http.get(read, auth());
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.contentType()).isEqualTo("application/json");

        http.post("/operator/faults", "{\"mode\": \"garbage\"}");
        Reply garbage = http.get("/changes?since=0", auth());
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.contentType()).isEqualTo("application/json");
        assertThat(garbage.body()).isEqualTo("<<not json>>");

        http.post("/operator/faults", "{\"mode\": \"slow\", \"delay_ms\": 300}");
        long started = System.nanoTime();
        Reply slow = http.get(read, auth());
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(slow.status()).isEqualTo(200);

        http.post("/operator/faults", "{\"mode\": \"none\"}");
        assertThat(http.get(read, auth()).status()).isEqualTo(200);
    }

    /**
     * A slow back end still answers every call in flight at once, as the forwarding benchmark needs: 200 calls
     * at 1 s each end in a small multiple of one delay, where a thread held per call (the Vert.x worker
     * pool's 20) would take ten delays and one after another two hundred. A ratio, not a timing target.
     */
    @Test
    void slowModeAnswersHundredsOfCallsAtOnce() throws Exception {
        int calls = 200;
        long delayMs = 1000;
        simulator.faults("slow", delayMs);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            String reference = reference();
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + collection() + "/" + reference))
                    .header(auth()[0], auth()[1]).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(newRecord(reference))).build(), HttpResponse.BodyHandlers.ofString()));
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
        http.put(collection() + "/" + once, newRecord(once), auth());
        http.put(collection() + "/" + twice, newRecord(twice), auth());
        http.put(collection() + "/" + twice, newRecord(twice), auth());

        JsonNode after = http.get("/operator/counts").json();
        assertThat(after.path("records").asLong() - before.path("records").asLong()).isEqualTo(2);
        assertThat(after.path("puts").asLong() - before.path("puts").asLong()).isEqualTo(3);
        assertThat(after.path("put_more_than_once").asLong() - before.path("put_more_than_once").asLong()).isEqualTo(1);
        assertThat(simulator.counts()).containsEntry("records", after.path("records").asInt());
    }

    @Test
    void rejectsAnInvalidFault() {
        assertThat(http.post("/operator/faults", "{\"mode\": \"flaky\"}").status()).isEqualTo(400);
        assertThat(http.post("/operator/faults", "{\"mode\": \"slow\"}").status()).isEqualTo(400);
        assertThatThrownBy(() -> simulator.faults("slow", -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverEchoesRequestHeaders() {
        Reply reply = http.get(collection() + "/" + unknownId(), auth()[0], auth()[1], "X-Trace-Secret", "s3cret");

        assertThat(reply.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain(auth()[0].toLowerCase(), "x-trace-secret", idField());
    }

    JsonNode create() {
        String reference = reference();
        Reply created = http.put(collection() + "/" + reference, newRecord(reference), auth());
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    /** The cursor after every change so far. */
    String endOfFeed() {
        JsonNode page = http.get("/changes?since=0&limit=500", auth()).json();
        while (page.path("has_more").asBoolean()) {
            page = http.get("/changes?since=" + page.path("next_cursor").asText() + "&limit=500", auth()).json();
        }
        return page.path("next_cursor").asText();
    }

    String id(JsonNode record) {
        return record.path(idField()).asText();
    }

    static String reference() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}

package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.open311.gateway.simulator.SimulatorHttp.Reply;

import java.time.Year;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Aspa simulator honours docs/backends/aspa.md over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AspaSimulatorTest {

    private static final String KEY = "aspa-test-key";
    private static final String[] AUTH = {"X-Api-Key", KEY};

    private AspaSimulator aspa;
    private SimulatorHttp http;

    @BeforeAll
    void start() throws Exception {
        aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), KEY);
        http = new SimulatorHttp(aspa.baseUrl());
    }

    @AfterAll
    void stop() {
        aspa.stop();
    }

    @AfterEach
    void noFault() {
        aspa.faults("none", 0);
    }

    @Test
    void putCreatesTheWorkOrderOnceAndAnswersItAgain() {
        String reference = reference();
        Reply created = http.put("/work-orders/" + reference, newWorkOrder(reference), AUTH);
        Reply again = http.put("/work-orders/" + reference, newWorkOrder(reference), AUTH);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).isEqualTo("application/json");
        JsonNode body = created.json();
        assertThat(body.path("work_order_id").asText()).matches("WO-" + Year.now().getValue() + "-\\d{6}");
        assertThat(body.path("reference").asText()).isEqualTo(reference);
        assertThat(body.path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(body.path("description").asText()).isEqualTo("Syvä kuoppa pyörätiellä");
        assertThat(body.path("requested_at").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(body.path("state").asText()).isEqualTo("NEW");
        assertThat(body.path("owner_name").asText()).isEmpty();
        assertThat(body.path("version").asInt()).isEqualTo(1);
        assertThat(body.path("modified_at").asText()).isEqualTo(body.path("created_at").asText());
        assertThat(body.has("contact")).as("no resident contact data in Aspa").isFalse();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(body);
        assertThat(aspa.putCount(reference)).isEqualTo(2);
        assertThat(http.get("/operator/work-orders").json()).filteredOn(item -> item.path("reference").asText().equals(reference))
                .singleElement().satisfies(item -> assertThat(item.path("put_count").asInt()).isEqualTo(2));
    }

    @Test
    void readsAWorkOrderAndAnswers404ForAnUnknownOne() {
        JsonNode created = create();

        assertThat(http.get("/work-orders/" + id(created), AUTH).json()).isEqualTo(created);
        Reply unknown = http.get("/work-orders/WO-2026-999999", AUTH);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void answers401WithoutTheRightKey() {
        String reference = reference();
        for (Reply reply : List.of(
                http.put("/work-orders/" + reference, newWorkOrder(reference)),
                http.put("/work-orders/" + reference, newWorkOrder(reference), "X-Api-Key", "wrong"),
                http.get("/changes?since=0", "Authorization", "Bearer " + KEY))) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        }
        assertThat(aspa.workOrderByReference(reference)).isEmpty();
    }

    @Test
    void answers400ForAnInvalidBody() {
        String reference = reference();
        for (String body : List.of("", "{oops", "{\"reference\": \"" + reference + "\"}",
                "{\"work_type\": \"POTHOLE_REPAIR\"}",
                "{\"reference\": \"other\", \"work_type\": \"POTHOLE_REPAIR\"}")) {
            assertThat(http.put("/work-orders/" + reference, body, AUTH).status()).as(body).isEqualTo(400);
        }
        assertThat(aspa.putCount(reference)).isZero();
    }

    @Test
    void feedPagesThroughChangesWithTheCursor() {
        String cursor = endOfFeed();
        List<String> created = List.of(id(create()), id(create()), id(create()));

        JsonNode first = http.get("/changes?since=" + cursor + "&limit=2", AUTH).json();
        JsonNode second = http.get("/changes?since=" + first.path("next_cursor").asText() + "&limit=2", AUTH).json();
        JsonNode third = http.get("/changes?since=" + second.path("next_cursor").asText() + "&limit=2", AUTH).json();

        assertThat(first.path("changes").findValuesAsText("work_order_id")).containsExactlyElementsOf(created.subList(0, 2));
        assertThat(first.path("has_more").asBoolean()).isTrue();
        assertThat(second.path("changes").findValuesAsText("work_order_id")).containsExactly(created.get(2));
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(third.path("changes")).isEmpty();
        assertThat(third.path("next_cursor").asText()).isEqualTo(second.path("next_cursor").asText());
    }

    @Test
    void operatorMovesTheWorkOrderAndTheFeedShowsIt() {
        String id = id(create());
        String cursor = endOfFeed();

        Reply moved = http.post("/operator/work-orders/" + id + "/state", "{\"state\": \"IN_PROGRESS\", \"owner_name\": \"Crew 7\"}");
        Reply completed = http.post("/operator/work-orders/" + id + "/state", "{\"state\": \"COMPLETED\"}");
        JsonNode page = http.get("/changes?since=" + cursor, AUTH).json();

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().path("owner_name").asText()).isEqualTo("Crew 7");
        assertThat(completed.json().path("owner_name").asText()).as("kept").isEqualTo("Crew 7");
        assertThat(page.path("changes")).singleElement().satisfies(change -> {
            assertThat(change.path("state").asText()).isEqualTo("COMPLETED");
            assertThat(change.path("version").asInt()).isEqualTo(3);
        });
        assertThat(http.post("/operator/work-orders/" + id + "/state", "{\"state\": \"FIXED\"}").status()).isEqualTo(400);
        assertThat(http.post("/operator/work-orders/WO-2026-999999/state", "{\"state\": \"NEW\"}").status()).isEqualTo(404);
    }

    @Test
    void javaMethodsDriveTheSameWorkOrders() {
        String id = id(create());

        aspa.moveState(id, "COMPLETED_SCHEDULED_LATER", "Crew 3");

        JsonNode read = http.get("/work-orders/" + id, AUTH).json();
        assertThat(read.path("state").asText()).isEqualTo("COMPLETED_SCHEDULED_LATER");
        assertThat(read.path("owner_name").asText()).isEqualTo("Crew 3");
        assertThat(aspa.workOrderById(id)).isEqualTo(read);
        assertThat(aspa.workOrders()).anySatisfy(item -> assertThat(id(item)).isEqualTo(id));
        assertThatThrownBy(() -> aspa.moveState(id, "DONE", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aspa.moveState("WO-1", "NEW", null)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void faultModesBreakTheApiButNotTheOperator() {
        String read = "/work-orders/" + id(create());

        http.post("/operator/faults", "{\"mode\": \"down\"}");
        assertThat(http.get(read, AUTH).status()).isEqualTo(503);
        assertThat(http.get("/operator/work-orders").status()).isEqualTo(200);

        http.post("/operator/faults", "{\"mode\": \"error\"}");
        assertThat(http.get(read, AUTH).status()).isEqualTo(500);

        http.post("/operator/faults", "{\"mode\": \"garbage\"}");
        Reply garbage = http.get(read, AUTH);
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(garbage.contentType()).isEqualTo("application/json");
        assertThat(garbage.body()).isEqualTo("<<not json>>");

        aspa.faults("slow", 300);
        long started = System.nanoTime();
        assertThat(http.get(read, AUTH).status()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);

        http.post("/operator/faults", "{\"mode\": \"none\"}");
        assertThat(http.get(read, AUTH).status()).isEqualTo(200);
    }

    private JsonNode create() {
        String reference = reference();
        Reply created = http.put("/work-orders/" + reference, newWorkOrder(reference), AUTH);
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    private String endOfFeed() {
        JsonNode page = http.get("/changes?since=0&limit=500", AUTH).json();
        while (page.path("has_more").asBoolean()) {
            page = http.get("/changes?since=" + page.path("next_cursor").asText() + "&limit=500", AUTH).json();
        }
        return page.path("next_cursor").asText();
    }

    private static String id(JsonNode item) {
        return item.path("work_order_id").asText();
    }

    private static String reference() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String newWorkOrder(String reference) {
        return """
                {"reference": "%s", "work_type": "POTHOLE_REPAIR", "description": "Syvä kuoppa pyörätiellä",
                 "location": {"lat": 60.1841, "lon": 24.9519, "address": "Hämeentie 1"},
                 "requested_at": "2026-11-27T10:00:00Z", "contact": {"email": "a@example.org"}}
                """.formatted(reference);
    }
}

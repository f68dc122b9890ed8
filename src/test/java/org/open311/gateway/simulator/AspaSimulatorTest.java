package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.simulator.SimulatorHttp.Reply;

import java.time.Year;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Aspa simulator honours docs/backends/aspa.md over real HTTP (the shared part: {@link RecordSimulatorContract}). */
class AspaSimulatorTest extends RecordSimulatorContract<AspaSimulator> {

    private static final String KEY = "aspa-test-key";

    AspaSimulatorTest() {
        super(new Contract(new String[]{"X-Api-Key", KEY}, "/work-orders", "work_order_id", "WO-2026-999999", "IN_PROGRESS"),
                port -> AspaSimulator.start(port, KEY));
    }

    @Override
    String newRecord(String reference) {
        return """
                {"reference": "%s", "work_type": "POTHOLE_REPAIR", "description": "Syvä kuoppa pyörätiellä",
                 "location": {"lat": 60.1841, "lon": 24.9519, "address": "Hämeentie 1"},
                 "requested_at": "2026-11-27T10:00:00Z", "contact": {"email": "a@example.org"}}
                """.formatted(reference);
    }

    @Test
    void aNewWorkOrderKeepsWhatWasSentButNoContactData() {
        JsonNode body = create();

        assertThat(body.path("work_order_id").asText()).matches("WO-" + Year.now().getValue() + "-\\d{6}");
        assertThat(body.path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(body.path("description").asText()).isEqualTo("Syvä kuoppa pyörätiellä");
        assertThat(body.path("requested_at").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(body.path("state").asText()).isEqualTo("NEW");
        assertThat(body.path("owner_name").asText()).isEmpty();
        assertThat(body.path("modified_at").asText()).isEqualTo(body.path("created_at").asText());
        assertThat(body.has("contact")).as("no resident contact data in Aspa").isFalse();
    }

    @Test
    void aWorkOrderWithoutAWorkTypeIsRefused() {
        String reference = reference();
        Reply reply = http.put("/work-orders/" + reference, "{\"reference\": \"" + reference + "\", \"description\": \"x\"}", auth());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(simulator.recordByReference(reference)).isEmpty();
    }

    @Test
    void operatorMovesTheWorkOrderAndKeepsItsOwner() {
        String id = id(create());

        Reply moved = http.post("/operator/work-orders/" + id + "/state", "{\"state\": \"IN_PROGRESS\", \"owner_name\": \"Crew 7\"}");
        Reply completed = http.post("/operator/work-orders/" + id + "/state", "{\"state\": \"COMPLETED\"}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().path("owner_name").asText()).isEqualTo("Crew 7");
        assertThat(completed.json().path("owner_name").asText()).as("kept").isEqualTo("Crew 7");
        assertThat(completed.json().path("state").asText()).isEqualTo("COMPLETED");
        assertThat(completed.json().path("version").asInt()).isEqualTo(3);
    }

    @Test
    void javaMethodsDriveTheSameWorkOrders() {
        String id = id(create());

        simulator.moveState(id, "COMPLETED_SCHEDULED_LATER", "Crew 3");

        JsonNode read = http.get("/work-orders/" + id, auth()).json();
        assertThat(read.path("state").asText()).isEqualTo("COMPLETED_SCHEDULED_LATER");
        assertThat(read.path("owner_name").asText()).isEqualTo("Crew 3");
        assertThat(simulator.recordById(id)).isEqualTo(read);
        assertThat(simulator.records()).anySatisfy(item -> assertThat(id(item)).isEqualTo(id));
        assertThatThrownBy(() -> simulator.moveState(id, "DONE", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulator.moveState("WO-1", "NEW", null)).isInstanceOf(NoSuchElementException.class);
    }
}

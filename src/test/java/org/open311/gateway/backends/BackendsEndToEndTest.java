package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow over real HTTP with both simulators: post → CRM case (and Aspa work order for public
 * works) → staff move states in the simulators → GET shows the merged status; outages lose nothing.
 */
abstract class BackendsEndToEndTest extends GatewayTestSupport {

    static final String KEY = "e2e-key";
    static final String EMAIL = "resident@example.fi";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Properties settings() {
        Properties settings = retriedFast(KEY);
        settings.put("gateway.backend.crm.timeout-ms", "1000");
        settings.put("gateway.backend.aspa.timeout-ms", "1000");
        settings.put("gateway.backend.crm.notification-secret", "test-secret");
        return settings;
    }

    CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    AspaSimulator aspa() {
        return context.getRegistry().lookupByNameAndType("aspaSimulator", AspaSimulator.class);
    }

    String post(String serviceCode, String... extra) {
        List<String> form = new ArrayList<>(List.of("api_key", KEY, "service_code", serviceCode,
                "description", "Syvä kuoppa pyörätiellä Hämeentiellä", "lat", "60.1841", "long", "24.9519",
                "email", EMAIL, "first_name", "Maija"));
        form.addAll(List.of(extra));
        HttpAnswer answer = postForm("/v1/requests.json", form.toArray(String[]::new));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    JsonNode request(String id) {
        return get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
    }

    String detailedStatus(String id) {
        return request(id).path("extended_attributes").path("detailed_status").asText();
    }

    JsonNode awaitCase(String id) {
        return await().atMost(WAIT).until(() -> crm().caseByReference(id), java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void publicWorksRequestGoesToBothAndItsMergedStatusFollowsTheStaff() throws Exception {
        String id = post("171", "attribute[size]", "large");

        JsonNode crmCase = awaitCase(id);
        assertThat(crmCase.path("category").asText()).isEqualTo("STREET_MAINTENANCE");
        assertThat(crmCase.path("contact").path("email").asText()).isEqualTo(EMAIL);
        assertThat(crmCase.path("attributes").path("size").asText()).isEqualTo("large");
        JsonNode workOrder = await().atMost(WAIT).until(() -> aspa().recordByReference(id), java.util.Optional::isPresent).orElseThrow();
        assertThat(workOrder.path("work_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(workOrder.toString()).doesNotContain(EMAIL, "Maija");
        assertThat(detailedStatus(id)).isIn("RECEIVED", "RECEIVED,PUBLIC_WORKS_NEW");

        String caseId = crmCase.path("case_id").asText();
        crm().moveState(caseId, "IN_PROCESS");
        crm().publish(caseId, true);
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("IN_PROCESS,PUBLIC_WORKS_NEW"));
        assertThat(request(id).path("status").asText()).isEqualTo("open");
        JsonNode task = request(id).path("extended_attributes").path("tasks").get(0);
        assertThat(task.path("task_type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(task.path("task_state").asText()).isEqualTo("PUBLIC_WORKS_NEW");
        assertThat(get("/v1/requests.json?service_request_id=" + id).jsonField("service_request_id")).containsExactly(id);

        aspa().moveState(workOrder.path("work_order_id").asText(), "COMPLETED", "Crew 7");
        crm().addNotes(caseId, "Kuoppa on korjattu.", "Kaupunkiympäristö", java.time.OffsetDateTime.parse("2026-12-01T12:00:00Z"));
        crm().moveState(caseId, "PROCESSED");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("PROCESSED,PUBLIC_WORKS_COMPLETED"));
        JsonNode done = request(id);
        assertThat(done.path("status").asText()).isEqualTo("closed");
        assertThat(done.path("status_notes").asText()).isEqualTo("Kuoppa on korjattu.");
        assertThat(done.path("agency_responsible").asText()).isEqualTo("Kaupunkiympäristö");
        assertThat(java.time.OffsetDateTime.parse(done.path("expected_datetime").asText()).toInstant())
                .isEqualTo(java.time.Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(done.path("extended_attributes").path("tasks").get(0).path("owner_name").asText()).isEqualTo("Crew 7");
        assertThat(get("/v1/requests.json?status=closed").jsonField("service_request_id")).contains(id);
        assertThat(get("/v1/requests/" + id + ".xml?extensions=true")
                .xpath("/service_requests/request/extended_attributes/tasks/task/task_state")).containsExactly("PUBLIC_WORKS_COMPLETED");
        assertThat(history(id)).contains("IN_PROCESS,PUBLIC_WORKS_NEW", "PROCESSED,PUBLIC_WORKS_COMPLETED");
        assertThat(crm().putCount(id)).isEqualTo(1);
        assertThat(aspa().putCount(id)).isEqualTo(1);
    }

    @Test
    void aWorkOrderChangeMovesUpdatedDatetimeSoUpdatedAfterFindsIt() throws Exception {
        String id = post("171", "attribute[size]", "small");
        String caseId = awaitCase(id).path("case_id").asText();
        JsonNode workOrder = await().atMost(WAIT).until(() -> aspa().recordByReference(id), java.util.Optional::isPresent).orElseThrow();
        crm().publish(caseId, true);
        crm().moveState(caseId, "IN_PROCESS");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("IN_PROCESS,PUBLIC_WORKS_NEW"));
        String before = request(id).path("updated_datetime").asText();
        // updated_datetime is shown to the second: a second later is after the stored time
        String after = java.time.OffsetDateTime.parse(before).plusSeconds(1).toString();
        String changedSince = "/v1/requests.json?updated_after=" + java.net.URLEncoder.encode(after, StandardCharsets.UTF_8);
        Thread.sleep(1100);
        assertThat(get(changedSince).jsonField("service_request_id")).doesNotContain(id);

        aspa().moveState(workOrder.path("work_order_id").asText(), "IN_PROGRESS", "Crew 7");

        await().atMost(WAIT).until(() -> detailedStatus(id).equals("IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS"));
        assertThat(java.time.OffsetDateTime.parse(request(id).path("updated_datetime").asText()))
                .isAfter(java.time.OffsetDateTime.parse(before));
        assertThat(get(changedSince).jsonField("service_request_id")).containsExactly(id);
    }

    @Test
    void crmUserSendingACaseOnToPublicWorksCreatesAWorkOrder() {
        String id = post("191");
        String caseId = awaitCase(id).path("case_id").asText();
        assertThat(aspa().recordByReference(id)).isEmpty();

        crm().sendToPublicWorks(caseId, "LITTER_COLLECTION");

        JsonNode workOrder = await().atMost(WAIT).until(() -> aspa().recordByReference(id), java.util.Optional::isPresent).orElseThrow();
        assertThat(workOrder.path("work_type").asText()).isEqualTo("LITTER_COLLECTION");
        await().atMost(WAIT).until(() -> detailedStatus(id).equals("RECEIVED,PUBLIC_WORKS_NEW"));
    }

    @Test
    void postsSucceedWhileTheCrmIsDownAndEachArrivesOnceItIsBack() {
        crm().faults("down", 0);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                ids.add(post("191"));
            }
            await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> attempts("crm") > 0);
            assertThat(ids).allSatisfy(id -> assertThat(crm().caseByReference(id)).isEmpty());
        } finally {
            crm().faults("none", 0);
        }
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> crm().caseByReference(id).isPresent()));
        assertThat(ids).allSatisfy(id -> assertThat(crm().cases().stream()
                .filter(c -> c.path("reference").asText().equals(id)).count()).isEqualTo(1));
    }

    @Test
    void healthShowsTheFailingBackEndWhileTheGatewayStaysReady() {
        String health = "http://localhost:" + managementPort() + "/observe/health";
        assertThat(getAbsolute(health + "/ready").status()).isEqualTo(200);
        crm().faults("down", 0);
        try {
            await().atMost(WAIT).until(() -> checkStatus(getAbsolute(health), "crm").equals("DOWN"));
            HttpAnswer overall = getAbsolute(health);
            assertThat(overall.status()).isEqualTo(503);
            assertThat(checkStatus(overall, "aspa")).isEqualTo("UP");
            HttpAnswer ready = getAbsolute(health + "/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(checkStatus(ready, "store")).isEqualTo("UP");
            assertThat(post("191")).isNotBlank();
        } finally {
            crm().faults("none", 0);
        }
        await().atMost(WAIT).until(() -> checkStatus(getAbsolute(health), "crm").equals("UP"));
    }

    private HttpAnswer getAbsolute(String url) {
        return send(HttpRequest.newBuilder(java.net.URI.create(url)).build());
    }

    private static String checkStatus(HttpAnswer health, String name) {
        for (JsonNode check : health.json().path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check.path("status").asText();
            }
        }
        return "MISSING";
    }

    @Test
    void garbageAnswersAreRetriedNotTakenForSuccess() throws Exception {
        crm().faults("garbage", 0);
        String id;
        try {
            id = post("191");
            String posted = id;
            await().atMost(WAIT).until(() -> attemptsOf(posted).contains("RETRY"));
            assertThat(forwardState(id)).isEqualTo("PENDING");
        } finally {
            crm().faults("none", 0);
        }
        String sent = id;
        // the outcome and its attempt row are two statements: wait for both
        await().atMost(WAIT).until(() -> "SENT".equals(forwardState(sent)) && attemptsOf(sent).contains("SENT"));
        assertThat(attemptsOf(id)).last().isEqualTo("SENT");
        assertThat(crm().cases().stream().filter(c -> c.path("reference").asText().equals(id)).count()).isEqualTo(1);
    }

    @Test
    void aspaSlowerThanTheTimeoutIsRetriedAndTheCrmIsNotHeldUp() throws Exception {
        aspa().faults("slow", 3000);
        String id;
        try {
            id = post("171", "attribute[size]", "small");
            String posted = id;
            awaitCase(id);
            // calls time out (feed and forwarding share Aspa's breaker), so the circuit opens
            await().atMost(WAIT).until(() -> breaker("aspaCircuitBreaker").getState() == CircuitBreaker.State.OPEN);
            assertThat(breaker("crmCircuitBreaker").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(strings("SELECT state FROM forward_task WHERE request_id = ? AND backend = 'aspa'", posted))
                    .as(strings("SELECT outcome || ' ' || detail || ' ' || attempted_at FROM forward_attempt WHERE request_id = ?", posted).toString())
                    .containsExactly("PENDING");
        } finally {
            aspa().faults("none", 0);
        }
        String sent = id;
        await().atMost(WAIT).until(() -> aspa().recordByReference(sent).isPresent());
        await().atMost(WAIT).until(() -> breaker("aspaCircuitBreaker").getState() == CircuitBreaker.State.CLOSED);
        assertThat(aspa().records().stream().filter(w -> w.path("reference").asText().equals(sent)).count()).isEqualTo(1);
    }

    @Test
    void signedPushIsAppliedOnceAndUnsignedOrUnknownStatesNeverBreakAnything() throws Exception {
        String id = post("191");
        JsonNode crmCase = awaitCase(id);
        String change = "{\"case_id\":\"" + crmCase.path("case_id").asText() + "\",\"reference\":\"" + id
                + "\",\"state\":\"ESCALATED\",\"published\":true,\"status_notes\":\"Tutkitaan\",\"version\":1000,"
                + "\"updated_at\":\"2026-11-27T12:00:00Z\"}";

        assertThat(push(change, "sha256=" + "0".repeat(64)).status()).isEqualTo(401);
        assertThat(push(change, null).status()).isEqualTo(401);
        HttpAnswer accepted = push(change, "sha256=" + Notifications.sign("test-secret", change.getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.status()).isEqualTo(204);
        int historyAfterFirst = history(id).size();
        assertThat(push(change, "sha256=" + Notifications.sign("test-secret", change.getBytes(StandardCharsets.UTF_8))).status())
                .isEqualTo(204);

        JsonNode request = request(id);
        assertThat(request.path("extended_attributes").path("detailed_status").asText()).isEqualTo("IN_PROCESS");
        assertThat(request.path("status_notes").asText()).isEqualTo("Tutkitaan");
        assertThat(history(id)).hasSize(historyAfterFirst);
    }

    private CircuitBreaker breaker(String name) {
        return context.getRegistry().lookupByNameAndType(name, CircuitBreaker.class);
    }

    private HttpAnswer push(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/backend/crm/notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Signature", signature);
        }
        return send(request.build());
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    List<String> history(String id) throws Exception {
        return strings("SELECT detailed_status FROM request_history WHERE request_id = ? ORDER BY id", id);
    }

    List<String> attemptsOf(String id) throws Exception {
        return strings("SELECT outcome FROM forward_attempt WHERE request_id = ? ORDER BY id", id);
    }

    String forwardState(String id) throws Exception {
        return strings("SELECT state FROM forward_task WHERE request_id = ? AND backend = 'crm'", id).get(0);
    }

    long attempts(String backend) throws Exception {
        return strings("SELECT COUNT(*) FROM forward_attempt WHERE backend = ?", backend).stream().mapToLong(Long::parseLong).sum();
    }

    List<String> strings(String sql, String parameter) throws Exception {
        try (Connection connection = store().getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        }
    }
}

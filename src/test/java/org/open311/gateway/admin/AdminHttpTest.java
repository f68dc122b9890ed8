package org.open311.gateway.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.store.ApiKeys;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API over real HTTP: its own tokens, dead letters, a forced resync, the mappings in service. */
abstract class AdminHttpTest extends GatewayTestSupport {

    private static final String TOKEN = "first-admin-token-for-tests";
    private static final String HASHED_TOKEN = "second-admin-token-kept-as-a-hash";
    private static final String API_KEY = "admin-test-api-key";
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    private Path mappings;

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.admin.token", TOKEN + ", sha256:" + ApiKeys.hash(HASHED_TOKEN));
        settings.put("gateway.api-keys.demo", API_KEY);
        settings.put("gateway.mappings.dir", mappingsCopy().toString());
        settings.put("gateway.mappings.reload-interval-ms", "3600000");
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.circuit.minimum-calls", "100");
        settings.put("gateway.sync.interval-ms", "100");
        // every operation is tried with every wrong token from one address: limits/FailedAuthenticationHttpTest tests the limit
        settings.put("gateway.rate-limit.auth-failures-per-address", "1000");
        return settings;
    }

    /** The fixture catalogue in a directory of this test's own, so it can edit the files. */
    private Path mappingsCopy() {
        if (mappings == null) {
            try {
                mappings = Files.createTempDirectory("admin-mappings");
                for (String file : List.of("services.yaml", "statuses.yaml")) {
                    Files.copy(Path.of("src/test/resources/fixtures/mappings", file), mappings.resolve(file));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return mappings;
    }

    @BeforeEach
    void watchTheAuditLog() {
        if (!log.isStarted()) {
            log.start();
            ((Logger) LoggerFactory.getLogger("org.open311.gateway.admin")).addAppender(log);
            ((Logger) LoggerFactory.getLogger(FailedAuthentications.class)).addAppender(log);
        }
    }

    @AfterAll
    void noSecretInAnyLogLine() {
        ((Logger) LoggerFactory.getLogger("org.open311.gateway.admin")).detachAppender(log);
        ((Logger) LoggerFactory.getLogger(FailedAuthentications.class)).detachAppender(log);
        assertThat(captured()).isNotEmpty().allSatisfy(event ->
                assertThat(event.getFormattedMessage()).doesNotContain(TOKEN, HASHED_TOKEN, API_KEY, "resident@example.org"));
    }

    @Test
    void everyOperationRefusesCallsWithoutTheRightToken() {
        List<String[]> operations = List.of(new String[]{"GET", "/admin/dead-letters"}, new String[]{"GET", "/admin/mappings"},
                new String[]{"POST", "/admin/dead-letters/retry"}, new String[]{"POST", "/admin/dead-letters/abc/retry"},
                new String[]{"POST", "/admin/requests/abc/resync"}, new String[]{"POST", "/admin/mappings/reload"},
                new String[]{"POST", "/admin/dead-letters/abc/dismiss"}, new String[]{"GET", "/admin/dead-letters/dismissed"});
        for (String[] operation : operations) {
            for (String authorization : new String[]{null, "Bearer wrong-token", "Bearer " + API_KEY, TOKEN, "Basic " + TOKEN}) {
                HttpAnswer refused = admin(operation[0], operation[1], authorization);
                assertThat(refused.status()).as(operation[1] + " with " + authorization).isEqualTo(401);
                assertThat(refused.contentType()).startsWith("application/json");
                assertThat(refused.json().get(0).path("code").asInt()).isEqualTo(401);
                assertThat(refused.json().get(0).path("description").asText()).contains("Bearer");
                assertThat(refused.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(refused.body()).doesNotContain(TOKEN, "Exception");
            }
        }
        // a token in the query string is not a header: refused too
        assertThat(send(HttpRequest.newBuilder(uri("/admin/mappings?Authorization=Bearer%20" + TOKEN)).GET().build()).status())
                .isEqualTo(401);
        // refusals are logged as a rate (the first of a period), not one line each
        assertThat(captured()).anyMatch(e -> e.getFormattedMessage().startsWith("Failed authentication from")
                && e.getFormattedMessage().contains("admin token"));
    }

    @Test
    void deadLettersAreListedAndRetriedOneOrAll() throws Exception {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        crm.faults("error", 0);
        String first;
        String second;
        try {
            first = post("200");
            second = post("200");
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterIds().containsAll(List.of(first, second)));
        } finally {
            crm.faults("none", 0);
        }
        JsonNode dead = find(adminGet("/admin/dead-letters").json().path("dead_letters"), first);
        assertThat(dead.path("backend").asText()).isEqualTo("crm");
        assertThat(dead.path("service_code").asText()).isEqualTo("200");
        assertThat(dead.path("attempts").asInt()).isEqualTo(2);
        assertThat(dead.path("last_error").asText()).isEqualTo("HTTP 500");
        assertThat(Instant.parse(dead.path("requested_at").asText())).isBefore(Instant.now());
        assertThat(dead.toString()).doesNotContain("resident@example.org");

        HttpAnswer retried = admin("POST", "/admin/dead-letters/" + first + "/retry", "Bearer " + TOKEN);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("service_request_id").asText()).isEqualTo(first);
        assertThat(retried.json().path("scheduled").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(first).isPresent());
        assertThat(crm.caseByReference(second)).isEmpty();
        assertThat(deadLetterIds()).doesNotContain(first).contains(second);

        HttpAnswer unknown = admin("POST", "/admin/dead-letters/" + first + "/retry", "Bearer " + TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get(0).path("description").asText()).isEqualTo("No dead letter for request '" + first + "'");

        HttpAnswer all = admin("POST", "/admin/dead-letters/retry", "Bearer " + HASHED_TOKEN);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("scheduled").asInt()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(second).isPresent());
        assertThat(crm.putCount(first)).isEqualTo(1);
        assertThat(crm.putCount(second)).isEqualTo(1);
        assertThat(captured()).anyMatch(e -> e.getFormattedMessage().equals("Admin (token 1) scheduled dead letter " + first + " again (1 back ends)"));
        assertThat(captured()).anyMatch(e -> e.getFormattedMessage().startsWith("Admin (token 2) scheduled every dead letter again"));
    }

    @Test
    void aResyncAppliesWhatTheFeedsMissedAndOnlyOnce() throws Exception {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        AspaSimulator aspa = context.getRegistry().lookupByNameAndType("aspaSimulator", AspaSimulator.class);
        String id = post("100");
        await().atMost(Duration.ofSeconds(20)).until(() -> detailedStatus(id).equals("RECEIVED,PUBLIC_WORKS_NEW"));
        String caseId = crm.caseByReference(id).orElseThrow().path("case_id").asText();
        String workOrderId = aspa.recordByReference(id).orElseThrow().path("work_order_id").asText();

        // the feeds stop, so these changes reach the gateway only by the resync
        context.getRouteController().stopRoute("follow-feed-crm");
        context.getRouteController().stopRoute("follow-feed-aspa");
        try {
            crm.moveState(caseId, "IN_PROCESS");
            aspa.moveState(workOrderId, "IN_PROGRESS", "Crew 7");
            assertThat(detailedStatus(id)).isEqualTo("RECEIVED,PUBLIC_WORKS_NEW");

            HttpAnswer resynced = admin("POST", "/admin/requests/" + id + "/resync", "Bearer " + TOKEN);
            assertThat(resynced.status()).as(resynced.body()).isEqualTo(200);
            JsonNode report = resynced.json();
            assertThat(report.path("service_request_id").asText()).isEqualTo(id);
            assertThat(report.path("crm").path("id").asText()).isEqualTo(caseId);
            assertThat(report.path("crm").path("state").asText()).isEqualTo("IN_PROCESS");
            assertThat(report.path("crm").path("outcome").asText()).isEqualTo("applied");
            assertThat(report.path("aspa").path("id").asText()).isEqualTo(workOrderId);
            assertThat(report.path("aspa").path("outcome").asText()).isEqualTo("applied");
            assertThat(detailedStatus(id)).isEqualTo("IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS");
            assertThat(historyRows(id, "crm")).isEqualTo(2);

            JsonNode again = admin("POST", "/admin/requests/" + id + "/resync", "Bearer " + TOKEN).json();
            assertThat(again.path("crm").path("outcome").asText()).isEqualTo("already up to date");
            assertThat(again.path("aspa").path("outcome").asText()).isEqualTo("already up to date");
            assertThat(historyRows(id, "crm")).isEqualTo(2);
        } finally {
            context.getRouteController().startRoute("follow-feed-crm");
            context.getRouteController().startRoute("follow-feed-aspa");
        }

        String notPublicWorks = post("200");
        JsonNode early = admin("POST", "/admin/requests/" + notPublicWorks + "/resync", "Bearer " + TOKEN).json();
        assertThat(early.path("aspa").path("outcome").asText()).isEqualTo("not sent to aspa");

        HttpAnswer unknown = admin("POST", "/admin/requests/nosuchrequest/resync", "Bearer " + TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get(0).path("description").asText()).contains("nosuchrequest");
    }

    @Test
    void aResyncWhileTheCrmIsDownIs502() {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        String id = post("200");
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(id).isPresent() && hasCaseId(id));
        crm.faults("down", 0);
        try {
            HttpAnswer failed = admin("POST", "/admin/requests/" + id + "/resync", "Bearer " + TOKEN);
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.json().get(0).path("description").asText()).startsWith("crm answered HTTP 503");
        } finally {
            crm.faults("none", 0);
        }
    }

    @Test
    void theMappingsInServiceAreShownAndReloadedOnRequest() throws Exception {
        JsonNode shown = adminGet("/admin/mappings").json();
        String version = shown.path("version").asText();
        assertThat(version).matches("[0-9a-f]{12}");
        assertThat(Instant.parse(shown.path("loaded_at").asText())).isBefore(Instant.now());
        assertThat(shown.path("files").toString()).isEqualTo("[\"services.yaml\",\"statuses.yaml\"]");
        assertThat(shown.path("services").asInt()).isEqualTo(countServices());
        assertThat(shown.path("active_services").asInt()).isEqualTo(get("/v1/services.json").json().size());
        assertThat(shown.path("refused_edit").isNull()).isTrue();

        JsonNode unchanged = adminPost("/admin/mappings/reload").json();
        assertThat(unchanged.path("changed").asBoolean()).isFalse();
        assertThat(unchanged.path("mappings").path("version").asText()).isEqualTo(version);

        Path services = mappings.resolve("services.yaml");
        String original = Files.readString(services);
        try {
            Files.writeString(services, original.replace("en: Graffiti}", "en: Graffiti and tags}"));
            JsonNode reloaded = adminPost("/admin/mappings/reload").json();
            assertThat(reloaded.path("changed").asBoolean()).isTrue();
            assertThat(reloaded.path("mappings").path("version").asText()).isNotEqualTo(version).matches("[0-9a-f]{12}");
            assertThat(get("/v1/services.json?locale=en").jsonField("service_name")).contains("Graffiti and tags");
            String edited = reloaded.path("mappings").path("version").asText();

            Files.writeString(services, original.replace("routing: {crm_category: CLEANING}", "routing: {}"));
            HttpAnswer refused = adminPost("/admin/mappings/reload");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().get(0).path("description").asText())
                    .isEqualTo("services.yaml:40:14: service '200' (services[1]) field routing.crm_category: required");
            JsonNode afterRefusal = adminGet("/admin/mappings").json();
            assertThat(afterRefusal.path("version").asText()).isEqualTo(edited);
            assertThat(afterRefusal.path("refused_edit").asText()).contains("routing.crm_category: required");
            assertThat(get("/v1/services.json?locale=en").jsonField("service_name")).contains("Graffiti and tags");
        } finally {
            Files.writeString(services, original);
            adminPost("/admin/mappings/reload");
        }
        assertThat(captured()).anyMatch(e -> e.getFormattedMessage().startsWith("Admin (token 1) reloaded the mappings: version "));
        assertThat(captured()).anyMatch(e -> e.getFormattedMessage().equals("Admin (token 1) asked for a mapping reload: refused, 1 problems"));
    }

    private int countServices() throws Exception {
        return (int) Files.readAllLines(mappings.resolve("services.yaml")).stream().filter(l -> l.startsWith("  - code:")).count();
    }

    private String post(String serviceCode) {
        List<String> form = new java.util.ArrayList<>(List.of("api_key", API_KEY, "service_code", serviceCode,
                "description", "Posted by the admin API test", "lat", "60.17", "long", "24.94", "email", "resident@example.org"));
        if (serviceCode.equals("100")) {
            form.addAll(List.of("attribute[size]", "large"));
        }
        HttpAnswer posted = postForm("/v1/requests.json", form.toArray(String[]::new));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private String detailedStatus(String id) {
        return get("/v1/requests/" + id + ".json?extensions=true").json().get(0).path("extended_attributes").path("detailed_status").asText();
    }

    private List<String> deadLetterIds() {
        List<String> ids = new java.util.ArrayList<>();
        adminGet("/admin/dead-letters").json().path("dead_letters").forEach(d -> ids.add(d.path("service_request_id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("service_request_id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + list);
    }

    private int historyRows(String id, String source) throws Exception {
        return count("SELECT COUNT(*) FROM request_history WHERE request_id = ? AND source = ?", id, source);
    }

    private boolean hasCaseId(String id) throws Exception {
        return count("SELECT COUNT(*) FROM backend_record WHERE request_id = ? AND backend = 'crm' AND remote_id IS NOT NULL", id) == 1;
    }

    private int count(String sql, String... params) throws Exception {
        try (Connection connection = context.getRegistry().lookupByNameAndType("store", DataSource.class).getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setString(i + 1, params[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private HttpAnswer adminGet(String path) {
        HttpAnswer answer = admin("GET", path, "Bearer " + TOKEN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json; charset=utf-8");
        return answer;
    }

    private HttpAnswer adminPost(String path) {
        return admin("POST", path, "Bearer " + TOKEN);
    }

    private HttpAnswer admin(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** A copy of the events so far: a background thread may still be inside the appender (doAppend holds its lock). */
    private List<ILoggingEvent> captured() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }
}

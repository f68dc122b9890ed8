package org.open311.gateway.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away under a running gateway (its PostgreSQL connections go through a relay the test
 * cuts) and comes back: meanwhile every store-backed answer, the admin API's too, is a prompt 503 with
 * Retry-After in the spec's error shape,
 * readiness says DOWN, the catalogue keeps being served; afterwards the gateway recovers by itself, and
 * the request accepted before the outage is stored and forwarded exactly once.
 */
@ExtendWith(PostgresCondition.class)
class DatabaseOutageTest {

    private static final String API_KEY = "outage-key";
    private static final String ADMIN_TOKEN = "outage-admin-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answers503WhileTheDatabaseIsAwayAndRecoversByItself() throws Exception {
        Properties store = TestDatabase.POSTGRES.freshStore();
        try (TcpProxy proxy = TcpProxy.inFrontOf(store);
             CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> settings = ExternalBackends.settings(port, API_KEY, crm, aspa);
            settings.putAll(proxy.storeSettings(store));
            settings.put("gateway.admin.token", ADMIN_TOKEN);
            Main gateway = ExternalBackends.start(settings);
            try {
                String api = "http://localhost:" + port + "/v1";
                String ready = "http://localhost:" + settings.get("gateway.management-port") + "/observe/health/ready";
                HttpResponse<String> before = ExternalBackends.postRequest(port, API_KEY, "191");
                assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
                String acceptedBefore = ExternalBackends.requestId(before);

                proxy.cut();
                // the admin API reads and writes the store too: the store's 503, not a back end's 502
                assertUnavailable(admin("GET", port, "/admin/dead-letters"));
                assertUnavailable(admin("POST", port, "/admin/dead-letters/retry"));
                assertUnavailable(admin("POST", port, "/admin/dead-letters/" + acceptedBefore + "/retry"));
                assertUnavailable(get(api + "/requests/" + acceptedBefore + ".json"));
                assertUnavailable(get(api + "/requests.json"));
                assertUnavailable(ExternalBackends.postRequest(port, API_KEY, "191"));
                assertThat(get(api + "/services.json").statusCode()).isEqualTo(200);
                assertThat(get(ready).statusCode()).isEqualTo(503);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> get(ready).statusCode() == 200);
                HttpResponse<String> after = ExternalBackends.postRequest(port, API_KEY, "191");
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                HttpResponse<String> readBack = get(api + "/requests/" + acceptedBefore + ".json");
                assertThat(readBack.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(readBack.body()).get(0).path("service_request_id").asText()).isEqualTo(acceptedBefore);

                String acceptedAfter = ExternalBackends.requestId(after);
                await().atMost(Duration.ofSeconds(30)).until(() -> crm.caseByReference(acceptedBefore).isPresent()
                        && crm.caseByReference(acceptedAfter).isPresent());
                assertThat(crm.putCount(acceptedBefore)).isEqualTo(1);
                assertThat(crm.putCount(acceptedAfter)).isEqualTo(1);
                assertThat(storedRequests(store)).as("the post refused during the outage was not stored").isEqualTo(2);
            } finally {
                gateway.stop();
            }
        }
    }

    /**
     * A prompt 503 with the spec's error list and a Retry-After: the client knows to try again and when,
     * nothing hangs, no internals leak.
     */
    private static void assertUnavailable(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).as(answer.uri() + " Retry-After")
                .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        JsonNode errors = JSON.readTree(answer.body());
        assertThat(errors.isArray()).isTrue();
        assertThat(errors.get(0).path("code").asInt()).isEqualTo(503);
        assertThat(errors.get(0).path("description").asText()).contains("temporarily unavailable");
        assertThat(answer.body()).doesNotContain("Exception", "org.", "jdbc", "postgres");
    }

    private static HttpResponse<String> admin(String method, int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long storedRequests(Properties store) throws Exception {
        try (var connection = DriverManager.getConnection(store.getProperty("gateway.db.url"),
                store.getProperty("gateway.db.user"), "");
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM " + store.getProperty("gateway.db.schema") + ".service_request")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

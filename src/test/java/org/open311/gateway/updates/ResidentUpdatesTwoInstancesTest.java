package org.open311.gateway.updates;

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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one PostgreSQL, residents' updates posted to both while the CRM is down, then sent
 * while it answers slowly: each
 * update is PUT to the CRM exactly once, none is lost, and each has one SENT attempt (the claims of the one
 * outbox are exclusive across instances for updates as for requests).
 */
@ExtendWith(PostgresCondition.class)
class ResidentUpdatesTwoInstancesTest {

    private static final int REQUESTS = 6;
    private static final int UPDATES_EACH = 4;
    private static final String KEY = "two-instances-updates-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void eachUpdateIsPutOnceAndNoneIsLost() throws Exception {
        Properties store = TestDatabase.POSTGRES.freshStore();
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            List<Integer> ports = List.of(AvailablePortFinder.getNextAvailable(), AvailablePortFinder.getNextAvailable());
            List<Main> gateways = new ArrayList<>();
            try {
                for (int port : ports) {
                    gateways.add(start(port, store, crm, aspa));
                }
                List<String> requests = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    requests.add(ExternalBackends.requestId(ExternalBackends.postRequest(ports.get(i % 2), KEY, "191")));
                }
                // the cases exist; then the CRM is down while residents post their updates
                await().atMost(Duration.ofSeconds(60)).until(() -> count(store, "SELECT COUNT(*) FROM forward_task"
                        + " WHERE update_id = '' AND backend = 'crm' AND state = 'SENT'") == REQUESTS);
                crm.faults("down", 0);
                List<String> updates = new ArrayList<>();
                for (int u = 0; u < UPDATES_EACH; u++) {
                    for (int r = 0; r < REQUESTS; r++) {
                        updates.add(postUpdate(ports.get((u + r) % 2), requests.get(r), "two-" + r + "-" + u));
                    }
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> count(store, "SELECT COUNT(*) FROM forward_task"
                        + " WHERE update_id <> '' AND last_error IS NOT NULL") > 0);
                // back, but slow: sends outlive each other across both instances' claims
                crm.faults("slow", 700);

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> count(store,
                        "SELECT COUNT(*) FROM forward_task WHERE update_id <> '' AND state = 'SENT'") == updates.size());
                crm.faults("none", 0);

                List<String> atCrm = crm.residentUpdates().stream().map(u -> u.path("update_id").asText()).toList();
                assertThat(atCrm).containsExactlyInAnyOrderElementsOf(updates);
                assertThat(crm.residentUpdates()).allSatisfy(u -> assertThat(u.path("put_count").asInt()).as(u.path("update_id").asText())
                        .isEqualTo(1));
                assertThat(count(store, "SELECT COUNT(*) FROM forward_attempt a JOIN request_update u ON u.request_id = a.request_id"
                        + " WHERE a.outcome = 'SENT' AND a.detail = CONCAT((SELECT remote_id FROM backend_record b WHERE"
                        + " b.request_id = u.request_id AND b.backend = 'crm'), '/updates/', u.id)")).isEqualTo(updates.size());
            } finally {
                crm.faults("none", 0);
                gateways.forEach(Main::stop);
            }
        }
    }

    private static Main start(int port, Properties store, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        Map<String, String> settings = ExternalBackends.settings(port, KEY, crm, aspa);
        store.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        settings.put("gateway.forwarding.batch-size", "5");
        settings.put("gateway.backend.crm.concurrency", "4");
        settings.put("gateway.circuit.open-seconds", "2");
        return ExternalBackends.start(settings);
    }

    private static String postUpdate(int port, String requestId, String clientId) throws Exception {
        String form = "api_key=" + KEY + "&service_request_id=" + requestId + "&update_id=" + clientId
                + "&status=OPEN&description=" + URLEncoder.encode("Päivitys " + clientId, StandardCharsets.UTF_8)
                + "&updated_datetime=" + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8);
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/servicerequestupdates.json"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        return new ObjectMapper().readTree(posted.body()).path("service_request_updates").get(0).path("update_id").asText();
    }

    private static long count(Properties store, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(store.getProperty("gateway.db.url"),
                store.getProperty("gateway.db.user"), "")) {
            connection.setSchema(store.getProperty("gateway.db.schema"));
            try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

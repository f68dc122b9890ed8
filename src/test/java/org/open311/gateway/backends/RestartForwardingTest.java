package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.Application;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Requests accepted while the CRM is down reach it after the gateway restarts, each exactly once. */
class RestartForwardingTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void backlogSurvivesARestartAndDrainsOnce() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), "crm-token");
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), "aspa-key")) {
            int port = AvailablePortFinder.getNextAvailable();
            crm.faults("down", 0);
            List<String> ids = new ArrayList<>();
            Main first = start(port, crm, aspa);
            try {
                for (int i = 0; i < 3; i++) {
                    ids.add(post(port, i % 2 == 0 ? "171" : "191"));
                }
            } finally {
                first.stop();
            }
            assertThat(crm.cases()).isEmpty();

            crm.faults("none", 0);
            Main second = start(port, crm, aspa);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> crm.caseByReference(id).isPresent()));
                await().atMost(Duration.ofSeconds(20)).until(() -> aspa.workOrderByReference(ids.get(0)).isPresent());
            } finally {
                second.stop();
            }
            assertThat(crm.cases()).hasSize(3);
            assertThat(aspa.workOrders()).hasSize(2);
            // where each feed stopped is kept, for the next start to resume from
            try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("open311"), "sa", "");
                 var rows = connection.createStatement().executeQuery("SELECT backend, position FROM feed_cursor ORDER BY backend")) {
                while (rows.next()) {
                    assertThat(Long.parseLong(rows.getString("position"))).as(rows.getString("backend")).isPositive();
                }
            }
        }
    }

    private String post(int port, String serviceCode) throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/requests.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=restart-key&service_code=" + serviceCode
                        + "&description=Accepted+while+the+CRM+is+down&lat=60.17&long=24.94"
                        + ("171".equals(serviceCode) ? "&attribute[size]=small" : "")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        return new ObjectMapper().readTree(posted.body()).get(0).path("service_request_id").asText();
    }

    private Main start(int port, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        Main main = new Main(Application.class);
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.api-keys.demo", "restart-key");
        main.addOverrideProperty("gateway.simulators.enabled", "false");
        main.addOverrideProperty("gateway.crm.url", crm.baseUrl());
        main.addOverrideProperty("gateway.crm.token", "crm-token");
        main.addOverrideProperty("gateway.aspa.url", aspa.baseUrl());
        main.addOverrideProperty("gateway.aspa.api-key", "aspa-key");
        main.addOverrideProperty("gateway.forwarding.interval-ms", "100");
        main.addOverrideProperty("gateway.forwarding.first-retry-ms", "100");
        main.addOverrideProperty("gateway.sync.interval-ms", "200");
        main.start();
        return main;
    }
}

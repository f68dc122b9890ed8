package org.open311.gateway.backends;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Requests accepted while the CRM is down reach it after the gateway restarts, each exactly once. */
class RestartForwardingTest {

    @TempDir
    Path dir;


    @Test
    void backlogSurvivesARestartAndDrainsOnce() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
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
                await().atMost(Duration.ofSeconds(20)).until(() -> aspa.recordByReference(ids.get(0)).isPresent());
                // both feeds have read the new records before the gateway stops
                await().atMost(Duration.ofSeconds(20)).until(() -> feedPositions().size() == 2
                        && feedPositions().values().stream().allMatch(position -> position > 0));
            } finally {
                second.stop();
            }
            assertThat(crm.cases()).hasSize(3);
            assertThat(aspa.records()).hasSize(2);
            // where each feed stopped is kept, for the next start to resume from
            assertThat(feedPositions()).hasSize(2).allSatisfy((backend, position) -> assertThat(position).as(backend).isPositive());
        }
    }

    private Map<String, Long> feedPositions() throws Exception {
        Map<String, Long> positions = new java.util.TreeMap<>();
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("open311"), "sa", "");
             var rows = connection.createStatement().executeQuery("SELECT backend, position FROM feed_cursor")) {
            while (rows.next()) {
                positions.put(rows.getString("backend"), Long.parseLong(rows.getString("position")));
            }
        }
        return positions;
    }

    private String post(int port, String serviceCode) throws Exception {
        HttpResponse<String> posted = ExternalBackends.postRequest(port, "restart-key", serviceCode);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        return ExternalBackends.requestId(posted);
    }

    private Main start(int port, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        Map<String, String> settings = ExternalBackends.settings(port, "restart-key", crm, aspa);
        settings.put("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        return ExternalBackends.start(settings);
    }
}

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A back end's forwarding polls never overlap: the next one waits until the last has sent its batch and recorded
 * the outcomes. Polls that overlapped (the timer handed back at once by the parallel split) piled up with a slow
 * back end, each holding a claimed batch, until the heap ran out (bench/README.md). Seen from the store: at any
 * moment, at most one claim of the instance's on the CRM's tasks.
 */
class ForwardingPollsTest {

    private static final int REQUESTS = 12;

    @TempDir
    Path dir;

    @Test
    void aSlowBackEndsPollsWaitForEachOtherAndEachRequestIsSentOnce() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            String url = "jdbc:h2:file:" + dir.resolve("open311") + ";AUTO_SERVER=TRUE";
            Map<String, String> settings = ExternalBackends.settings(port, "polls-key", crm, aspa);
            settings.put("gateway.db.url", url);
            // a poll every 20 ms, each taking 4 requests 2 at a time to a CRM answering in 400 ms: 800 ms a poll
            settings.put("gateway.forwarding.interval-ms", "20");
            settings.put("gateway.forwarding.batch-size", "4");
            settings.put("gateway.backend.crm.concurrency", "2");
            crm.faults("slow", 400);
            Main gateway = ExternalBackends.start(settings);
            try (Connection store = DriverManager.getConnection(url, "sa", "")) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    HttpResponse<String> posted = ExternalBackends.postRequest(port, "polls-key", "191");
                    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
                    ids.add(ExternalBackends.requestId(posted));
                }
                int mostClaims = 0;
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!allSent(store) && System.nanoTime() < until) {
                    mostClaims = Math.max(mostClaims, claimsHeld(store));
                    Thread.sleep(10);
                }

                assertThat(allSent(store)).as("every request sent within 30 s").isTrue();
                assertThat(mostClaims).as("claims held at once on the CRM's tasks").isEqualTo(1);
                assertThat(ids).allSatisfy(id -> assertThat(crm.putCount(id)).as(id).isEqualTo(1));
            } finally {
                gateway.stop();
            }
        }
    }

    private static int claimsHeld(Connection store) throws Exception {
        try (ResultSet row = store.createStatement().executeQuery("SELECT COUNT(DISTINCT claim) FROM forward_task"
                + " WHERE backend = 'crm' AND claim IS NOT NULL AND claim_until > CURRENT_TIMESTAMP")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static boolean allSent(Connection store) throws Exception {
        try (ResultSet row = store.createStatement().executeQuery(
                "SELECT COUNT(*) FROM forward_task WHERE backend = 'crm' AND state = 'SENT'")) {
            row.next();
            return row.getInt(1) == REQUESTS;
        }
    }
}

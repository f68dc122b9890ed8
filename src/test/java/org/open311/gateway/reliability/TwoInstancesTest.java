package org.open311.gateway.reliability;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out: two gateways on different ports share one PostgreSQL database; posts spread over both
 * and every request reaches the CRM exactly once (claims cannot collide).
 */
@ExtendWith(PostgresCondition.class)
class TwoInstancesTest {


    @Test
    void everyRequestIsForwardedExactlyOnceByTwoInstances() throws Exception {
        Properties store = TestDatabase.POSTGRES.freshStore();
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            crm.faults("slow", 50);
            int portA = AvailablePortFinder.getNextAvailable();
            Main a = start(portA, store, crm, aspa);
            int portB = AvailablePortFinder.getNextAvailable();
            Main b = start(portB, store, crm, aspa);
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    ids.add(post(i % 2 == 0 ? portA : portB, i % 3 == 0 ? "171" : "191"));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> crm.caseByReference(id).isPresent()));
                await().atMost(Duration.ofSeconds(60)).until(() -> aspa.records().size() == 20);

                assertThat(crm.cases()).hasSize(60);
                assertThat(ids).allSatisfy(id -> assertThat(crm.putCount(id)).as(id).isEqualTo(1));
                assertThat(aspa.records()).allSatisfy(w -> assertThat(aspa.putCount(w.path("reference").asText())).isEqualTo(1));
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    private String post(int port, String serviceCode) throws Exception {
        HttpResponse<String> posted = ExternalBackends.postRequest(port, "scale-key", serviceCode);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        return ExternalBackends.requestId(posted);
    }

    private static Main start(int port, Properties store, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        Map<String, String> settings = ExternalBackends.settings(port, "scale-key", crm, aspa);
        store.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        settings.put("gateway.forwarding.batch-size", "5");
        return ExternalBackends.start(settings);
    }
}

package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.simulator.Open311Simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A third back end of the kind open311 (any GeoReport v2 server; here the embedded run's simulator), by
 * configuration alone: service 191 goes to it under the server's own code, its status is followed by
 * polling and merged into what clients read, and the CRM down does not delay it.
 */
class Open311BackendHttpTest extends GatewayTestSupport {

    private static final String KEY = "open311-backend-key";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ADMIN_TOKEN = "open311-backend-admin-token";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "500");
        settings.put("gateway.sync.interval-ms", "100");
        settings.put("gateway.circuit.open-seconds", "1");
        settings.put("gateway.backend.crm.timeout-ms", "1000");
        settings.put("gateway.backends", "crm,aspa,city311");
        settings.put("gateway.backend.crm.skip-services", "191");
        settings.put("gateway.backend.city311.kind", "open311");
        settings.put("gateway.backend.city311.url", "http://localhost:{{gateway.simulators.open311-port}}" + Open311Simulator.BASE_PATH);
        settings.put("gateway.backend.city311.api-key", Open311Simulator.EMBEDDED_API_KEY);
        settings.put("gateway.backend.city311.timeout-ms", "1000");
        settings.put("gateway.backend.city311.services", "191");
        settings.put("gateway.backend.city311.service-codes", "191=WASTE_BIN_FULL");
        settings.put("gateway.admin.token", ADMIN_TOKEN);
        return settings;
    }

    private Open311Simulator server() {
        return context.getRegistry().lookupByNameAndType("open311Simulator", Open311Simulator.class);
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private String post(String serviceCode, String description) {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", serviceCode,
                "description", description, "lat", "60.17", "long", "24.94", "email", "asukas@example.fi");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    private JsonNode request(String id) {
        return get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
    }

    @Test
    void aRequestGoesToTheOpen311ServerAndItsStatusIsFollowedWhileTheCrmIsDown() {
        crm().faults("down", 0);
        try {
            String description = "Roska-astia on täynnä Kauppatorilla " + System.nanoTime();
            String id = post("191", description);

            JsonNode remote = await().atMost(WAIT).until(() -> server().byDescription(description), Optional::isPresent).orElseThrow();
            assertThat(remote.path("service_code").asText()).isEqualTo("WASTE_BIN_FULL");
            await().atMost(WAIT).until(() -> request(id).path("extended_attributes").path("detailed_status").asText()
                    .equals("IN_PROCESS"));

            server().setStatus(remote.path("service_request_id").asText(), "closed", "Tyhjennetty");

            await().atMost(WAIT).until(() -> request(id).path("status").asText().equals("closed"));
            JsonNode closed = request(id);
            assertThat(closed.path("extended_attributes").path("detailed_status").asText()).isEqualTo("PROCESSED");
            assertThat(closed.path("status_notes").asText()).isEqualTo("Tyhjennetty");
            assertThat(get("/v1/requests.json?status=closed").jsonField("service_request_id")).contains(id);
            assertThat(server().postCount(description)).isEqualTo(1);
            assertThat(crm().caseByReference(id)).isEmpty();
        } finally {
            crm().faults("none", 0);
        }
    }

    @Test
    void aReopenedRequestIsNotPolledButAnOperatorsResyncReadsIt() throws Exception {
        String description = "Penkki rikki rantapuistossa " + System.nanoTime();
        String id = post("191", description);
        JsonNode remote = await().atMost(WAIT).until(() -> server().byDescription(description), Optional::isPresent).orElseThrow();
        String remoteId = remote.path("service_request_id").asText();
        server().setStatus(remoteId, "closed", "Korjattu");
        await().atMost(WAIT).until(() -> request(id).path("status").asText().equals("closed"));

        Thread.sleep(5); // a later updated_datetime than the close
        server().setStatus(remoteId, "open", "Avattu uudelleen");
        HttpAnswer resynced = send(java.net.http.HttpRequest.newBuilder(uri("/admin/requests/" + id + "/resync"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(resynced.status()).as(resynced.body()).isEqualTo(200);
        assertThat(resynced.json().path("city311").path("id").asText()).isEqualTo(remoteId);
        assertThat(resynced.json().path("city311").path("outcome").asText()).isEqualTo("applied");
        assertThat(resynced.json().path("crm").path("outcome").asText()).isEqualTo("not sent to crm");
        JsonNode reopened = request(id);
        assertThat(reopened.path("status").asText()).isEqualTo("open");
        assertThat(reopened.path("status_notes").asText()).isEqualTo("Avattu uudelleen");
    }
}

package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.Application;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A posted request survives a restart of the gateway on the same H2 file (the embedded default store), and
 * so do the simulators' records (kept in the state directory): the CRM's case for it is still there after
 * the restart and its change reaches the request, as in the README's walk-through.
 */
class RestartTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void postedRequestIsThereAfterARestart() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        int crmPort = AvailablePortFinder.getNextAvailable();
        Main first = start(port, crmPort);
        String id;
        try {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/requests.json"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=restart-key&service_code=200"
                            + "&description=Graffiti+on+the+bridge+again&lat=60.17&long=24.94"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            id = new ObjectMapper().readTree(posted.body()).get(0).path("service_request_id").asText();
            String sent = id;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> first.getCamelContext().getRegistry()
                    .lookupByNameAndType("crmSimulator", CrmSimulator.class).caseByReference(sent).isPresent());
        } finally {
            first.stop();
        }

        Main second = start(port, crmPort);
        try {
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/v1/requests/" + id + ".json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(found.body()).get(0).path("description").asText())
                    .isEqualTo("Graffiti on the bridge again");

            CrmSimulator crm = second.getCamelContext().getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
            assertThat(crm.caseByReference(id)).as("the CRM's case survived the restart").isPresent();
            assertThat(crm.putCount(id)).as("and was not sent again").isEqualTo(1);
            crm.moveState(crm.caseByReference(id).orElseThrow().path("case_id").asText(), "IN_PROCESS");
            String url = "http://localhost:" + port + "/v1/requests/" + id + ".json?extensions=true";
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> new ObjectMapper().readTree(
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .get(0).path("extended_attributes").path("detailed_status").asText().startsWith("IN_PROCESS"));
        } finally {
            second.stop();
        }
    }

    private Main start(int port, int crmPort) throws Exception {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        main.addOverrideProperty("gateway.management-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.simulators.crm-port", String.valueOf(crmPort));
        main.addOverrideProperty("gateway.simulators.aspa-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.open311-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.forwarding.interval-ms", "200");
        main.addOverrideProperty("gateway.sync.interval-ms", "200");
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        main.addOverrideProperty("gateway.api-keys.demo", "restart-key");
        main.start();
        return main;
    }
}

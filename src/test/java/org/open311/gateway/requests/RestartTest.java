package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.Application;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A posted request survives a restart of the gateway on the same H2 file (the embedded default store). */
class RestartTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void postedRequestIsThereAfterARestart() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Main first = start(port);
        String id;
        try {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/requests.json"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=restart-key&service_code=200"
                            + "&description=Graffiti+on+the+bridge+again&lat=60.17&long=24.94"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            id = new ObjectMapper().readTree(posted.body()).get(0).path("service_request_id").asText();
        } finally {
            first.stop();
        }

        Main second = start(port);
        try {
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/v1/requests/" + id + ".json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(found.body()).get(0).path("description").asText())
                    .isEqualTo("Graffiti on the bridge again");
        } finally {
            second.stop();
        }
    }

    private Main start(int port) throws Exception {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        main.addOverrideProperty("gateway.api-keys.demo", "restart-key");
        main.start();
        return main;
    }
}

package org.open311.gateway.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/**
 * A gateway (re)started while a refused edit is on disk: it serves the last good copy an earlier run
 * kept, says so in the admin API, the health check and the metrics, and takes the fixed files.
 */
class MappingsFromLastGoodCopyHttpTest extends GatewayTestSupport {

    private static final String TOKEN = "copy-admin-token";
    private static Path dir;
    private static String goodVersion;

    @Override
    protected Properties settings() {
        dir = copyFixture(freshDirectory("mappings"));
        Path lastGood = freshDirectory("mappings-last-good");
        // an earlier run put these files into service, so it kept them
        goodVersion = new LiveCatalogue(dir, LastGoodCopy.in(lastGood), CatalogueCheck.NONE).current().version();
        // then an admin saved an edit the gateway refuses
        edit(dir, "services.yaml", "en: Graffiti}", "en: Graffiti removal}");
        edit(dir, "services.yaml", "datatype: number", "datatype: integer");
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", dir.toString());
        settings.put("gateway.mappings.last-good-dir", lastGood.toString());
        settings.put("gateway.mappings.reload-interval-ms", "100");
        settings.put("gateway.admin.token", TOKEN);
        return settings;
    }

    @Test
    void startsFromTheLastGoodCopyShowsTheRefusalAndTakesTheFixedFiles() {
        assertThat(get("/v1/services.json?locale=en").jsonField("service_name")).containsExactly("Pothole", "Graffiti", "Park bench");
        JsonNode shown = admin("/admin/mappings").json();
        assertThat(shown.path("version").asText()).isEqualTo(goodVersion);
        assertThat(shown.path("source").asText()).isEqualTo("last_good_copy");
        assertThat(shown.path("last_refusal").path("problems").get(0).asText()).isEqualTo("services.yaml:31:19: service '100'"
                + " (services[0]) field attributes[1].datatype: unknown datatype 'integer' (one of string, number, datetime, text,"
                + " singlevaluelist, multivaluelist)");
        assertThat(shown.path("last_refusal").path("on_disk").asBoolean()).isTrue();
        JsonNode health = mappingsHealth();
        assertThat(health.path("source").asText()).isEqualTo("last_good_copy");
        assertThat(health.path("refused_edit").asText()).contains("services.yaml:31:19: ");
        String metrics = managementGet("/observe/metrics").body();
        assertThat(metrics).containsPattern("(?m)^open311_mappings_info\\{source=\"last_good_copy\",version=\"" + goodVersion + "\"} 1(\\.0)?$")
                .containsPattern("(?m)^open311_mappings_refused_edit 1(\\.0)?$")
                .containsPattern("(?m)^open311_mappings_refusals_total 1(\\.0)?$");

        edit(dir, "services.yaml", "datatype: integer", "datatype: number");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/v1/services.json?locale=en").jsonField("service_name").contains("Graffiti removal"));
        JsonNode fixed = admin("/admin/mappings").json();
        assertThat(fixed.path("source").asText()).isEqualTo("files");
        assertThat(fixed.path("refused_edit").isNull()).isTrue();
        assertThat(managementGet("/observe/metrics").body()).containsPattern("(?m)^open311_mappings_refused_edit 0(\\.0)?$")
                .containsPattern("(?m)^open311_mappings_info\\{source=\"files\",version=\"" + fixed.path("version").asText() + "\"} 1(\\.0)?$");
    }

    private JsonNode mappingsHealth() {
        for (JsonNode check : managementGet("/observe/health?data=true").json().path("checks")) {
            if (check.path("name").asText().equals("mappings")) {
                assertThat(check.path("status").asText()).isEqualTo("UP");
                return check.path("data");
            }
        }
        throw new AssertionError("no mappings check");
    }

    private HttpAnswer managementGet(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + path)).build());
    }

    private HttpAnswer admin(String path) {
        HttpAnswer answer = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).build());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer;
    }
}

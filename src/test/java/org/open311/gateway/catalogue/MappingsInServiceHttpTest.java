package org.open311.gateway.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.open311.gateway.catalogue.MappingFixtures.FIXTURE;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/**
 * What CRM admins and operators see of the mappings without reading the log: metrics, the health check
 * and the admin API show the version in service and a refused edit with every problem's line and
 * column; an edit deleting a code that stored requests use is refused; unquoted words are served as written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MappingsInServiceHttpTest extends GatewayTestSupport {

    private static final String TOKEN = "mappings-admin-token";
    private static final String API_KEY = "mappings-test-key";
    // static: Camel's test support asks for the settings from its constructor, before instance fields are set
    private static Path dir;
    private static Path lastGood;

    @Override
    protected Properties settings() {
        dir = MappingFixtures.copyFixture(freshDirectory("mappings"));
        lastGood = freshDirectory("mappings-last-good");
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", dir.toString());
        settings.put("gateway.mappings.last-good-dir", lastGood.toString());
        settings.put("gateway.mappings.reload-interval-ms", "3600000");
        settings.put("gateway.admin.token", TOKEN);
        settings.put("gateway.api-keys.demo", API_KEY);
        return settings;
    }

    @AfterEach
    void restoreTheFixture() throws Exception {
        for (String file : CatalogueLoader.FILES) {
            Files.copy(FIXTURE.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        admin("POST", "/admin/mappings/reload");
    }

    @Test
    @Order(1)
    void aRefusedEditShowsInTheMetricsTheHealthCheckAndTheAdminApi() throws Exception {
        JsonNode shown = admin("GET", "/admin/mappings").json();
        String version = shown.path("version").asText();
        assertThat(shown.path("source").asText()).isEqualTo("files");
        assertThat(shown.path("refusals").asLong()).isZero();
        assertThat(shown.path("last_refusal").isNull()).isTrue();
        assertThat(metric("open311_mappings_refusals_total")).as("present at 0 from the start").isEqualTo(0.0);
        assertThat(metric("open311_mappings_refused_edit")).isEqualTo(0.0);
        assertThat(metric("open311_mappings_info{source=\"files\",version=\"" + version + "\"}")).isEqualTo(1.0);
        assertThat(metric("open311_mappings_loaded_timestamp_seconds"))
                .isCloseTo(Instant.parse(shown.path("loaded_at").asText()).toEpochMilli() / 1000.0, within(0.01));
        assertThat(mappingsHealth().path("source").asText()).isEqualTo("files");
        assertThat(mappingsHealth().has("refused_edit")).isFalse();

        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {crm_category: 0300}");
        HttpAnswer refused = admin("POST", "/admin/mappings/reload");
        String problem = "services.yaml:40:29: service '200' (services[1]) field routing.crm_category: write it in quotes:"
                + " \"0300\" (unquoted, YAML reads it as a number, not as text)";
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get(0).path("description").asText()).isEqualTo(problem);

        JsonNode afterRefusal = admin("GET", "/admin/mappings").json();
        assertThat(afterRefusal.path("version").asText()).isEqualTo(version);
        assertThat(afterRefusal.path("refusals").asLong()).isEqualTo(1);
        assertThat(afterRefusal.path("refused_edit").asText()).contains(problem);
        JsonNode last = afterRefusal.path("last_refusal");
        assertThat(last.path("version").asText()).isEqualTo(CatalogueLoader.read(dir).fingerprint());
        assertThat(last.path("on_disk").asBoolean()).isTrue();
        assertThat(Instant.parse(last.path("refused_at").asText())).isBefore(Instant.now());
        assertThat(last.path("problems")).hasSize(1);
        assertThat(last.path("problems").get(0).asText()).isEqualTo(problem);
        assertThat(metric("open311_mappings_refusals_total")).isEqualTo(1.0);
        assertThat(metric("open311_mappings_refused_edit")).isEqualTo(1.0);
        assertThat(metric("open311_mappings_info{source=\"files\",version=\"" + version + "\"}")).isEqualTo(1.0);
        JsonNode health = mappingsHealth();
        assertThat(health.path("version").asText()).isEqualTo(version);
        assertThat(health.path("refused_edit").asText()).isEqualTo(problem);
        assertThat(health.path("refused_version").asText()).isEqualTo(last.path("version").asText());
        assertThat(health.path("refusals").asLong()).isEqualTo(1);
        assertThat(get("/v1/services/200.json").status()).isEqualTo(200);

        edit(dir, "services.yaml", "routing: {crm_category: 0300}", "routing: {crm_category: \"0300\"}");
        JsonNode fixed = admin("POST", "/admin/mappings/reload").json();
        String next = fixed.path("mappings").path("version").asText();
        assertThat(fixed.path("changed").asBoolean()).isTrue();
        assertThat(fixed.path("mappings").path("refused_edit").isNull()).isTrue();
        assertThat(fixed.path("mappings").path("last_refusal").path("on_disk").asBoolean()).as("kept, no longer on disk").isFalse();
        assertThat(metric("open311_mappings_refused_edit")).isEqualTo(0.0);
        assertThat(metric("open311_mappings_info{source=\"files\",version=\"" + next + "\"}")).isEqualTo(1.0);
        assertThat(metric("open311_mappings_info{source=\"files\",version=\"" + version + "\"}")).as("the old version is gone").isNull();
        assertThat(mappingsHealth().has("refused_edit")).isFalse();
        assertThat(Files.readString(lastGood.resolve("current"))).as("the last good copy follows").isEqualTo(next);
        assertThat(Files.readString(lastGood.resolve(next).resolve("services.yaml"))).isEqualTo(Files.readString(dir.resolve("services.yaml")));
    }

    @Test
    @Order(2)
    void anEditDeletingACodeThatStoredRequestsUseIsRefusedAndRetiringItIsAccepted() throws Exception {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", API_KEY, "service_code", "200",
                "description", "Tags on the wall", "lat", "60.17", "long", "24.94");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        String services = Files.readString(dir.resolve("services.yaml"));
        String graffiti = services.substring(services.indexOf("  - code: \"200\""), services.indexOf("  - code: \"300\""));

        Files.writeString(dir.resolve("services.yaml"), services.replace(graffiti, ""));
        HttpAnswer refused = admin("POST", "/admin/mappings/reload");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.jsonField("description")).containsExactly("services.yaml: service '200': deleted, but 1 stored request"
                + " use it: put the entry back with active: false to retire it (never delete a code)");
        assertThat(get("/v1/services/200.json").status()).isEqualTo(200);

        Files.writeString(dir.resolve("services.yaml"), services.replace("  - code: \"200\"\n", "  - code: \"200\"\n    active: false\n"));
        assertThat(admin("POST", "/admin/mappings/reload").json().path("changed").asBoolean()).isTrue();
        assertThat(get("/v1/services/200.json").status()).isEqualTo(404);
        assertThat(get("/v1/requests/" + id + ".json").json().get(0).path("service_name").asText()).isEqualTo("Graffiti");
    }

    @Test
    @Order(3)
    void anUnquotedYesIsServedAsTheWordYes() {
        edit(dir, "services.yaml", "- key: seat", "- key: yes");
        assertThat(admin("POST", "/admin/mappings/reload").json().path("changed").asBoolean()).isTrue();

        List<String> keys = new ArrayList<>();
        for (JsonNode attribute : get("/v1/services/400.json").json().path("attributes")) {
            attribute.path("values").forEach(value -> keys.add(value.path("key").asText()));
        }
        assertThat(keys).containsExactly("yes", "legs");
    }

    private JsonNode mappingsHealth() {
        HttpAnswer health = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + "/observe/health?data=true")).build());
        for (JsonNode check : health.json().path("checks")) {
            if (check.path("name").asText().equals("mappings")) {
                assertThat(check.path("status").asText()).as("a refused edit does not make the gateway unready").isEqualTo("UP");
                return check.path("data");
            }
        }
        throw new AssertionError("no mappings check in " + health.body());
    }

    /** The value of one series exactly as written (name and labels), or null when it is not there. */
    private Double metric(String series) {
        HttpAnswer scrape = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + "/observe/metrics")).build());
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape.body());
        return line.find() ? Double.valueOf(line.group(1)) : null;
    }

    private HttpAnswer admin(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}

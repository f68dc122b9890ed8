package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redocly's recommended rules ({@code redocly lint --extends recommended}) pass on both documents, as
 * written and as the gateway serves them (with the catalogue's attribute fields and a public URL). Redocly
 * CLI is pinned in tools/openapi-lint (package.json and its lock): .ci/run installs it with npm ci, and
 * this test does the same when it is missing. The one warning left is info-license: which licence the
 * API's data is under is the city's to say, not this project's.
 */
class OpenApiLintTest {

    private static final Path TOOL = Path.of("tools/openapi-lint");
    private static final Path REDOCLY = TOOL.resolve("node_modules/.bin/redocly");
    private static final Path SERVED = Path.of("target/openapi-lint");

    @Test
    void bothDocumentsPassRedoclysRecommendedRules() throws Exception {
        Catalogue shipped = CatalogueLoader.load(Path.of("mappings"));
        String publicUrl = "https://open311.city.test/v1";
        Files.createDirectories(SERVED);
        Path servedPublic = Files.write(SERVED.resolve("open311-gateway.yaml"),
                OpenApiDocument.publicApi(publicUrl, () -> shipped).yaml().bytes());
        Path servedIntegration = Files.write(SERVED.resolve("open311-gateway-integration.yaml"),
                OpenApiDocument.integration(publicUrl, "/v1").yaml().bytes());

        List<JsonNode> reports = lint(Path.of("src/main/resources", OpenApiDocument.PUBLIC_API),
                Path.of("src/main/resources", OpenApiDocument.INTEGRATION), servedPublic, servedIntegration);

        assertThat(reports).hasSize(4);
        for (JsonNode report : reports) {
            assertThat(report.at("/totals/errors").asInt()).as(report.toString()).isZero();
            List<String> warnings = new ArrayList<>();
            report.path("problems").forEach(p -> warnings.add(p.path("ruleId").asText()));
            assertThat(warnings).as(report.toString()).containsOnly("info-license");
        }
    }

    /** One JSON report per document (Redocly prints them one after another). */
    private static List<JsonNode> lint(Path... documents) throws Exception {
        installRedoclyIfMissing();
        List<String> command = new ArrayList<>(List.of(REDOCLY.toString(), "lint", "--extends", "recommended", "--format", "json"));
        for (Path document : documents) {
            command.add(document.toString());
        }
        Path output = Files.createTempFile("redocly", ".json");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // no usage report and no look for a newer version: nothing but the lint itself
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process lint = builder.start();
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).as("redocly lint finished").isTrue();
        List<JsonNode> reports = new ArrayList<>();
        try (MappingIterator<JsonNode> each = new ObjectMapper().readerFor(JsonNode.class)
                .readValues(Files.readString(output, StandardCharsets.UTF_8))) {
            each.forEachRemaining(reports::add);
        }
        assertThat(lint.exitValue()).as("redocly lint's exit code; reports: " + reports).isZero();
        return reports;
    }

    private static void installRedoclyIfMissing() throws Exception {
        if (Files.isExecutable(REDOCLY)) {
            return;
        }
        Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TOOL.toFile())
                .redirectErrorStream(true).redirectOutput(new File("target/openapi-lint-npm-ci.log")).start();
        assertThat(install.waitFor(300, TimeUnit.SECONDS) && install.exitValue() == 0)
                .as("npm ci in " + TOOL + " (see target/openapi-lint-npm-ci.log)").isTrue();
    }
}

package org.open311.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingException;
import org.open311.gateway.observe.SecretSettings;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The container image deploy/image/build made (an OCI layout, named by -Dgateway.image.oci): its config starts the
 * distribution's launcher as a non-root user, exposes the gateway's ports, and no secret is baked in, neither in its
 * environment nor in its files. Run by that script (the build takes minutes: not in .ci/run); skipped without an image.
 */
class ContainerImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path layout;
    private static JsonNode config;
    private static List<Path> layers;

    @BeforeAll
    static void readImage() throws Exception {
        String named = System.getProperty("gateway.image.oci");
        assumeThat(named).as("an image built by deploy/image/build (-Dgateway.image.oci=target/image/oci)").isNotNull();
        layout = Path.of(named);
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()).toFile());
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
        layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(layer.path("digest").asText())));
    }

    @Test
    void itStartsTheLauncherInTheWorkingDirectoryAsANonRootUser() throws Exception {
        JsonNode image = config.path("config");
        assertThat(image.path("Entrypoint").toString()).isEqualTo("[\"/opt/open311-gateway/bin/open311-gateway\"]");
        String user = image.path("User").asText();
        assertThat(user).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        String uid = user.split(":")[0];
        assertThat(file("etc/passwd")).as("the user exists").containsPattern("(?m)^open311:x:" + uid + ":");
        assertThat(image.path("WorkingDir").asText()).isEqualTo("/var/lib/open311-gateway");
        assertThat(listing()).as("the working directory belongs to the user; the launcher is executable")
                .anyMatch(line -> line.matches("d\\S+ " + uid + "/\\d+ .* var/lib/open311-gateway/?"))
                .anyMatch(line -> line.matches("-rwxr-xr-x 0/0 .* opt/open311-gateway/bin/open311-gateway"));
        String javaHome = env("JAVA_HOME");
        assertThat(listing()).as("java where JAVA_HOME says").anyMatch(line -> line.matches("-\\S+ .* " + javaHome.substring(1) + "/bin/java"));
        assertThat(env("CAMEL_MAIN_PROFILE")).isEqualTo("prod");
    }

    @Test
    void itExposesTheGatewaysPorts() throws Exception {
        Properties defaults = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            defaults.load(in);
        }
        List<String> ports = new ArrayList<>();
        config.path("config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder(defaults.getProperty("gateway.port") + "/tcp",
                defaults.getProperty("gateway.management-port") + "/tcp");
    }

    @Test
    void noSecretIsBakedIn() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setAdditionalSensitiveKeywords("demo,notificationsecret");
        for (JsonNode variable : config.path("config").path("Env")) {
            String name = variable.asText().substring(0, variable.asText().indexOf('='));
            String key = name.toLowerCase().replace('_', '.');
            assertThat(SecretSettings.isSecret(context, key) || name.matches(".*(PASSWORD|TOKEN|SECRET|API_KEY).*"))
                    .as("a secret in the image's environment: " + name).isFalse();
        }
        Properties conf = new Properties();
        conf.load(new StringReader(file("opt/open311-gateway/conf/application.properties")));
        for (String key : conf.stringPropertyNames()) {
            assertThat(SecretSettings.isSecret(context, key) && !conf.getProperty(key).isBlank())
                    .as("a secret in conf/application.properties: " + key).isFalse();
        }
        assertThat(listing()).as("no key material, credentials or mounted secrets in the image's files")
                .noneMatch(line -> line.matches("-.* (etc/ssl/private|run/secrets|root/\\.ssh|home/[^/]+/\\.ssh)/.+"))
                .noneMatch(line -> line.matches("-.* .*/(\\.pgpass|id_rsa|id_ed25519|\\.netrc|[^/]*\\.(p12|jks|keystore))"))
                .noneMatch(line -> line.matches("-.* etc/open311-gateway/.+"));
        assertThat(SettingException.environmentVariable("gateway.db.password")).isEqualTo("GATEWAY_DB_PASSWORD");
    }

    private static String env(String name) {
        for (JsonNode variable : config.path("config").path("Env")) {
            if (variable.asText().startsWith(name + "=")) {
                return variable.asText().substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in the image's environment");
    }

    private static Path blob(String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static List<String> listing;

    /** Every layer's files as tar lists them: mode owner/group size date time path. */
    private static synchronized List<String> listing() throws Exception {
        if (listing == null) {
            List<String> lines = new ArrayList<>();
            for (Path layer : layers) {
                lines.addAll(List.of(tar("-tvf", layer.toString(), "--numeric-owner").split("\n")));
            }
            // one space between fields, member names without a leading ./
            listing = lines.stream().map(line -> line.replaceAll("\\s+", " ").replace(" ./", " ")).toList();
        }
        return listing;
    }

    /** One file's text from the layers (the last layer holding it). */
    private static String file(String path) throws Exception {
        String text = null;
        for (Path layer : layers) {
            String found = tar("-xOf", layer.toString(), path);
            if (found.isEmpty()) {
                found = tar("-xOf", layer.toString(), "./" + path);
            }
            if (!found.isEmpty()) {
                text = found;
            }
        }
        assertThat(text).as(path + " in the image").isNotNull();
        return text;
    }

    /** GNU tar (reads gzip layers too); a missing member gives empty output. */
    private static String tar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Process tar = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        tar.waitFor(120, TimeUnit.SECONDS);
        return out;
    }
}

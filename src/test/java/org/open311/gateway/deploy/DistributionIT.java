package org.open311.gateway.deploy;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distribution as an operator gets it: unpacked from the archive `mvn package` built, started with its
 * launcher from another directory, with its external settings file and its external logging file, whose
 * edit changes log levels while the gateway runs.
 */
class DistributionIT {

    @TempDir
    Path installDir;
    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theArchiveHoldsWhatAnOperatorNeeds() throws Exception {
        Distribution dist = Distribution.unpack(installDir);
        assertThat(dist.launcher()).isExecutable();
        for (String part : List.of("conf/application.properties", "conf/logback.xml", "routes/requests.camel.yaml",
                "mappings/services.yaml", "mappings/statuses.yaml", "mappings/schema", "systemd/open311-gateway.service")) {
            assertThat(dist.home.resolve(part)).as(part).exists();
        }
        try (var jars = Files.list(dist.home.resolve("lib"))) {
            List<String> names = jars.map(jar -> jar.getFileName().toString()).toList();
            assertThat(names).anyMatch(name -> name.startsWith("open311-gateway-")).anyMatch(name -> name.startsWith("camel-main-"))
                    .noneMatch(name -> name.startsWith("junit") || name.startsWith("assertj") || name.startsWith("camel-test"));
        }
        Path gatewayJar;
        try (var jars = Files.list(dist.home.resolve("lib"))) {
            gatewayJar = jars.filter(jar -> jar.getFileName().toString().startsWith("open311-gateway-")).findFirst().orElseThrow();
        }
        try (var jar = new java.util.jar.JarFile(gatewayJar.toFile())) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
                    .as("the benchmark's tools are not in the product jar").noneMatch(name -> name.contains("/bench/") && name.endsWith(".class"));
        }
        assertThat(Files.readString(dist.home.resolve("conf/logback.xml"))).contains("scan=\"true\"");
        // kubectl apply -k kubernetes/ finds every file its kustomization names
        for (String line : Files.readAllLines(dist.home.resolve("kubernetes/kustomization.yaml"))) {
            if (line.trim().matches("- (mappings|routes)/.*|- gateway\\.yaml")) {
                assertThat(dist.home.resolve("kubernetes").resolve(line.trim().substring(2))).as(line).isRegularFile();
            }
        }
        assertThat(dist.home.resolve("haproxy/haproxy.cfg")).isRegularFile();

        Path log = workDir.resolve("version.log");
        Process version = dist.start(workDir, Map.of(), log, "--version");
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(Files.readString(log)).startsWith("open311-gateway ");
    }

    @Test
    void startedFromAnotherDirectoryItServesReadsItsConfFileKeepsStateInTheWorkingDirectoryAndLogLevelsChangeLive() throws Exception {
        Distribution dist = Distribution.unpack(installDir);
        Path conf = dist.home.resolve("conf/application.properties");
        Files.writeString(conf, Files.readString(conf) + "\ngateway.discovery.contact = Distribution test contact, ops@example.org\n");
        // the shipped file re-reads itself every 30 s; this test cannot wait that long
        Path logback = dist.home.resolve("conf/logback.xml");
        Files.writeString(logback, Files.readString(logback).replace("scanPeriod=\"30 seconds\"", "scanPeriod=\"500 milliseconds\""));

        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> environment = Map.of(
                "GATEWAY_PORT", String.valueOf(port),
                "GATEWAY_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "GATEWAY_SIMULATORS_CRM_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "GATEWAY_SIMULATORS_ASPA_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "GATEWAY_SIMULATORS_OPEN311_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        Path log = workDir.resolve("gateway.log");
        Process gateway = dist.start(workDir, environment, log);
        started.add(gateway);
        Distribution.awaitServing(gateway, port, log);

        assertThat(Distribution.get(port, "/v1/discovery.json").body()).as("conf/application.properties is read")
                .contains("Distribution test contact, ops@example.org");
        assertThat(Distribution.get(port, "/v1/services/171.json").statusCode()).as("mappings/ of the distribution").isEqualTo(200);
        assertThat(workDir.resolve("data/mappings-last-good")).as("state in the working directory").isDirectory();
        assertThat(dist.home.resolve("data")).as("nothing written into the installation").doesNotExist();

        assertThat(accessLogged(port, log)).as("access log lines at INFO, as shipped").isTrue();
        Files.writeString(logback, Files.readString(logback).replace("<root level=\"INFO\">",
                "<logger name=\"org.open311.gateway.access\" level=\"WARN\"/>\n  <root level=\"INFO\">"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> !accessLogged(port, log));
        for (int i = 0; i < 3; i++) {
            assertThat(accessLogged(port, log)).as("the edited level holds").isFalse();
        }

        assertThat(Distribution.stop(gateway)).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
        assertThat(Files.readString(log)).contains("No request in flight: stopping the routes");
    }

    /** Whether a request with a fresh correlation id gets its access-log line (given a moment to be written). */
    private boolean accessLogged(int port, Path log) throws Exception {
        String id = "dist-" + UUID.randomUUID();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/services.json"))
                .header("X-Correlation-Id", id).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        Thread.sleep(500);
        return Files.readString(log).contains(id);
    }
}

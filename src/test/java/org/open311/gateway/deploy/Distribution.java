package org.open311.gateway.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distribution `mvn package` built (target/open311-gateway-*-dist.tar.gz), unpacked where a test says,
 * and gateways started from it with its launcher as an operator starts them: their own process, their own
 * working directory, settings from the environment and the distribution's conf/.
 */
final class Distribution {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path home;

    private Distribution(Path home) {
        this.home = home;
    }

    /** The archive failsafe names (the package phase ran before), falling back to its usual place. */
    static Path archive() throws IOException {
        String named = System.getProperty("gateway.distribution.archive");
        if (named != null) {
            return Path.of(named);
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("open311-gateway-.*-dist\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no distribution archive in target/: run `mvn package` first"));
        }
    }

    /** Unpacks the archive into {@code dir} with tar, as an operator would; the one folder it holds is the home. */
    static Distribution unpack(Path dir) throws Exception {
        Path archive = archive();
        assertThat(archive).as("the distribution archive `mvn package` builds").isRegularFile();
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as(new String(tar.getInputStream().readAllBytes())).isTrue();
        try (var entries = Files.list(dir)) {
            List<Path> homes = entries.filter(Files::isDirectory).toList();
            assertThat(homes).as("one top folder in the archive").hasSize(1);
            return new Distribution(homes.get(0));
        }
    }

    Path launcher() {
        return home.resolve("bin/open311-gateway");
    }

    /** Runs the launcher in {@code workingDir} with these environment variables (and this JVM's java), output to {@code log}. */
    Process start(Path workingDir, Map<String, String> environment, Path log, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until the API on {@code port} serves the catalogue (generous: the machine's cores are shared). */
    static void awaitServing(Process gateway, int port, Path log) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(gateway.isAlive()).as("gateway process alive; its log:%n%s", tail(log)).isTrue();
            try {
                return get(port, "/v1/services.json").statusCode() == 200;
            } catch (IllegalStateException notYetListening) {
                return false;
            }
        });
    }

    static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as systemd or Kubernetes stops it, and the exit code once it has stopped. */
    static int stop(Process gateway) throws InterruptedException {
        gateway.destroy();
        if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
            gateway.destroyForcibly();
            throw new AssertionError("the gateway did not stop within 60 s of SIGTERM");
        }
        return gateway.exitValue();
    }
}

package org.open311.gateway;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as operators start it, as its own process: a start it cannot complete ends the process
 * with a non-zero exit code and says why in one line, instead of running on half started.
 */
class FailFastProcessTest {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void anApiPortInUseEndsTheProcessNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = PortInUseTest.takePort()) {
            Map<String, String> env = embedded();
            env.put("GATEWAY_PORT", String.valueOf(taken.getLocalPort()));
            Outcome outcome = run(env);
            assertThat(outcome.exitCode()).isNotZero();
            assertThat(outcome.reasonLine()).isEqualTo("The gateway did not start. API server failed to start: port "
                    + taken.getLocalPort() + " on 0.0.0.0 was already in use (set gateway.port, environment variable GATEWAY_PORT,"
                    + " or gateway.bind-address, GATEWAY_BIND_ADDRESS)");
        }
    }

    @Test
    void aManagementPortInUseEndsTheProcessNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = PortInUseTest.takePort()) {
            Map<String, String> env = embedded();
            env.put("GATEWAY_MANAGEMENT_PORT", String.valueOf(taken.getLocalPort()));
            Outcome outcome = run(env);
            assertThat(outcome.exitCode()).isNotZero();
            assertThat(outcome.reasonLine()).startsWith("The gateway did not start. Management server failed to start: port "
                    + taken.getLocalPort() + " on 0.0.0.0 was already in use (set gateway.management-port, environment variable GATEWAY_MANAGEMENT_PORT");
        }
    }

    @Test
    void badAndMissingSettingsEndTheProcessListingThemAllWithoutAStackTrace() throws Exception {
        Map<String, String> env = embedded();
        env.put("CAMEL_MAIN_PROFILE", "prod");
        env.remove("GATEWAY_DB_URL");
        env.put("GATEWAY_DB_POOL_SIZE", "ten");
        env.put("GATEWAY_TIME_ZONE", "Helsinki");
        env.put("GATEWAY_BACKEND_CRM_URL", "crm.city.example/api/v1");
        env.put("GATEWAY_BACKEND_CRM_TOKEN", "a-crm-token-to-keep-secret");
        Outcome outcome = run(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.reasonLine()).isEqualTo("The gateway did not start. 9 settings are missing or invalid (docs/configuration.md):");
        assertThat(outcome.output()).contains(
                "  - gateway.db.url (GATEWAY_DB_URL) is missing: expected the store's JDBC URL",
                "  - gateway.db.pool-size (GATEWAY_DB_POOL_SIZE) = 'ten': expected a whole number from 1 to 2147483647",
                "  - gateway.time-zone (GATEWAY_TIME_ZONE) = 'Helsinki': expected a time-zone id such as Europe/Helsinki",
                "  - gateway.backend.crm.url (GATEWAY_BACKEND_CRM_URL) = 'crm.city.example/api/v1': expected the CRM API's base URL",
                "  - gateway.public-url (GATEWAY_PUBLIC_URL) is missing",
                "  - gateway.backend.aspa.api-key (GATEWAY_BACKEND_ASPA_API_KEY) is missing")
                .doesNotContain("\tat ", "a-crm-token-to-keep-secret");
        assertThat(Files.exists(Path.of("data", "open311.mv.db")) && Files.getLastModifiedTime(Path.of("data", "open311.mv.db"))
                .toMillis() > System.currentTimeMillis() - 60_000).as("no embedded store was made under ./data").isFalse();
    }

    @Test
    void aSecretReadFromAFileWorksAndNeverReachesTheLog() throws Exception {
        Path tokenFile = dir.resolve("admin-token");
        Files.writeString(tokenFile, "admin-token-from-a-file\n");
        Map<String, String> env = embedded();
        env.put("GATEWAY_ADMIN_TOKEN_FILE", tokenFile.toString());
        env.put("GATEWAY_LOG_FORMAT", "json");
        Path log = dir.resolve("gateway.log");
        Process gateway = start(env, log);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest deadLetters = HttpRequest.newBuilder(URI.create("http://localhost:" + env.get("GATEWAY_PORT") + "/admin/dead-letters"))
                .header("Authorization", "Bearer admin-token-from-a-file").timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(gateway.isAlive()).as("gateway process alive").isTrue();
            try {
                return http.send(deadLetters, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        HttpResponse<String> demoToken = http.send(HttpRequest.newBuilder(deadLetters.uri())
                .header("Authorization", "Bearer open311-demo-admin-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(demoToken.statusCode()).as("the file's token replaced the default").isEqualTo(401);
        assertThat(Files.readString(log)).doesNotContain("admin-token-from-a-file");
    }

    @Test
    void anUnknownCommandIsAUsageErrorNotAStart() throws Exception {
        Outcome outcome = run(embedded(), "keyz", "list");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.output()).contains("Unmatched arguments").doesNotContain("Apache Camel");
    }

    @Test
    void aStartThatMayNotMigrateStopsOnASchemaThatIsBehind() throws Exception {
        Map<String, String> env = embedded();
        env.put("GATEWAY_DB_MIGRATE_ON_START", "false");
        Outcome outcome = run(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.reasonLine()).startsWith("The gateway did not start. The store's schema is at version none (an empty store),"
                + " this gateway needs ").endsWith(": run `db migrate`");
    }

    /** Free ports, a store in the test's folder: the embedded run, started from the project root. */
    private Map<String, String> embedded() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_SIMULATORS_CRM_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_SIMULATORS_ASPA_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_SIMULATORS_OPEN311_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        // the simulators' records in this test's directory, not under the working directory's data/
        env.put("GATEWAY_SIMULATORS_STATE_DIR", dir.resolve("simulators").toString());
        env.put("GATEWAY_DB_URL", "jdbc:h2:file:" + dir.resolve("open311"));
        env.put("GATEWAY_MEDIA_DIR", dir.resolve("media").toString());
        return env;
    }

    /** What an operator sees of a start that failed: its exit code and the line that says why. */
    record Outcome(int exitCode, String output) {
        String reasonLine() {
            return output.lines().filter(line -> line.startsWith("The gateway did not start.")).findFirst().orElse(output);
        }
    }

    /** Runs the gateway (or a command) as its own process; it must end by itself within a generous bound. */
    Outcome run(Map<String, String> env, String... args) throws Exception {
        Path output = dir.resolve("process-" + System.nanoTime() + ".log");
        Process process = start(env, output, args);
        // generous: other test suites may share the machine's cores
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
        return new Outcome(process.exitValue(), Files.readString(output));
    }

    private Process start(Map<String, String> env, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Application.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_") || name.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }
}

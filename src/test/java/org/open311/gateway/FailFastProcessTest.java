package org.open311.gateway;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** Free ports, a store in the test's folder: the embedded run, started from the project root. */
    private Map<String, String> embedded() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEWAY_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_SIMULATORS_CRM_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("GATEWAY_SIMULATORS_ASPA_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Application.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_") || name.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        // generous: other test suites may share the machine's cores
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
        return new Outcome(process.exitValue(), Files.readString(output));
    }
}

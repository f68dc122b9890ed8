package org.open311.gateway.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart loses nothing: two gateways started from the distribution in the prod profile, on one
 * PostgreSQL, behind HAProxy with the shipped configuration (deploy/haproxy/haproxy.cfg); clients post and read
 * through HAProxy without pause while each gateway in turn gets SIGTERM, stops, starts again and is back in
 * HAProxy before the next. Every client request succeeds (HAProxy retries no POST), every accepted post is in
 * the store, and the CRM received each exactly once.
 */
@ExtendWith(PostgresCondition.class)
class RollingRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than HAProxy needs to take an instance out (2 failed checks, 1 s apart), on a busy machine too. */
    private static final String READINESS_DELAY_MS = "4000";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void bothInstancesRestartedOneAfterTheOtherUnderPostsAndReadsWithoutAFailedRequestOrALostOrDoubledPost() throws Exception {
        Path haproxy = haproxy();
        Properties store = TestDatabase.POSTGRES.freshStore();
        Distribution dist = Distribution.unpack(Files.createDirectory(dir.resolve("install")));
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int front = AvailablePortFinder.getNextAvailable();
            int stats = AvailablePortFinder.getNextAvailable();
            List<Instance> instances = List.of(new Instance("gateway1"), new Instance("gateway2"));
            Map<String, String> environment = production(store, crm, aspa, front);

            // an upgrade's order: the schema first, by the command line, then the servers (which do not migrate)
            assertThat(command(dist, environment, "db", "migrate")).containsIgnoringCase("applied");
            String apiKey = command(dist, environment, "keys", "add", "--name", "Rolling restart test").lines()
                    .filter(line -> line.matches("\\S{20,}")).findFirst().orElseThrow();
            for (Instance instance : instances) {
                instance.start(dist, environment);
            }
            for (Instance instance : instances) {
                instance.awaitServing();
            }
            startHaproxy(haproxy, front, stats, instances);
            awaitInHaproxy(stats, instances);

            Clients clients = new Clients(front, apiKey);
            clients.start(4);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> clients.accepted.size() >= 10);
                for (Instance instance : instances) {
                    long began = System.nanoTime();
                    instance.restart(dist, environment);
                    awaitInHaproxy(stats, instances);
                    System.out.printf("%s restarted and back in HAProxy in %d ms%n", instance.name,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                    int before = clients.accepted.size();
                    await().atMost(Duration.ofSeconds(30)).until(() -> clients.accepted.size() >= before + 10);
                }
            } finally {
                clients.stop();
            }

            assertThat(clients.failures).as("failed client requests (%d accepted posts, %d reads)",
                    clients.accepted.size(), clients.reads.get()).isEmpty();
            List<String> ids = List.copyOf(clients.accepted);
            assertThat(ids.size()).as("posts accepted during the restarts").isGreaterThan(30);
            assertThat(storedCount(store, ids)).as("accepted posts in the store").isEqualTo(ids.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> crm.caseByReference(id).isPresent()));
            assertThat(ids).allSatisfy(id -> assertThat(crm.putCount(id)).as("CRM PUTs of %s", id).isEqualTo(1));
            for (Instance instance : instances) {
                String log = Files.readString(instance.log);
                assertThat(log).as("the readiness delay of the environment, not prod's 5 s")
                        .contains("still serving for " + READINESS_DELAY_MS + " ms").contains("No request in flight: stopping the routes");
            }
            System.out.printf("Rolling restart: %d posts accepted, %d reads, 0 failed%n", ids.size(), clients.reads.get());
        }
    }

    /** HAProxy from the Debian package; CI must have it (.ci/run installs it), elsewhere the test is skipped without it. */
    private static Path haproxy() {
        Path binary = java.util.stream.Stream.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null && System.getenv("CI") != null) {
            throw new AssertionError("haproxy is not installed: .ci/run installs the Debian package (apt-get install haproxy)");
        }
        assumeThat(binary).as("haproxy installed (apt-get install haproxy)").isNotNull();
        return binary;
    }

    private Map<String, String> production(Properties store, CrmSimulator crm, AspaSimulator aspa, int front) {
        Map<String, String> settings = new LinkedHashMap<>();
        store.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        settings.put("gateway.db.migrate-on-start", "false");
        settings.put("gateway.public-url", "http://localhost:" + front + "/v1");
        settings.put("gateway.discovery.contact", "Rolling restart test, ops@example.org");
        settings.put("gateway.discovery.key-service", "Ask the test for a key");
        settings.put("gateway.backend.crm.url", crm.baseUrl());
        settings.put("gateway.backend.crm.token", ExternalBackends.CRM_TOKEN);
        settings.put("gateway.backend.aspa.url", aspa.baseUrl());
        settings.put("gateway.backend.aspa.api-key", ExternalBackends.ASPA_KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.sync.interval-ms", "500");
        settings.put("gateway.shutdown.readiness-delay-ms", READINESS_DELAY_MS);
        // the clients post as fast as the instances answer (over 2,000 a minute on a quiet machine): this test
        // is about restarts, not the per-key abuse limit (1,200 a minute per instance), which would answer 429
        settings.put("gateway.rate-limit.posts-per-key", "1000000");
        Map<String, String> environment = ExternalBackends.asEnvironment(settings);
        environment.put("CAMEL_MAIN_PROFILE", "prod");
        environment.put("GATEWAY_LOG_FORMAT", "text");
        environment.put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        return environment;
    }

    /** A command of the distribution's launcher; its output, once it exited 0. */
    private String command(Distribution dist, Map<String, String> environment, String... args) throws Exception {
        Path log = dir.resolve("command-" + System.nanoTime() + ".log");
        Process command = dist.start(dir, environment, log, args);
        assertThat(command.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(command.exitValue()).as(output).isZero();
        return output;
    }

    private void startHaproxy(Path haproxy, int front, int stats, List<Instance> instances) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(haproxy.toString(), "-db", "-f", Path.of("deploy/haproxy/haproxy.cfg").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        builder.environment().put("GATEWAY_FRONT", "127.0.0.1:" + front);
        builder.environment().put("GATEWAY_STATS", "127.0.0.1:" + stats);
        for (int i = 0; i < instances.size(); i++) {
            builder.environment().put("GATEWAY_" + (i + 1), "127.0.0.1:" + instances.get(i).port);
            builder.environment().put("GATEWAY_" + (i + 1) + "_MANAGEMENT_PORT", String.valueOf(instances.get(i).managementPort));
        }
        processes.add(builder.start());
    }

    /** Until HAProxy's status page shows every gateway UP. */
    private void awaitInHaproxy(int stats, List<Instance> instances) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String csv;
            try {
                csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stats + "/stats;csv")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception notYet) {
                return false;
            }
            return instances.stream().allMatch(instance -> csv.lines()
                    .anyMatch(line -> line.startsWith("gateways," + instance.name + ",") && line.contains(",UP,")));
        });
    }

    private static long storedCount(Properties store, List<String> ids) throws Exception {
        try (var connection = DriverManager.getConnection(store.getProperty("gateway.db.url"), store.getProperty("gateway.db.user"), "");
             var statement = connection.prepareStatement("SELECT count(*) FROM " + store.getProperty("gateway.db.schema")
                     + ".service_request WHERE id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** One gateway: its ports, its own working directory (its data/, its last good mappings) and log. */
    private final class Instance {
        final String name;
        final int port = AvailablePortFinder.getNextAvailable();
        final int managementPort = AvailablePortFinder.getNextAvailable();
        final Path workDir;
        final Path log;
        Process process;

        Instance(String name) throws Exception {
            this.name = name;
            this.workDir = Files.createDirectory(dir.resolve(name));
            this.log = workDir.resolve("gateway.log");
        }

        void start(Distribution dist, Map<String, String> environment) throws Exception {
            Map<String, String> own = new LinkedHashMap<>(environment);
            own.put("GATEWAY_PORT", String.valueOf(port));
            own.put("GATEWAY_MANAGEMENT_PORT", String.valueOf(managementPort));
            process = dist.start(workDir, own, log);
            processes.add(process);
        }

        void awaitServing() {
            Distribution.awaitServing(process, port, log);
        }

        /** SIGTERM, its graceful stop to the end, a new start, serving again. */
        void restart(Distribution dist, Map<String, String> environment) throws Exception {
            long began = System.nanoTime();
            assertThat(Distribution.stop(process)).as("%s stopped gracefully; its log:%n%s", name, Distribution.tail(log)).isEqualTo(143);
            long stopped = System.nanoTime();
            start(dist, environment);
            awaitServing();
            System.out.printf("%s: stopped in %d ms, serving again %d ms later%n", name,
                    TimeUnit.NANOSECONDS.toMillis(stopped - began), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped));
        }
    }

    /** Clients posting through HAProxy, each reading its request back, and listing now and then. */
    private final class Clients {
        final int front;
        final String apiKey;
        final Queue<String> accepted = new ConcurrentLinkedQueue<>();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final ExecutorService threads = Executors.newCachedThreadPool();

        Clients(int front, String apiKey) {
            this.front = front;
            this.apiKey = apiKey;
        }

        void start(int count) {
            for (int i = 0; i < count; i++) {
                int client = i;
                threads.submit(() -> run(client));
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        private void run(int client) {
            for (int n = 0; running.get(); n++) {
                String code = (client + n) % 2 == 0 ? "171" : "191";
                String id = call("POST", "/v1/requests.json", "api_key=" + apiKey + "&service_code=" + code
                        + "&description=Rolling+restart+client+" + client + "+post+" + n + "&lat=60.17&long=24.94"
                        + ("171".equals(code) ? "&attribute[size]=small" : ""));
                if (id != null) {
                    accepted.add(id);
                    call("GET", "/v1/requests/" + id + ".json", null);
                }
                if (n % 5 == 0) {
                    call("GET", "/v1/requests.json?status=open", null);
                }
                pause();
            }
        }

        /** A steady stream, not a flood: the restarted JVMs share the machine's cores with the clients. */
        private void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One request; the id of a post's answer, or null. A non-200 answer or an exception is a failure. */
        private String call(String method, String path, String form) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + path))
                        .timeout(Duration.ofSeconds(30));
                if (form != null) {
                    request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
                }
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    failures.add(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
                    return null;
                }
                if (form == null) {
                    reads.incrementAndGet();
                    return null;
                }
                return JSON.readTree(answer.body()).get(0).path("service_request_id").asText();
            } catch (Exception e) {
                failures.add(method + " " + path + ": " + e);
                return null;
            }
        }
    }
}

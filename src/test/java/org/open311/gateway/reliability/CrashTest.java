package org.open311.gateway.reliability;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway process is killed with SIGKILL while clients post and forwarding is in flight, then
 * started again on the same database: every request answered with success exists afterwards and
 * reaches the CRM exactly once (and Aspa exactly once where it should).
 */
class CrashTest {

    private static final int POSTS = 300;
    private static final int KILL_AFTER = 150;
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process gateway;

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nothingAnsweredWithSuccessIsLostOrDoubledBySigkill(TestDatabase database) throws Exception {
        assumeThat(database == TestDatabase.H2 || TestDatabase.postgresUsable()).as("PostgreSQL reachable").isTrue();
        Properties store = database.freshStore();
        if (database == TestDatabase.H2) {
            store.put("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
        }
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            crm.faults("slow", 20);
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> publicWorks = new ConcurrentHashMap<>();
            List<String> accepted = new CopyOnWriteArrayList<>();
            AtomicInteger failedPosts = new AtomicInteger();
            AtomicInteger inFlightAtKill = new AtomicInteger();
            AtomicInteger inFlight = new AtomicInteger();

            gateway = launch(port, store, crm, aspa);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    for (int i = 0; accepted.size() < POSTS && i < 4 * POSTS; i++) {
                        String code = i % 3 == 0 ? "171" : "191";
                        inFlight.incrementAndGet();
                        String id = post(port, code);
                        inFlight.decrementAndGet();
                        if (id == null) {
                            failedPosts.incrementAndGet();
                            sleep(100);
                        } else {
                            publicWorks.put(id, code);
                            accepted.add(id);
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= KILL_AFTER);
            inFlightAtKill.set(inFlight.get());
            gateway.destroyForcibly().waitFor();
            gateway = launch(port, store, crm, aspa);
            clients.shutdown();
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(90)).until(() -> accepted.stream().allMatch(id -> crm.caseByReference(id).isPresent()));
            long expectedWorkOrders = publicWorks.values().stream().filter("171"::equals).count();
            await().atMost(Duration.ofSeconds(90)).until(() -> aspa.records().size() >= expectedWorkOrders);

            System.out.printf("crash test on %s: %d clients, %d posts in flight at the kill, %d answered with success,"
                    + " %d failed while the gateway was dying or starting, %d CRM cases, %d work orders%n", database, CLIENTS,
                    inFlightAtKill.get(), accepted.size(), failedPosts.get(),
                    crm.cases().size(), aspa.records().size());
            assertThat(accepted).hasSizeGreaterThan(POSTS / 2);
            assertThat(accepted).allSatisfy(id -> assertThat(get(port, id)).as(id).isEqualTo(200));
            assertThat(crm.cases().stream().map(c -> c.path("reference").asText()).distinct().count())
                    .isEqualTo(crm.cases().size());
            assertThat(aspa.records()).hasSize((int) aspa.records().stream()
                    .map(w -> w.path("reference").asText()).distinct().count());
            assertThat(aspa.records()).allSatisfy(w -> assertThat(publicWorks.get(w.path("reference").asText())).isIn("171", null));
            assertThat(accepted.stream().filter(id -> publicWorks.get(id).equals("171")))
                    .allSatisfy(id -> assertThat(aspa.recordByReference(id)).isPresent());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The answered id, or null when the gateway was not there to answer (killed or starting). */
    private String post(int port, String code) {
        try {
            HttpResponse<String> posted = ExternalBackends.postRequest(port, "crash-key", code);
            return posted.statusCode() == 200 ? ExternalBackends.requestId(posted) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private int get(int port, String id) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/requests/" + id + ".json")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Starts the gateway as its own process, as an operator would, and waits until it serves. */
    private Process launch(int port, Properties store, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.open311.gateway.Application")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway-" + System.nanoTime() + ".log").toFile());
        Map<String, String> settings = ExternalBackends.settings(port, "crash-key", crm, aspa);
        store.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        // claims of the killed instance expire fast; a claim must outlast the slowest batch (checked at start):
        // 8 sent at once, each at most 2 x 1 s
        settings.put("gateway.forwarding.claim-seconds", "5");
        settings.put("gateway.forwarding.batch-size", "8");
        settings.put("gateway.backend.crm.timeout-ms", "1000");
        settings.put("gateway.backend.aspa.timeout-ms", "1000");
        settings.put("gateway.sync.interval-ms", "500");
        settings.put("gateway.media.dir", dir.resolve("media").toString());
        builder.environment().putAll(ExternalBackends.asEnvironment(settings));
        Process process = builder.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("gateway process alive").isTrue();
            return get(port, "00000000000000000000") == 404;
        });
        return process;
    }
}

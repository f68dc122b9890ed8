package org.open311.gateway.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.PostgresCondition;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The network to PostgreSQL freezes (a relay keeps the connections open but passes no byte, as a
 * partition does) while posts and reads are in flight and more keep arriving. Every call must get an
 * answer, 200 or a 503 in the error shape with Retry-After, within the documented bound (10 s with the
 * default store timeouts; asserted with a generous margin), none may hang. After the thaw the gateway
 * serves again by itself, every post retried with its Idempotency-Key is stored exactly once (a 503'd
 * post may or may not have been committed), and every stored request reaches the CRM.
 */
@ExtendWith(PostgresCondition.class)
class FrozenDatabaseTest {

    private static final String API_KEY = "frozen-network-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The documented bound is 10 s; twice that absorbs a loaded machine, and a hang goes far past it. */
    private static final Duration GENEROUS_BOUND = Duration.ofSeconds(20);
    /** A call the gateway leaves hanging is given up by the client here, and counts as unanswered. */
    private static final Duration CLIENT_GIVES_UP = Duration.ofSeconds(40);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One call as a client saw it: status -1 when no answer came. */
    record Call(String kind, String idempotencyKey, String description, long startNanos, long endNanos, int status,
                String body, String retryAfter) {
        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    @Test
    void everyCallAnswersInTimeWhileTheNetworkIsFrozenAndRetriedPostsAreStoredOnce() throws Exception {
        Properties store = TestDatabase.POSTGRES.freshStore();
        try (TcpProxy proxy = TcpProxy.inFrontOf(store);
             CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> settings = ExternalBackends.settings(port, API_KEY, crm, aspa);
            settings.putAll(proxy.storeSettings(store));
            // a claim cut short by the freeze is taken up again soon after the thaw
            settings.put("gateway.forwarding.claim-seconds", "5");
            // and outlasts the slowest batch, as the start checks: 8 at once, each at most 2 x 1 s
            settings.put("gateway.forwarding.batch-size", "8");
            settings.put("gateway.backend.crm.timeout-ms", "1000");
            settings.put("gateway.backend.aspa.timeout-ms", "1000");
            Main gateway = ExternalBackends.start(settings);
            String api = "http://localhost:" + port + "/v1";
            String ready = "http://localhost:" + settings.get("gateway.management-port") + "/observe/health/ready";
            ExecutorService clients = Executors.newFixedThreadPool(6);
            try {
                Call first = post(api, UUID.randomUUID().toString());
                assertThat(first.status()).as(first.body()).isEqualTo(200);
                String readable = requestId(first.body());

                List<Call> calls = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                // when each client's current call started
                AtomicLongArray calling = new AtomicLongArray(6);
                for (int i = 0; i < 4; i++) {
                    int client = i;
                    clients.execute(() -> keepCalling(running, calls, calling, client, () -> post(api, UUID.randomUUID().toString())));
                }
                clients.execute(() -> keepCalling(running, calls, calling, 4, () -> get("read", api + "/requests/" + readable + ".json")));
                clients.execute(() -> keepCalling(running, calls, calling, 5,
                        () -> get("list", api + "/requests.json?service_request_id=" + readable)));
                await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() >= 12);

                proxy.freeze();
                long frozenAt = System.nanoTime();
                // frozen until every call in flight at the freeze has ended (answered, or given up by its
                // client) and new ones have been answered in turn
                await().atMost(Duration.ofSeconds(120)).until(() -> answeredAfter(calls, frozenAt) >= 12
                        && IntStream.range(0, calling.length()).allMatch(client -> calling.get(client) > frozenAt));
                long thawedAt = System.nanoTime();
                proxy.thaw();
                running.set(false);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

                List<Call> all = List.copyOf(calls);
                List<Call> spanningTheFreeze = all.stream().filter(c -> c.startNanos() < frozenAt && c.endNanos() > frozenAt).toList();
                List<Call> duringTheFreeze = all.stream().filter(c -> c.startNanos() >= frozenAt && c.endNanos() <= thawedAt).toList();
                System.out.printf("frozen network: %d calls, %d in flight at the freeze, %d during it, by status %s, longest %d ms%n",
                        all.size(), spanningTheFreeze.size(), duringTheFreeze.size(), byStatus(all),
                        all.stream().mapToLong(c -> c.took().toMillis()).max().orElse(0));
                assertThat(spanningTheFreeze).as("calls in flight when the network froze").isNotEmpty();
                assertThat(duringTheFreeze).as("calls made while it was frozen").isNotEmpty();
                for (Call call : all) {
                    assertThat(call.status()).as("%s answered (%s)", call.kind(), call.body()).isIn(200, 503);
                    assertThat(call.took()).as("%s answered within the bound", call.kind()).isLessThan(GENEROUS_BOUND);
                }
                for (Call call : all.stream().filter(c -> c.status() == 503).toList()) {
                    assertUnavailable(call);
                }
                assertThat(duringTheFreeze).as("nothing is served from a frozen store").allMatch(c -> c.status() == 503);

                // the gateway recovers by itself
                await().atMost(Duration.ofSeconds(60)).until(() -> get("ready", ready).status() == 200);
                assertThat(get("read", api + "/requests/" + readable + ".json").status()).isEqualTo(200);

                // every post is retried as a client would until it has an answer: each is stored exactly once
                Map<String, List<String>> beforeRetries = storedRequests(store);
                System.out.printf("frozen network: %d of %d posts answered 503 had been stored all the same%n",
                        all.stream().filter(c -> c.kind().equals("post") && c.status() == 503
                                && beforeRetries.containsKey(c.description())).count(),
                        all.stream().filter(c -> c.kind().equals("post") && c.status() == 503).count());
                Map<String, String> storedIds = new LinkedHashMap<>();
                storedIds.put(first.description(), requestId(first.body()));
                for (Call call : all.stream().filter(c -> c.kind().equals("post")).toList()) {
                    Call answered = call.status() == 200 ? call
                            : await().atMost(Duration.ofSeconds(30)).until(() -> post(api, call.idempotencyKey()), c -> c.status() == 200);
                    storedIds.put(call.description(), requestId(answered.body()));
                }
                Map<String, List<String>> stored = storedRequests(store);
                assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(storedIds.keySet());
                storedIds.forEach((description, id) ->
                        assertThat(stored.get(description)).as("rows of one post").containsExactly(id));

                // the background routes did not hang either: each stored request reaches the CRM
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        storedIds.values().stream().allMatch(id -> crm.caseByReference(id).isPresent()));
            } finally {
                clients.shutdownNow();
                proxy.thaw();
                gateway.stop();
            }
        }
    }

    private static void keepCalling(AtomicBoolean running, List<Call> calls, AtomicLongArray calling, int client, CallMaker call) {
        while (running.get()) {
            calling.set(client, System.nanoTime());
            calls.add(call.make());
        }
    }

    @FunctionalInterface
    private interface CallMaker {
        Call make();
    }

    private static long answeredAfter(List<Call> calls, long frozenAt) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startNanos() > frozenAt).count();
        }
    }

    /** A post of its own content (the description names its key), sent with its Idempotency-Key. */
    private static Call post(String api, String idempotencyKey) {
        String description = "Posted while the network froze " + idempotencyKey;
        String form = "api_key=" + API_KEY + "&service_code=191&lat=60.17&long=24.94&description="
                + URLEncoder.encode(description, StandardCharsets.UTF_8);
        return call("post", idempotencyKey, description, HttpRequest.newBuilder(URI.create(api + "/requests.json"))
                .timeout(CLIENT_GIVES_UP)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static Call get(String kind, String url) {
        return call(kind, null, null, HttpRequest.newBuilder(URI.create(url)).timeout(CLIENT_GIVES_UP).build());
    }

    private static Call call(String kind, String idempotencyKey, String description, HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Call(kind, idempotencyKey, description, start, System.nanoTime(), answer.statusCode(), answer.body(),
                    answer.headers().firstValue("Retry-After").orElse(null));
        } catch (Exception e) {
            return new Call(kind, idempotencyKey, description, start, System.nanoTime(), -1, "no answer: " + e, null);
        }
    }

    /** A 503 in the spec's error shape with Retry-After: the client knows to try again, no internals leak. */
    private static void assertUnavailable(Call call) throws Exception {
        JsonNode errors = JSON.readTree(call.body());
        assertThat(errors.get(0).path("code").asInt()).isEqualTo(503);
        assertThat(errors.get(0).path("description").asText()).contains("temporarily unavailable");
        assertThat(call.body()).doesNotContain("Exception", "org.", "jdbc", "postgres");
        assertThat(call.retryAfter()).as("Retry-After").isNotBlank();
    }

    private static String requestId(String body) throws Exception {
        return JSON.readTree(body).get(0).path("service_request_id").asText();
    }

    private static Map<String, Long> byStatus(List<Call> calls) {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach(c -> counts.merge(c.kind() + " " + c.status(), 1L, Long::sum));
        return counts;
    }

    /** Description -> ids of the rows holding it. */
    private static Map<String, List<String>> storedRequests(Properties store) throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (var connection = DriverManager.getConnection(store.getProperty("gateway.db.url"),
                store.getProperty("gateway.db.user"), "");
             var statement = connection.createStatement();
             var found = statement.executeQuery("SELECT description, id FROM " + store.getProperty("gateway.db.schema")
                     + ".service_request")) {
            while (found.next()) {
                rows.computeIfAbsent(found.getString(1), k -> new ArrayList<>()).add(found.getString(2));
            }
        }
        return rows;
    }
}

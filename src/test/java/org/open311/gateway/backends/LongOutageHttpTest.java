package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.store.DeadLetters;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CRM is down far longer than a request's whole retry budget (3 attempts, 100 ms then 200 ms apart:
 * dead within a second if every try counted), and comes back: the sends the open circuit skipped are
 * not attempts, the half-open circuit's failed trial calls make no dead letter while the CRM is down,
 * so every request waits, none is a dead letter, and each reaches the CRM exactly once.
 */
abstract class LongOutageHttpTest extends GatewayTestSupport {

    private static final String KEY = "outage-key";
    private static final int MAX_ATTEMPTS = 3;
    /** Eight times the circuit's 1 s wait, 25 times the retry budget. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Failed PUTs the CRM's circuit breaker really let through, by request id. */
    private final Map<String, Integer> failedPuts = new ConcurrentHashMap<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", String.valueOf(MAX_ATTEMPTS));
        // the feed shares the breaker: kept out of the way, so the half-open circuit's trial calls are PUTs
        settings.put("gateway.sync.interval-ms", "600000");
        settings.put("gateway.circuit.minimum-calls", "2");
        settings.put("gateway.circuit.open-seconds", "1");
        settings.put("gateway.backend.crm.timeout-ms", "1000");
        return settings;
    }

    @Test
    void requestsOutliveAnOutageLongerThanTheirRetryBudgetAndEachArrivesOnceAfterIt() throws Exception {
        countFailedPuts();
        crmFaults("down");
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                ids.add(post());
            }
            await().atMost(WAIT).until(() -> breaker().getState() == CircuitBreaker.State.OPEN);
            // the whole outage long nothing is given up, not even a request whose real calls (the half-open
            // circuit's failed trials) outnumber its attempts
            ConditionFactory outage = await().failFast("a request became a dead letter during the outage",
                    () -> forwardStates(ids).contains("DEAD"));
            outage.during(OUTAGE).atMost(OUTAGE.plus(WAIT)).until(() -> crmCases(ids).isEmpty());
            outage.atMost(WAIT).until(() -> failedPuts.values().stream().anyMatch(calls -> calls > MAX_ATTEMPTS));
            assertThat(forwardStates(ids)).containsOnly("PENDING");
        } finally {
            crmFaults("none");
        }

        await().atMost(WAIT).until(() -> forwardStates(ids).stream().allMatch("SENT"::equals) && sentRows(ids) == ids.size());
        assertThat(crmCases(ids)).extracting(c -> c.path("put_count").asInt()).containsExactly(1, 1, 1, 1);
        assertThat(deadLetters()).isEmpty();
        // the failed attempts recorded are exactly the calls the breaker let through to the CRM: no skip among them
        List<String> failed = strings("SELECT request_id || ' ' || outcome || ' ' || detail FROM forward_attempt"
                + " WHERE backend = 'crm' AND outcome <> 'SENT'").stream().filter(row -> ids.contains(row.split(" ")[0])).toList();
        assertThat(failed).allMatch(row -> row.endsWith(" RETRY HTTP 503"));
        for (String id : ids) {
            assertThat(failed.stream().filter(row -> row.startsWith(id + " ")).count()).as(id)
                    .isEqualTo((long) failedPuts.getOrDefault(id, 0));
        }
        System.out.println("Long outage: failed PUTs the breaker let through, by request: " + failedPuts);
    }

    @Test
    void aRequestUndeliveredForLongerThanTheGiveUpTimeIsADeadLetterWithThatCauseUntilAnOperatorRetriesIt() throws Exception {
        crmFaults("down");
        String id;
        try {
            id = post();
            String posted = id;
            await().atMost(WAIT).until(() -> !strings("SELECT request_id FROM forward_task WHERE request_id = ? AND backend = 'crm' AND failing_since IS NOT NULL",
                    posted).isEmpty());
            // as if its sends had been failing or skipped for 73 hours (the default limit is 72)
            try (Connection connection = store().getConnection();
                 PreparedStatement backdate = connection.prepareStatement("UPDATE forward_task SET failing_since = ? WHERE request_id = ? AND backend = 'crm'")) {
                backdate.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusHours(73));
                backdate.setString(2, id);
                assertThat(backdate.executeUpdate()).isEqualTo(1);
            }
            await().atMost(WAIT).until(() -> forwardStates(List.of(posted)).equals(List.of("DEAD")));
            DeadLetters.DeadLetter dead = new DeadLetters(store()).list().stream()
                    .filter(letter -> letter.requestId().equals(posted)).findFirst().orElseThrow();
            assertThat(dead.lastError()).startsWith("back end unavailable for longer than 72 h (last: ");
        } finally {
            crmFaults("none");
        }

        assertThat(new DeadLetters(store()).retry(id)).isEqualTo(1);
        String retried = id;
        await().atMost(WAIT).until(() -> forwardStates(List.of(retried)).equals(List.of("SENT")));
        assertThat(crmCases(List.of(id))).extracting(c -> c.path("put_count").asInt()).containsExactly(1);
    }

    /** Every failed call the CRM's breaker recorded, if it was the PUT of a request. */
    private void countFailedPuts() {
        breaker().getEventPublisher().onError(event -> {
            for (Throwable cause = event.getThrowable(); cause != null; cause = cause.getCause()) {
                if (cause instanceof HttpOperationFailedException http && http.getUri().contains("/cases/")) {
                    failedPuts.merge(http.getUri().substring(http.getUri().lastIndexOf('/') + 1), 1, Integer::sum);
                    return;
                }
            }
        });
    }

    private String post() {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", "191",
                "description", "Roska-astia on kaatunut", "lat", "60.17", "long", "24.94");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    /** Breaks or heals the CRM simulator through its operator endpoint, as a test harness outside would. */
    private void crmFaults(String mode) {
        HttpAnswer answer = send(HttpRequest.newBuilder(crmOperator("/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"" + mode + "\"}")).build());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    /** The CRM's cases of these requests, as its operator endpoint lists them (with put_count). */
    private List<JsonNode> crmCases(List<String> ids) {
        List<JsonNode> cases = new ArrayList<>();
        for (JsonNode crmCase : send(HttpRequest.newBuilder(crmOperator("/cases")).build()).json()) {
            if (ids.contains(crmCase.path("reference").asText())) {
                cases.add(crmCase);
            }
        }
        return cases;
    }

    private URI crmOperator(String path) {
        return URI.create(context.resolvePropertyPlaceholders("{{gateway.backend.crm.url}}") + "/operator" + path);
    }

    private CircuitBreaker breaker() {
        return context.getRegistry().lookupByNameAndType("crmCircuitBreaker", CircuitBreaker.class);
    }

    private List<String> forwardStates(List<String> ids) throws Exception {
        List<String> states = new ArrayList<>();
        for (String id : ids) {
            states.addAll(strings("SELECT state FROM forward_task WHERE request_id = ? AND backend = 'crm'", id));
        }
        return states;
    }

    private long sentRows(List<String> ids) throws Exception {
        return strings("SELECT request_id FROM forward_attempt WHERE backend = 'crm' AND outcome = 'SENT'").stream()
                .filter(ids::contains).count();
    }

    private List<String> deadLetters() throws Exception {
        return strings("SELECT DISTINCT request_id FROM forward_task WHERE state = 'DEAD'");
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    private List<String> strings(String sql, String... parameters) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        }
    }
}

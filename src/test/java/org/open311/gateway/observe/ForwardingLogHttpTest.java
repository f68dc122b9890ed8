package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.backends.ForwardingLog;
import org.open311.gateway.simulator.CrmSimulator;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads while forwarding runs. The CRM refuses the gateway's credentials (its simulator's
 * {@code refuse-credentials} fault): the log, the health check and a gauge name that, requests wait
 * instead of becoming dead letters, and all are delivered once it accepts them again. Every forwarding
 * line (sent, retry with its cause, dead letter with its cause) carries the request's correlation id and
 * id in the MDC, and no line carries the resident's contact data.
 */
class ForwardingLogHttpTest extends GatewayTestSupport {

    private static final String EMAIL = "maija.meikalainen@example.org";
    private static final String FIRST_NAME = "Maija";
    private static final String LAST_NAME = "Meikäläinen";
    private static final String PHONE = "+358401234567";

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final List<String> loggers = List.of(ForwardingLog.class.getName(), CredentialRefusals.class.getName(),
            "org.open311.gateway.background");

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.sync.interval-ms", "200");
        settings.put("gateway.circuit.minimum-calls", "100");
        settings.put("gateway.metrics.store-refresh-ms", "100");
        return settings;
    }

    @BeforeAll
    void captureTheLog() {
        lines.start();
        loggers.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(lines));
    }

    @AfterAll
    void releaseTheLog() {
        loggers.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(lines));
    }

    @Test
    void refusedCredentialsAreNamedAndEveryForwardingLineIsTiedToItsRequest() throws Exception {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        crm.faults("refuse-credentials", 0);
        String waiting = post("forwarding-log-0001");

        // more failed sends than max-attempts, and still no dead letter: the credential is at fault, not the request
        await().atMost(Duration.ofSeconds(30)).until(() -> task(waiting).attempts() >= 3);
        assertThat(task(waiting).state()).isEqualTo("PENDING");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode check = crmHealth();
            assertThat(check.path("status").asText()).isEqualTo("DOWN");
            assertThat(check.path("message").asText()).contains("credentials refused (HTTP 401)").doesNotContain("circuit");
            assertThat(check.path("data").path("credentials").asText()).isEqualTo("credentials refused (HTTP 401)");
            assertThat(PrometheusText.scrape(managementPort()).sum("open311_backend_credentials_refused", "backend", "crm"))
                    .isEqualTo(1);
        });
        List<ILoggingEvent> refusals = captured().stream().filter(e -> e.getLoggerName().equals(CredentialRefusals.class.getName())).toList();
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0).getLevel()).isEqualTo(Level.ERROR);
        assertThat(refusals.get(0).getFormattedMessage()).startsWith("crm refuses the gateway's credentials (HTTP 401");
        ILoggingEvent retry = forwardingLines(waiting).stream().filter(e -> e.getLevel() == Level.WARN).findFirst().orElseThrow();
        assertThat(retry.getFormattedMessage()).contains("to crm failed (attempt 1): HTTP 401, credentials refused; it will be sent again");

        crm.faults("none", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> crm.caseByReference(waiting).isPresent());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(crmHealth().path("data").path("credentials").asText()).isEqualTo("accepted");
            assertThat(PrometheusText.scrape(managementPort()).sum("open311_backend_credentials_refused", "backend", "crm")).isZero();
        });
        assertThat(captured()).anyMatch(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().startsWith("crm accepts the gateway's credentials again"));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwardingLines(waiting).stream()
                .anyMatch(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().startsWith("Sent request " + waiting + " to crm")));

        // a request the CRM fails with 500 until its last attempt: a dead letter, with its cause
        crm.faults("error", 0);
        String dead = post("forwarding-log-0002");
        await().atMost(Duration.ofSeconds(30)).until(() -> task(dead).state().equals("DEAD"));
        crm.faults("none", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwardingLines(dead).stream().anyMatch(e -> e.getLevel() == Level.ERROR));
        assertThat(forwardingLines(dead)).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Gave up sending request " + dead + " to crm after attempt 2: HTTP 500; it is a dead letter (dead-letters list)"));
        assertThat(forwardingLines(dead)).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("Sending request " + dead + " to crm failed (attempt 1): HTTP 500; it will be sent again"));

        // every forwarding line of a request carries its correlation id and id
        for (String[] request : new String[][]{{waiting, "forwarding-log-0001"}, {dead, "forwarding-log-0002"}}) {
            assertThat(forwardingLines(request[0])).isNotEmpty().allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                    .containsEntry(CorrelationId.MDC_KEY, request[1]).containsEntry(ForwardingLog.REQUEST_ID_MDC, request[0]));
        }
        assertThat(captured()).isNotEmpty().allSatisfy(line -> assertThat(line.getFormattedMessage() + line.getMDCPropertyMap())
                .doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE, "Roskia"));
    }

    /** A copy of what the appender caught, taken under its lock (background threads append meanwhile). */
    private List<ILoggingEvent> captured() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    private List<ILoggingEvent> forwardingLines(String requestId) {
        return captured().stream().filter(e -> e.getLoggerName().equals(ForwardingLog.class.getName()))
                .filter(e -> requestId.equals(e.getMDCPropertyMap().get(ForwardingLog.REQUEST_ID_MDC))).toList();
    }

    private String post(String correlationId) {
        String form = String.join("&", "api_key=open311-demo-key", "service_code=191", "lat=60.17", "long=24.94",
                "description=" + enc("Roskia joka puolella puistossa"), "email=" + enc(EMAIL), "first_name=" + enc(FIRST_NAME),
                "last_name=" + enc(LAST_NAME), "phone=" + enc(PHONE));
        HttpAnswer posted = send(HttpRequest.newBuilder(uri("/v1/requests.json")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Correlation-Id", correlationId)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Task(String state, int attempts) {
    }

    private Task task(String requestId) throws Exception {
        try (Connection connection = context.getRegistry().lookupByNameAndType("store", DataSource.class).getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT state, attempts FROM forward_task WHERE request_id = ? AND backend = 'crm'")) {
            select.setString(1, requestId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new Task(rows.getString(1), rows.getInt(2)) : new Task("NONE", 0);
            }
        }
    }

    private JsonNode crmHealth() {
        HttpAnswer health = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort()
                + "/observe/health?data=true")).build());
        for (JsonNode check : health.json().path("checks")) {
            if (check.path("name").asText().equals("crm")) {
                return check;
            }
        }
        throw new AssertionError("no crm check: " + health.body());
    }
}

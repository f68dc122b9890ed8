package org.open311.gateway.backends;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.observe.FeedRewinds;
import org.open311.gateway.observe.PrometheusText;
import org.open311.gateway.simulator.CrmSimulator;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CRM is restarted empty (as after a restore from an old backup) while the gateway's cursor is ahead of
 * its new feed. Before, every later change was ignored in silence; now the gateway notices (the feed's
 * newest cursor is behind ours), alerts (log, health, metric) and reads the feed again from its start, so
 * a new request's status changes arrive, and what it had stored stays.
 */
class FeedRewindHttpTest extends GatewayTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.sync.interval-ms", "100");
        return settings;
    }

    @Test
    void aFeedBehindTheStoredCursorIsNoticedAndReadAgainFromItsStart() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger rewinds = (Logger) LoggerFactory.getLogger(FeedRewinds.class);
        rewinds.addAppender(log);
        try {
            CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
            assertThat(PrometheusText.scrape(managementPort()).matching("open311_feed_rewinds_total"))
                    .as("present at 0 from the start, per back end").hasSize(2).allSatisfy(s -> assertThat(s.value()).isZero());

            String before = post();
            await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(before).isPresent());
            String caseId = crm.caseByReference(before).orElseThrow().path("case_id").asText();
            crm.moveState(caseId, "IN_PROCESS");
            crm.moveState(caseId, "PROCESSED");
            await().atMost(Duration.ofSeconds(20)).until(() -> crmCursor().equals("3"));
            assertThat(detailedStatus(before)).startsWith("PROCESSED");

            crm.restartEmpty();
            String after = post();
            await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(after).isPresent());
            crm.moveState(crm.caseByReference(after).orElseThrow().path("case_id").asText(), "IN_PROCESS");

            await().atMost(Duration.ofSeconds(20)).until(() -> detailedStatus(after).startsWith("IN_PROCESS"));
            assertThat(detailedStatus(before)).as("what the CRM lost stays as stored").startsWith("PROCESSED");
            assertThat(crmCursor()).isEqualTo("2");

            assertThat(PrometheusText.scrape(managementPort()).sum("open311_feed_rewinds_total", "backend", "crm")).isEqualTo(1);
            assertThat(PrometheusText.scrape(managementPort()).sum("open311_feed_rewinds_total", "backend", "aspa")).isZero();
            JsonNode health = crmHealth();
            assertThat(health.path("feed_rewound_from").asText()).isEqualTo("3");
            // the empty feed (0), or the new case already in it
            assertThat(health.path("feed_latest_then").asText()).isIn("0", "1", "2");
            List<ILoggingEvent> lines;
            synchronized (log) {
                lines = List.copyOf(log.list);
            }
            assertThat(lines).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.ERROR);
                assertThat(line.getFormattedMessage()).startsWith("crm change feed went backwards: our cursor is 3 but its newest change is ");
            });
        } finally {
            rewinds.detachAppender(log);
        }
    }

    private String post() {
        HttpAnswer posted = send(HttpRequest.newBuilder(uri("/v1/requests.json")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=open311-demo-key&service_code=191&lat=60.17&long=24.94"
                        + "&description=Roskia+joka+puolella+puistossa")).build());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private String crmCursor() throws Exception {
        return single("SELECT position FROM feed_cursor WHERE backend = ?", "crm");
    }

    private String detailedStatus(String id) throws Exception {
        String status = single("SELECT detailed_status FROM service_request WHERE id = ?", id);
        return status == null ? "" : status;
    }

    private String single(String sql, String parameter) throws Exception {
        try (Connection connection = context.getRegistry().lookupByNameAndType("store", DataSource.class).getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private JsonNode crmHealth() {
        HttpAnswer health = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort()
                + "/observe/health?data=true")).build());
        for (JsonNode check : health.json().path("checks")) {
            if (check.path("name").asText().equals("crm")) {
                return check.path("data");
            }
        }
        throw new AssertionError("no crm check: " + health.body());
    }
}

package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.backends.FeedFollower;
import org.open311.gateway.simulator.CrmSimulator;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CRM goes down and comes back while the gateway runs: the metrics show the failed or skipped
 * forwarding, the feed's failed polls, those its open circuit skipped, and the open circuit, and the
 * log gets one WARN and one INFO for the whole outage however many polls failed.
 */
class BackendOutageTest extends GatewayTestSupport {

    private final ListAppender<ILoggingEvent> background = new ListAppender<>();
    private final ListAppender<ILoggingEvent> feeds = new ListAppender<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.sync.interval-ms", "100");
        settings.put("gateway.circuit.minimum-calls", "2");
        settings.put("gateway.circuit.open-seconds", "1");
        return settings;
    }

    @BeforeAll
    void captureBackgroundLog() {
        background.start();
        ((Logger) LoggerFactory.getLogger("org.open311.gateway.background")).addAppender(background);
        feeds.start();
        ((Logger) LoggerFactory.getLogger(FeedFollower.class)).addAppender(feeds);
    }

    @AfterAll
    void releaseBackgroundLog() {
        ((Logger) LoggerFactory.getLogger("org.open311.gateway.background")).detachAppender(background);
        ((Logger) LoggerFactory.getLogger(FeedFollower.class)).detachAppender(feeds);
    }

    @Test
    void anOutageShowsInTheMetricsAndIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        PrometheusText before = PrometheusText.scrape(managementPort());
        crm.faults("error", 0);

        assertThat(postForm("/v1/requests.json", "api_key", "open311-demo-key", "service_code", "191",
                "description", "Roska-astia on täynnä", "lat", "60.17", "long", "24.94").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            // the request's send failed (retry) or, once the feed's failures had opened the circuit, was skipped
            assertThat(now.sum("open311_forwarding_attempts_total", "backend", "crm", "outcome", "retry")
                    - before.sum("open311_forwarding_attempts_total", "backend", "crm", "outcome", "retry")
                    + now.sum("open311_forwarding_skipped_total", "backend", "crm")
                    - before.sum("open311_forwarding_skipped_total", "backend", "crm")).isPositive();
            assertThat(now.sum("open311_feed_poll_failures_total", "backend", "crm")).isPositive();
            assertThat(now.sum("open311_feed_poll_skipped_total", "backend", "crm")).isPositive();
            assertThat(now.sum("open311_backend_up", "backend", "crm")).isZero();
            assertThat(now.sum("open311_outbox_unsent", "backend", "crm")).isEqualTo(1);
        });

        // while the circuit stays open the feed's polls stop before applying anything: nothing read is
        // applied as a change, the outage is not taken for a recovery, the skipped polls go on counting
        // (apart from failed reads: a poll the open circuit skipped read nothing)
        double skippedPolls = PrometheusText.scrape(managementPort()).sum("open311_feed_poll_skipped_total", "backend", "crm");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(() ->
                crmFeedLines().stream().map(ILoggingEvent::getLevel).toList().equals(List.of(Level.WARN))
                        && List.copyOf(feeds.list).stream().noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.WARN)));
        assertThat(PrometheusText.scrape(managementPort()).sum("open311_feed_poll_skipped_total", "backend", "crm"))
                .isGreaterThan(skippedPolls);

        crm.faults("none", 0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            assertThat(now.sum("open311_forwarding_attempts_total", "backend", "crm", "outcome", "sent")).isEqualTo(1);
            assertThat(now.sum("open311_outbox_unsent", "backend", "crm")).isZero();
            assertThat(now.sum("open311_backend_up", "backend", "crm")).isEqualTo(1);
            assertThat(crmFeedLines()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        });
        PrometheusText after = PrometheusText.scrape(managementPort());
        assertThat(after.sum("open311_feed_lag_seconds", "backend", "crm")).isLessThan(10);
    }

    private List<ILoggingEvent> crmFeedLines() {
        return List.copyOf(background.list).stream()
                .filter(line -> line.getLevel().isGreaterOrEqual(Level.INFO))
                .filter(line -> line.getFormattedMessage().contains("crm change feed")).toList();
    }
}

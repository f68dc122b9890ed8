package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.open311.gateway.backends.ShortCircuited;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ObserveUnitsTest {

    @Test
    void aSaneClientCorrelationIdIsKeptAnythingElseReplaced() {
        assertThat(CorrelationId.accept("app-1234:req.77_x")).isEqualTo("app-1234:req.77_x");
        assertThat(CorrelationId.accept(null)).matches("[0-9a-f-]{36}");
        assertThat(CorrelationId.accept("short")).matches("[0-9a-f-]{36}");
        assertThat(CorrelationId.accept("a".repeat(65))).matches("[0-9a-f-]{36}");
        assertThat(CorrelationId.accept("abc12345\n{\"level\":\"ERROR\"}")).matches("[0-9a-f-]{36}");
        assertThat(CorrelationId.accept("matti.meikalainen@example.org")).matches("[0-9a-f-]{36}");
    }

    @Test
    void metricLabelsComeFromTheRouteTemplateNeverTheRawPath() {
        assertThat(EndpointTemplate.of("/v1/requests/:id.:format")).isEqualTo("/v1/requests/{id}.{format}");
        assertThat(EndpointTemplate.of("/v1/services.:format")).isEqualTo("/v1/services.{format}");
        assertThat(EndpointTemplate.of("/*")).isEqualTo("unmatched");
        assertThat(EndpointTemplate.of(null)).isEqualTo("unmatched");
        assertThat(EndpointTemplate.format("/v1/requests.XML")).isEqualTo("xml");
        assertThat(EndpointTemplate.format("/v1/media/abc.jpg")).isEqualTo("other");
        assertThat(EndpointTemplate.method("BREW")).isEqualTo("OTHER");
    }

    @Test
    void theAccessLogKeepsNoQueryAndNoControlCharacters() {
        assertThat(HttpObserver.loggable("/v1/requests/abc\n.json")).isEqualTo("/v1/requests/abc?.json");
        assertThat(HttpObserver.loggable("/" + "a".repeat(500))).hasSize(203);
    }

    @Test
    void logFormatIsJsonInProdTextOtherwiseUnlessAsked() {
        assertThat(LogFormat.choose(null, Map.of())).isEqualTo("text");
        assertThat(LogFormat.choose(null, Map.of("CAMEL_MAIN_PROFILE", "prod"))).isEqualTo("json");
        assertThat(LogFormat.choose(null, Map.of("CAMEL_MAIN_PROFILE", "prod", "GATEWAY_LOG_FORMAT", "text"))).isEqualTo("text");
        assertThat(LogFormat.choose(null, Map.of("GATEWAY_LOG_FORMAT", "JSON"))).isEqualTo("json");
        assertThat(LogFormat.choose("json", Map.of("GATEWAY_LOG_FORMAT", "text"))).isEqualTo("json");
    }

    @Test
    void aFeedOutageIsOneWarningAndItsEndOneInfoWhateverTheNumberOfFailedPolls() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedOutages outages = new FeedOutages(new GatewayMetrics(registry), new CredentialRefusals(Clock.systemUTC()), Clock.systemUTC());
        Logger background = (Logger) LoggerFactory.getLogger("org.open311.gateway.background");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        background.addAppender(lines);
        try {
            for (int poll = 0; poll < 5; poll++) {
                outages.failed(failedPoll("follow-feed-crm", new ConnectException("refused")));
            }
            outages.read("crm");
            outages.read("crm");
            outages.failed(failedPoll("forward-to-crm", new IOException("store")));
        } finally {
            background.detachAppender(lines);
        }
        List<ILoggingEvent> shown = lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        assertThat(shown).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.WARN);
        assertThat(shown.get(0).getFormattedMessage()).contains("crm change feed cannot be read", "ConnectException");
        assertThat(shown.get(1).getFormattedMessage()).contains("crm change feed read again");
        assertThat(shown.get(2).getFormattedMessage()).contains("forward-to-crm failed", "IOException");
        assertThat(PrometheusText.parse(registry.scrape()).sum("open311_feed_poll_failures_total", "backend", "crm")).isEqualTo(5);
        assertThat(outages.failing("crm")).isFalse();
    }

    @Test
    void aFeedPollTheOpenCircuitSkippedIsCountedApartFromFailedReads() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedOutages outages = new FeedOutages(new GatewayMetrics(registry), new CredentialRefusals(Clock.systemUTC()), Clock.systemUTC());

        outages.failed(failedPoll("follow-feed-crm", new ConnectException("refused")));
        outages.failed(failedPoll("follow-feed-crm", new ShortCircuited("crm")));
        outages.failed(failedPoll("follow-feed-crm", new ShortCircuited("crm")));

        PrometheusText metrics = PrometheusText.parse(registry.scrape());
        assertThat(metrics.sum("open311_feed_poll_failures_total", "backend", "crm")).isEqualTo(1);
        assertThat(metrics.sum("open311_feed_poll_skipped_total", "backend", "crm")).isEqualTo(2);
        assertThat(outages.failing("crm")).isTrue();
    }

    private static Exchange failedPoll(String routeId, Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getExchangeExtension().setFromRouteId(routeId);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }

    @Test
    void labelNamesBecomeSnakeCase() {
        assertThat(LabelStyle.snakeCase("routeId")).isEqualTo("route_id");
        assertThat(LabelStyle.snakeCase("camelContext")).isEqualTo("camel_context");
        assertThat(LabelStyle.snakeCase("service_code")).isEqualTo("service_code");
        assertThat(LabelStyle.snakeCase("backend")).isEqualTo("backend");
    }
}

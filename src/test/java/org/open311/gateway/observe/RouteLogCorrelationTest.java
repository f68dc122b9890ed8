package org.open311.gateway.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.requests.RequestIds;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's own log line carries the correlation id of the request it handles: with the store gone,
 * the failure the responder logs is tied to the answer the client got by the id in its header.
 */
class RouteLogCorrelationTest extends GatewayTestSupport {

    @Test
    void theRoutesLogLineCarriesTheRequestsCorrelationId() {
        Logger responder = (Logger) LoggerFactory.getLogger(ApiResponder.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        responder.addAppender(lines);
        try {
            context.getRegistry().lookupByNameAndType("store", HikariDataSource.class).close();
            HttpAnswer failed = get("/v1/requests/" + RequestIds.next() + ".json", "X-Correlation-Id", "route-log-0001");

            assertThat(failed.status()).isIn(500, 503);
            assertThat(failed.json().get(0).path("code").asInt()).isEqualTo(failed.status());
            assertThat(failed.body()).doesNotContain("Exception", "Hikari", "org.");
            assertThat(failed.raw().headers().firstValue("X-Correlation-Id")).contains("route-log-0001");
            assertThat(lines.list).isNotEmpty().allSatisfy(line ->
                    assertThat(line.getMDCPropertyMap()).containsEntry(CorrelationId.MDC_KEY, "route-log-0001"));
        } finally {
            responder.detachAppender(lines);
        }
    }
}

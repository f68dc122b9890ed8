package org.open311.gateway.backends;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How camel-resilience4j (the version on the classpath) calls a route's {@code onFallback}, and that
 * {@link CircuitFallback} tells a call the breaker refused from one that failed. A skip read as a failure
 * made every request of a long outage a dead letter; this pins the behaviour it relies on.
 */
class CircuitFallbackTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final AtomicInteger calls = new AtomicInteger();
    private final CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
            .minimumNumberOfCalls(100).permittedNumberOfCallsInHalfOpenState(1).build());

    @BeforeEach
    void start() throws Exception {
        camel.getRegistry().bind("testBreaker", breaker);
        // a lambda, not a RouteBuilder subclass: Camel Main in the HTTP tests would pick that up from the classpath
        RouteBuilder.addRoutes(camel, routes -> routes.from("direct:call")
                .circuitBreaker().resilience4jConfiguration().circuitBreaker("testBreaker").end()
                    .process(exchange -> {
                        calls.incrementAndGet();
                        throw new IllegalStateException("back end failed");
                    })
                .onFallback()
                    .process(exchange -> {
                        exchange.setProperty("cause", CircuitFallback.cause(exchange, "crm"));
                        exchange.setProperty("down", CircuitFallback.backendDown(exchange));
                        // what Camel documents for this, and why it cannot be used: short-circuited is true
                        // for a failed call too, rejected is never set when there is a fallback
                        exchange.setProperty("shortCircuitedAsCamelSays",
                                exchange.getProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SHORT_CIRCUITED));
                        exchange.setProperty("rejectedAsCamelSays",
                                exchange.getProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_REJECTED));
                    })
                .end());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Exchange call() {
        return camel.createProducerTemplate().send("direct:call", exchange -> { });
    }

    @Test
    void aCallThatRanAndFailedHandsItsOwnExceptionToTheFallback() {
        Exchange exchange = call();

        assertThat(calls).hasValue(1);
        assertThat(exchange.getProperty("cause")).isInstanceOf(IllegalStateException.class);
        assertThat(exchange.getProperty("down")).isEqualTo(false);
        assertThat(exchange.getProperty("shortCircuitedAsCamelSays")).isEqualTo(true);
    }

    @Test
    void aCallTheOpenCircuitRefusedIsShortCircuitedAndNeverRan() {
        breaker.transitionToOpenState();

        Exchange exchange = call();

        assertThat(calls).hasValue(0);
        assertThat(exchange.getProperty("cause")).isInstanceOf(ShortCircuited.class);
        assertThat(exchange.getProperty("down")).isEqualTo(true);
        assertThat(exchange.getProperty("shortCircuitedAsCamelSays")).isEqualTo(true);
        assertThat(exchange.getProperty("rejectedAsCamelSays")).isNull();
        breaker.transitionToForcedOpenState();
        assertThat(call().getProperty("cause")).isInstanceOf(ShortCircuited.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void theHalfOpenCircuitsTrialCallFailingIsARealFailureWithTheBackEndDown() {
        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();

        Exchange exchange = call();

        assertThat(calls).hasValue(1);
        assertThat(exchange.getProperty("cause")).isInstanceOf(IllegalStateException.class);
        assertThat(exchange.getProperty("down")).isEqualTo(true);
        assertThat(call().getProperty("cause")).isInstanceOf(ShortCircuited.class);
        assertThat(calls).hasValue(1);
    }
}

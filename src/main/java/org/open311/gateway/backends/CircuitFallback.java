package org.open311.gateway.backends;

import org.apache.camel.Exchange;

import java.util.Set;

/**
 * Why a circuit breaker's {@code onFallback} runs: the call failed, or the breaker refused it. In
 * camel-resilience4j 4.18 a route with a fallback cannot tell from the properties Camel documents for
 * this: {@code CamelCircuitBreakerResponseShortCircuited} is true for every fallback (a failed call
 * too), {@code ...Rejected} is only set without a fallback, and resilience4j's
 * {@code CallNotPermittedException} is not handed to the fallback. What it does hand over is the
 * exchange's own exception, as {@link Exchange#EXCEPTION_CAUGHT}: set when the steps inside ran and
 * failed, absent when they never ran. (A time limiter would also leave it absent on a timeout; none is
 * configured, and the breaker's state, which is never CLOSED when it refuses a call, is checked too.)
 */
final class CircuitFallback {

    private static final Set<String> REFUSING = Set.of("OPEN", "HALF_OPEN", "FORCED_OPEN");

    private CircuitFallback() {
    }

    /** Why the call did not succeed: its failure, a {@link ShortCircuited} if it was not made, or null if unknown. */
    static Throwable cause(Exchange exchange, String backend) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null && backendDown(exchange)) {
            return new ShortCircuited(backend);
        }
        return failure;
    }

    /**
     * Whether the breaker, once this call's outcome was counted, lets no ordinary calls through: its circuit
     * is open or half-open (so the back end is failing as a whole, not only this call).
     */
    static boolean backendDown(Exchange exchange) {
        // absent when no breaker ran (a request that could not be mapped never reached it)
        String state = exchange.getProperty(Exchange.CIRCUIT_BREAKER_STATE, String.class);
        return state != null && REFUSING.contains(state);
    }
}

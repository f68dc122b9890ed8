package org.open311.gateway.backends;

/**
 * A call the back end's circuit breaker did not let through (its circuit open, or its half-open trial
 * call already taken): nothing was sent, so it is no attempt and no failure of the back end.
 */
public final class ShortCircuited extends RuntimeException {

    public ShortCircuited(String backend) {
        super(backend + " not called: its circuit is open", null, false, false);
    }
}

package org.open311.gateway.observe;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which back ends refuse the gateway's own credentials (HTTP 401 or 403 on a send or a feed read): a
 * configuration problem for operators, named as such in the log (one ERROR when it starts, one INFO when
 * the back end accepts them again), in the back end's health check and in the gauge
 * {@code open311_backend_credentials_refused}, instead of hiding behind its open circuit.
 */
public final class CredentialRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialRefusals.class);

    /** The calls a refusal is about: sends and feed reads may use different credentials (an Open311 server reads without). */
    public static final String SEND = "a send";
    public static final String FEED = "its change feed";

    /** Since when, the status of the last refusal, and the kind of call refused ({@link #SEND} or {@link #FEED}). */
    public record Refusal(int status, Instant since, String what) {
        /** As health shows it: {@code credentials refused (HTTP 401)}. */
        public String describe() {
            return "credentials refused (HTTP " + status + ")";
        }
    }

    private final Clock clock;
    private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

    public CredentialRefusals(Clock clock) {
        this.clock = clock;
    }

    /** The 401 or 403 a failed call got, if that is why it failed (the cause chain is searched). */
    public static OptionalInt refusalStatus(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http
                    && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
                return OptionalInt.of(http.getStatusCode());
            }
        }
        return OptionalInt.empty();
    }

    /** Records a refusal if {@code failure} is one; {@code what}: the call refused (a send, the feed). */
    public void check(String backend, Throwable failure, String what) {
        refusalStatus(failure).ifPresent(status -> refused(backend, status, what));
    }

    public void refused(String backend, int status, String what) {
        Refusal before = refused.putIfAbsent(backend, new Refusal(status, clock.instant(), what));
        if (before == null) {
            LOG.error("{} refuses the gateway's credentials (HTTP {} on {}): check the back end's credential setting"
                    + " (gateway.backend.{}.*, docs/configuration.md#back-ends) and its account; requests are kept and"
                    + " sent again, not made dead letters, until it accepts them", backend, status, what, backend);
        } else if (before.status() != status) {
            refused.put(backend, new Refusal(status, before.since(), before.what()));
        }
    }

    /**
     * A call of this kind the back end answered: the refusal of that kind of call is over. A feed read
     * without credentials does not end a refusal of the sends (that would log it over and over).
     */
    public void accepted(String backend, String what) {
        Refusal before = refused.get(backend);
        if (before != null && before.what().equals(what) && refused.remove(backend, before)) {
            LOG.info("{} accepts the gateway's credentials again after {} s of refusals", backend,
                    Duration.between(before.since(), clock.instant()).toSeconds());
        }
    }

    public Optional<Refusal> current(String backend) {
        return Optional.ofNullable(refused.get(backend));
    }
}

package org.open311.gateway.backends;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.open311.gateway.observe.CredentialRefusals;

import java.time.Duration;

/**
 * What becomes of a request whose send to a back end did not succeed: tried again after a backoff, left
 * waiting for the back end's circuit, or given up as a dead letter (docs/reliability.md).
 * <ul>
 *   <li>A send the circuit skipped ({@link ShortCircuited}) is no attempt: it does not count, does not grow
 *   the backoff, and the request is due again after the circuit's wait.</li>
 *   <li>A refusal (4xx) is a dead letter at once; other failures count as attempts, with exponential backoff,
 *   and the last attempt makes a dead letter, but not while the back end is down as a whole (its circuit
 *   open after the failure, e.g. a half-open trial call that failed): those trial calls would otherwise use
 *   up every waiting request's attempts in a long outage.</li>
 *   <li>A refusal of the gateway's own credentials (401, 403) is no fault of the request: it is retried with
 *   backoff like a back end that is down, and never made a dead letter by its attempts, so fixing the
 *   credential delivers every waiting request (the log and health name the refusal: {@code CredentialRefusals}).</li>
 *   <li>Whatever the circuit, a request still not delivered {@code giveUpAfter} after its first failed or
 *   skipped send is a dead letter.</li>
 * </ul>
 */
final class DeliveryPolicy {

    enum Outcome { RETRY, CIRCUIT_OPEN, DEAD }

    /**
     * The decision: {@code attempted} whether a call was made (only those are counted, recorded and backed
     * off); {@code retryIn} when to try again (null for a dead letter); {@code detail} the cause, never any
     * content of the request.
     */
    record Decision(Outcome outcome, boolean attempted, Duration retryIn, String detail) {
    }

    private final Forwarding.Settings settings;

    DeliveryPolicy(Forwarding.Settings settings) {
        this.settings = settings;
    }

    /**
     * @param attempts    the attempts made before this one
     * @param failure     why the send did not succeed ({@link ShortCircuited} if it was not made; null if unknown)
     * @param backendDown whether the back end's circuit was open (or half-open) after this send
     * @param failingFor  how long the request has been failing or skipped, this send not counted
     */
    Decision afterFailure(int attempts, Throwable failure, boolean backendDown, Duration failingFor) {
        boolean attempted = !(failure instanceof ShortCircuited);
        String detail = describe(failure);
        if (attempted && !retryable(failure)) {
            return new Decision(Outcome.DEAD, true, null, detail);
        }
        if (failingFor.compareTo(settings.giveUpAfter()) >= 0) {
            return new Decision(Outcome.DEAD, attempted, null,
                    "back end unavailable for longer than " + settings.giveUpAfter().toHours() + " h (last: " + detail + ")");
        }
        if (!attempted) {
            return new Decision(Outcome.CIRCUIT_OPEN, false, settings.circuitOpenWait(), detail);
        }
        boolean credentialsRefused = CredentialRefusals.refusalStatus(failure).isPresent();
        if (attempts + 1 >= settings.maxAttempts() && !backendDown && !credentialsRefused) {
            return new Decision(Outcome.DEAD, true, null, detail);
        }
        return new Decision(Outcome.RETRY, true, backoff(attempts + 1), detail);
    }

    Duration backoff(int attempts) {
        Duration delay = settings.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        return delay.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : delay;
    }

    /**
     * A 4xx (but timeout, too-many-requests and a refusal of our credentials) means the back end refuses this
     * request: retrying cannot help.
     */
    static boolean retryable(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            int code = http.getStatusCode();
            return code >= 500 || code == 408 || code == 429 || code == 401 || code == 403;
        }
        return true;
    }

    /** What went wrong, without any content of the exchange (no contact data can leak into the store or logs). */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "no answer";
        }
        if (failure instanceof HttpOperationFailedException http) {
            return "HTTP " + http.getStatusCode();
        }
        if (failure instanceof ShortCircuited) {
            return "circuit open";
        }
        return failure.getClass().getSimpleName();
    }
}

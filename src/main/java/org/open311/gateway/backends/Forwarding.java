package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.open311.gateway.observe.CorrelationId;
import org.open311.gateway.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Store and forward, the steps of the forwarding route template: claims due tasks of a back end from the
 * {@link Outbox}, keeps the request being sent, and records each send's outcome as {@link DeliveryPolicy}
 * decides: sent, retried (exponential backoff with a cap), waiting while the back end's circuit is open
 * (no attempt), or a dead letter.
 */
public final class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    public static final String CLAIM = "open311.claim";
    public static final String REQUEST_ID = "open311.requestId";
    /** The resident update the task sends ('' for the request's own task). */
    public static final String UPDATE_ID = "open311.updateId";
    /** Set by the back end's mapping when it accepted the request: its own id for it. */
    public static final String BACKEND_ID = "open311.backendId";
    static final String FAILURE = "open311.failure";
    /** Whether the back end's circuit was open (or half-open) once the failed call's outcome was counted. */
    static final String BACKEND_DOWN = "open311.backendDown";
    /** Whether the last send was really made (false for one the open circuit skipped). */
    public static final String ATTEMPTED = "open311.attempted";
    /** The forwarded request's correlation id, under the name an API request's has (the send sets X-Correlation-Id from it). */
    public static final String CORRELATION_ID = CorrelationId.PROPERTY;
    public static final String OUTCOME = "open311.outcome";
    private static final String ROW = "open311.row";
    /** The outcomes of one poll's sends not recorded yet. */
    static final String OUTCOMES = "open311.outcomes";
    /**
     * Outcomes are recorded this many at a time: a commit per send was a quarter of forwarding's CPU on H2, and a
     * commit per batch left a whole batch to be sent again after a stop in its middle (H2 closes at once on SIGTERM).
     */
    static final int RECORD_EVERY = 50;

    /** {@code giveUpAfter}: how long a request may go undelivered (failed or skipped sends) before it is a dead letter. */
    public record Settings(int batchSize, Duration claimFor, int maxAttempts, Duration firstRetry,
                           Duration maxRetry, Duration circuitOpenWait, Duration giveUpAfter) {
    }

    private final Settings settings;
    private final DeliveryPolicy policy;
    /** Each back end's policy: its circuit's own open duration is how long a skipped send waits. */
    private final Map<String, DeliveryPolicy> policies = new java.util.HashMap<>();
    private final Outbox outbox;
    private final Clock clock;

    public Forwarding(Settings settings, Outbox outbox, Clock clock) {
        this(settings, List.of(), outbox, clock);
    }

    public Forwarding(Settings settings, List<BackendSpec> specs, Outbox outbox, Clock clock) {
        this.settings = settings;
        this.policy = new DeliveryPolicy(settings);
        for (BackendSpec spec : specs) {
            policies.put(spec.name(), new DeliveryPolicy(new Settings(settings.batchSize(), settings.claimFor(),
                    settings.maxAttempts(), settings.firstRetry(), settings.maxRetry(), spec.circuit().openDuration(),
                    settings.giveUpAfter())));
        }
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Claims up to a batch of the back end's due tasks with a fresh token: the body becomes their requests' rows.
     * Their sends' outcomes are collected for {@link #recordOutcomes} (the split's copies of this exchange share
     * the collection: Camel copies the properties map, not its values).
     */
    public List<Map<String, Object>> claim(Exchange exchange, String backend) throws SQLException {
        String claim = UUID.randomUUID().toString();
        exchange.setProperty(CLAIM, claim);
        exchange.setProperty(OUTCOMES, new ConcurrentLinkedQueue<Outbox.Recorded>());
        OffsetDateTime now = now();
        return outbox.claim(backend, settings.batchSize(), claim, now, now.plus(settings.claimFor()));
    }

    /** Keeps the row being sent aside, so the outcome can be recorded whatever the call leaves in the body. */
    public void begin(Exchange exchange) {
        Map<String, Object> row = Rows.lowerCaseKeys(exchange.getMessage().getBody(Map.class));
        exchange.setProperty(REQUEST_ID, row.get("id"));
        String updateId = row.get("task_update_id") == null ? "" : row.get("task_update_id").toString();
        exchange.setProperty(UPDATE_ID, updateId);
        // the id of the client's POST (of the request, or of the update) goes on to the back end (X-Correlation-Id)
        exchange.setProperty(CORRELATION_ID, updateId.isEmpty() ? row.get("correlation_id") : row.get("update_correlation_id"));
        exchange.removeProperty(BACKEND_ID);
        exchange.removeProperty(FAILURE);
        exchange.removeProperty(BACKEND_DOWN);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.setProperty(ROW, row);
    }

    public static Map<String, Object> rowOf(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getProperty(ROW, Map.class);
        return row;
    }

    /**
     * In the circuit breaker's fallback: keeps why the call failed (the breaker clears the exception after
     * its fallback), a {@link ShortCircuited} when the breaker did not make it, and whether the back end's
     * circuit is open after it (see {@link CircuitFallback}).
     */
    public void failed(Exchange exchange, String backend) {
        exchange.setProperty(FAILURE, CircuitFallback.cause(exchange, backend));
        exchange.setProperty(BACKEND_DOWN, CircuitFallback.backendDown(exchange));
        exchange.getMessage().setBody("");
    }

    /**
     * After the call: the task sent, or what {@link DeliveryPolicy} decides for it; kept with the poll's other
     * outcomes for {@link #recordOutcomes}, or recorded at once by a caller that claimed none.
     */
    public void outcome(Exchange exchange, String backend) throws SQLException {
        Map<String, Object> row = rowOf(exchange);
        OffsetDateTime now = now();
        Outbox.Outcome outcome = decide(exchange, row, now, policies.getOrDefault(backend, policy));
        exchange.setProperty(OUTCOME, outcome.attemptOutcome());
        exchange.setProperty(ATTEMPTED, outcome.attempted());
        Outbox.Recorded recorded = new Outbox.Recorded((String) row.get("id"), exchange.getProperty(UPDATE_ID, "", String.class),
                now, outcome);
        Queue<Outbox.Recorded> poll = outcomes(exchange);
        if (poll == null) {
            warnExpired(backend, outbox.recordAll(backend, exchange.getProperty(CLAIM, String.class), List.of(recorded)));
            return;
        }
        poll.add(recorded);
        if (poll.size() >= RECORD_EVERY) {
            recordOutcomes(exchange, backend);
        }
    }

    /**
     * Records the poll's outcomes not recorded yet (the sending thread that brings them to {@link #RECORD_EVERY}, and
     * the poll once its sends are done), with their attempts and the back ends' ids, in one transaction while the
     * claim holds. If that transaction fails (a deadlock the database broke, a lost connection), each is
     * recorded alone, so one bad outcome does not send the others again when their claim expires.
     */
    public void recordOutcomes(Exchange exchange, String backend) throws SQLException {
        Queue<Outbox.Recorded> poll = outcomes(exchange);
        List<Outbox.Recorded> all = new ArrayList<>();
        // taken one by one: another sending thread may be recording (or adding) at the same moment
        for (Outbox.Recorded recorded = poll == null ? null : poll.poll(); recorded != null; recorded = poll.poll()) {
            all.add(recorded);
        }
        if (all.isEmpty()) {
            return;
        }
        String claim = exchange.getProperty(CLAIM, String.class);
        try {
            warnExpired(backend, outbox.recordAll(backend, claim, all));
        } catch (SQLException e) {
            LOG.warn("Recording {} forwarding outcomes of {} together failed ({}); recording each alone", all.size(), backend,
                    e.getClass().getSimpleName());
            List<String> unrecorded = new ArrayList<>();
            for (Outbox.Recorded recorded : all) {
                try {
                    warnExpired(backend, outbox.recordAll(backend, claim, List.of(recorded)));
                } catch (SQLException alone) {
                    unrecorded.add(recorded.requestId());
                }
            }
            // one line, not one per request: a store closing under a stop fails them all
            if (!unrecorded.isEmpty()) {
                LOG.warn("The outcomes of {} sends to {} could not be recorded; they are sent again when their claims expire: {}",
                        unrecorded.size(), backend, unrecorded);
            }
        }
    }

    private static void warnExpired(String backend, List<Outbox.Recorded> expired) {
        for (Outbox.Recorded recorded : expired) {
            LOG.warn("Forwarding of {} to {}: the claim expired before the outcome ({}) was recorded; the task stays"
                    + " with whichever instance claimed it since", recorded.requestId(), backend, recorded.outcome().attemptOutcome());
        }
    }

    @SuppressWarnings("unchecked")
    private static Queue<Outbox.Recorded> outcomes(Exchange exchange) {
        return exchange.getProperty(OUTCOMES, Queue.class);
    }

    /** The task's new state: sent with the back end's id, or the policy's decision after a failed or skipped send. */
    Outbox.Outcome decide(Exchange exchange, Map<String, Object> row, OffsetDateTime now) {
        return decide(exchange, row, now, policy);
    }

    private Outbox.Outcome decide(Exchange exchange, Map<String, Object> row, OffsetDateTime now, DeliveryPolicy policy) {
        String backendId = exchange.getProperty(BACKEND_ID, String.class);
        if (backendId != null) {
            return new Outbox.Outcome("SENT", true, null, false, null, false, backendId, "SENT", backendId);
        }
        int attempts = ((Number) row.get("task_attempts")).intValue();
        DeliveryPolicy.Decision decision = policy.afterFailure(attempts, exchange.getProperty(FAILURE, Throwable.class),
                exchange.getProperty(BACKEND_DOWN, false, Boolean.class), failingFor(row.get("task_failing_since"), now));
        boolean dead = decision.outcome() == DeliveryPolicy.Outcome.DEAD;
        return new Outbox.Outcome(dead ? "DEAD" : "PENDING", decision.attempted(), decision.detail(),
                // the circuit only made it wait: the last real failure stays the error shown
                decision.outcome() == DeliveryPolicy.Outcome.CIRCUIT_OPEN,
                decision.retryIn() == null ? null : now.plus(decision.retryIn()),
                // the start of the failing run is kept until sent or dead
                !dead, null, decision.outcome().name(), decision.detail());
    }

    /** How long the request's sends have been failing or skipped (the column as H2 or PostgreSQL returns it). */
    static Duration failingFor(Object failingSince, OffsetDateTime now) {
        OffsetDateTime since = failingSince instanceof OffsetDateTime time ? time
                : failingSince instanceof Timestamp timestamp ? timestamp.toInstant().atOffset(ZoneOffset.UTC) : null;
        return since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    }

    public boolean wasAttempted(Exchange exchange) {
        return exchange.getProperty(ATTEMPTED, true, Boolean.class);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.open311.gateway.store.Rows;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Store and forward: claims due requests for a back end, and records each send's outcome as
 * {@link DeliveryPolicy} decides: retries (exponential backoff with a cap), waiting while the back
 * end's circuit is open (no attempt), and dead letters. Every step sets the SQL and only its
 * parameters as headers for camel-jdbc.
 */
public final class Forwarding {

    public static final String CLAIM = "open311.claim";
    /** The ids a poll tried to claim, by their SQL parameter names (id0, id1, …). */
    static final String CLAIMED_IDS = "open311.claimedIds";
    public static final String REQUEST_ID = "open311.requestId";
    public static final String ATTEMPTS = "open311.attempts";
    /** Set by the back end's mapping when it accepted the request: its own id for it. */
    public static final String BACKEND_ID = "open311.backendId";
    static final String FAILURE = "open311.failure";
    /** Whether the back end's circuit was open (or half-open) once the failed call's outcome was counted. */
    static final String BACKEND_DOWN = "open311.backendDown";
    /** Whether the last send was really made (false for one the open circuit skipped). */
    public static final String ATTEMPTED = "open311.attempted";
    public static final String CORRELATION_ID = "open311.correlationId";
    private static final String NOW = "open311.pollTime";

    /** {@code giveUpAfter}: how long a request may go undelivered (failed or skipped sends) before it is a dead letter. */
    public record Settings(int batchSize, Duration claimFor, int maxAttempts, Duration firstRetry,
                           Duration maxRetry, Duration circuitOpenWait, Duration giveUpAfter) {
    }

    private final Settings settings;
    private final DeliveryPolicy policy;
    private final Clock clock;

    public Forwarding(Settings settings, Clock clock) {
        this.settings = settings;
        this.policy = new DeliveryPolicy(settings);
        this.clock = clock;
    }

    /**
     * Selects the ids of up to a batch of due requests, oldest due first; expired claims of crashed instances
     * count as due. The constant forward state leads the ORDER BY so that it matches the due index column for
     * column: only then does H2 read the index in order and stop after the batch (EXPLAIN ANALYZE with 20,000
     * requests waiting: 20 rows read instead of 20,001 read and sorted, 2 ms instead of 305 ms, every poll).
     */
    public void due(Exchange exchange, Backend backend) {
        OffsetDateTime now = now();
        exchange.setProperty(NOW, now);
        sql(exchange.getMessage(), "SELECT id FROM service_request WHERE " + dueCondition(backend)
                        + " ORDER BY " + backend.column("forward") + ", " + backend.column("next_attempt_at") + " LIMIT :?batch",
                Map.of("now", now, "batch", settings.batchSize()));
    }

    /** Whether {@link #due} found any request to claim. */
    public boolean anyDue(Exchange exchange) {
        List<?> rows = exchange.getMessage().getBody(List.class);
        return rows != null && !rows.isEmpty();
    }

    /**
     * Claims the due requests found, with a fresh token, by their ids. The due condition is checked again: of
     * two instances that found the same rows, the one that updates second no longer sees them as due. (One
     * UPDATE with the batch as a subquery did the same in one statement, but PostgreSQL planned it as a
     * nested loop that ran the subquery once per waiting request: 478 ms a poll with 8,400 waiting.)
     */
    public void claim(Exchange exchange, Backend backend) {
        String claim = UUID.randomUUID().toString();
        exchange.setProperty(CLAIM, claim);
        OffsetDateTime now = exchange.getProperty(NOW, OffsetDateTime.class);
        List<?> rows = exchange.getMessage().getBody(List.class);
        Map<String, Object> ids = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            ids.put("id" + i, Rows.lowerCaseKeys((Map<?, ?>) rows.get(i)).get("id"));
        }
        exchange.setProperty(CLAIMED_IDS, ids);
        Map<String, Object> params = new HashMap<>(ids);
        params.putAll(Map.of("claim", claim, "claimUntil", now.plus(settings.claimFor()), "now", now));
        sql(exchange.getMessage(), "UPDATE service_request SET " + backend.column("claim") + " = :?claim, "
                + backend.column("claim_until") + " = :?claimUntil WHERE id IN (" + placeholders(ids) + ") AND "
                + dueCondition(backend), params);
    }

    /** {@code :?id0, :?id1, …} for camel-jdbc to bind from the headers of the same names. */
    private static String placeholders(Map<String, Object> ids) {
        return ids.keySet().stream().map(name -> ":?" + name).collect(Collectors.joining(", "));
    }

    private static String dueCondition(Backend backend) {
        return backend.column("forward") + " = 'PENDING' AND " + backend.column("next_attempt_at") + " <= :?now"
                + " AND (" + backend.column("claim_until") + " IS NULL OR " + backend.column("claim_until") + " < :?now)";
    }

    /**
     * Selects the rows this claim holds (with contact data: the CRM needs it, no answer shows it): those of the
     * ids it tried to claim that carry its token. Read by primary key, so no index on the claim columns has to
     * be written by every INSERT (dropped in V7).
     */
    public void claimed(Exchange exchange, Backend backend) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ids = exchange.getProperty(CLAIMED_IDS, Map.class);
        Map<String, Object> params = new HashMap<>(ids);
        params.put("claim", exchange.getProperty(CLAIM, String.class));
        sql(exchange.getMessage(), "SELECT * FROM service_request WHERE id IN (" + placeholders(ids) + ") AND "
                + backend.column("claim") + " = :?claim", params);
    }

    /** Keeps the row being sent aside, so the outcome can be recorded whatever the call leaves in the body. */
    public void begin(Exchange exchange) {
        Map<String, Object> row = Rows.lowerCaseKeys(exchange.getMessage().getBody(Map.class));
        exchange.setProperty(REQUEST_ID, row.get("id"));
        // the id of the client's POST goes on to the back end (X-Correlation-Id)
        exchange.setProperty(CORRELATION_ID, row.get("correlation_id"));
        exchange.removeProperty(BACKEND_ID);
        exchange.removeProperty(FAILURE);
        exchange.removeProperty(BACKEND_DOWN);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.setProperty("open311.row", row);
    }

    public Map<String, Object> row(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getProperty("open311.row", Map.class);
        return row;
    }

    /**
     * In the circuit breaker's fallback: keeps why the call failed (the breaker clears the exception after
     * its fallback), a {@link ShortCircuited} when the breaker did not make it, and whether the back end's
     * circuit is open after it (see {@link CircuitFallback}).
     */
    public void failed(Exchange exchange, Backend backend) {
        exchange.setProperty(FAILURE, CircuitFallback.cause(exchange, backend));
        exchange.setProperty(BACKEND_DOWN, CircuitFallback.backendDown(exchange));
        exchange.getMessage().setBody("");
    }

    /** After the call: marks the request sent, or records what {@link DeliveryPolicy} decides for it. */
    public void outcome(Exchange exchange, Backend backend) {
        Map<String, Object> row = row(exchange);
        OffsetDateTime now = now();
        Map<String, Object> params = new HashMap<>();
        params.put("id", row.get("id"));
        params.put("claim", exchange.getProperty(CLAIM, String.class));
        params.put("now", now);
        String backendId = exchange.getProperty(BACKEND_ID, String.class);
        String set;
        String outcome;
        String detail;
        boolean attempted = true;
        if (backendId != null) {
            outcome = "SENT";
            detail = backendId;
            params.put("backendId", backendId);
            set = backend.column("forward") + " = 'SENT', " + backend.column("attempts") + " = " + backend.column("attempts")
                    + " + 1, " + backend.column("last_error") + " = NULL, " + idColumn(backend) + " = :?backendId, "
                    + backend.column("failing_since") + " = NULL";
        } else {
            int attempts = ((Number) row.get(backend.column("attempts"))).intValue();
            DeliveryPolicy.Decision decision = policy.afterFailure(attempts, exchange.getProperty(FAILURE, Throwable.class),
                    exchange.getProperty(BACKEND_DOWN, false, Boolean.class), failingFor(row.get(backend.column("failing_since")), now));
            outcome = decision.outcome().name();
            detail = decision.detail();
            attempted = decision.attempted();
            set = afterFailure(backend, decision, params);
        }
        exchange.setProperty("open311.outcome", outcome);
        exchange.setProperty("open311.detail", detail);
        exchange.setProperty(ATTEMPTED, attempted);
        sql(exchange.getMessage(), "UPDATE service_request SET " + set + ", " + backend.column("claim") + " = NULL, "
                + backend.column("claim_until") + " = NULL WHERE id = :?id AND " + backend.column("claim") + " = :?claim", params);
    }

    /**
     * The columns a decision changes: attempts only for a call made, the error unless the circuit only made it
     * wait (the last real failure stays), and the start of the failing run kept until sent or dead.
     */
    private static String afterFailure(Backend backend, DeliveryPolicy.Decision decision, Map<String, Object> params) {
        boolean dead = decision.outcome() == DeliveryPolicy.Outcome.DEAD;
        List<String> set = new ArrayList<>();
        set.add(backend.column("forward") + " = '" + (dead ? "DEAD" : "PENDING") + "'");
        if (decision.attempted()) {
            set.add(backend.column("attempts") + " = " + backend.column("attempts") + " + 1");
        }
        if (decision.outcome() != DeliveryPolicy.Outcome.CIRCUIT_OPEN) {
            params.put("error", decision.detail());
            set.add(backend.column("last_error") + " = :?error");
        }
        if (decision.retryIn() != null) {
            params.put("next", ((OffsetDateTime) params.get("now")).plus(decision.retryIn()));
            set.add(backend.column("next_attempt_at") + " = :?next");
        }
        set.add(backend.column("failing_since") + " = " + (dead ? "NULL" : "COALESCE(" + backend.column("failing_since") + ", :?now)"));
        return String.join(", ", set);
    }

    /** How long the request's sends have been failing or skipped (the column as H2 or PostgreSQL returns it). */
    static Duration failingFor(Object failingSince, OffsetDateTime now) {
        OffsetDateTime since = failingSince instanceof OffsetDateTime time ? time
                : failingSince instanceof Timestamp timestamp ? timestamp.toInstant().atOffset(ZoneOffset.UTC) : null;
        return since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    }

    /** Records the attempt just made, for operators (a send the open circuit skipped is not an attempt). */
    public void recordAttempt(Exchange exchange, Backend backend) {
        String outcome = exchange.getProperty("open311.outcome", String.class);
        sql(exchange.getMessage(), "INSERT INTO forward_attempt (request_id, backend, attempted_at, outcome, detail)"
                        + " VALUES (:?id, :?backend, :?now, :?outcome, :?detail)",
                Map.of("id", exchange.getProperty(REQUEST_ID), "backend", backend.name(), "now", now(),
                        "outcome", outcome, "detail", exchange.getProperty("open311.detail", String.class)));
    }

    public boolean wasAttempted(Exchange exchange) {
        return exchange.getProperty(ATTEMPTED, true, Boolean.class);
    }

    private static String idColumn(Backend backend) {
        return backend == Backend.CRM ? "crm_case_id" : "aspa_work_order_id";
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static void sql(Message message, String sql, Map<String, Object> params) {
        message.getHeaders().clear();
        message.getHeaders().putAll(params);
        message.setBody(sql);
    }
}

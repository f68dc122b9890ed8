package org.open311.gateway.backends;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.open311.gateway.store.Rows;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Store and forward: claims due requests for a back end, and records each attempt's outcome with
 * retries (exponential backoff with a cap), a dead-letter state after the last attempt, and no
 * attempt counted while the back end's circuit is open. Every step sets the SQL and only its
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
    public static final String CORRELATION_ID = "open311.correlationId";
    private static final String NOW = "open311.pollTime";

    public record Settings(int batchSize, Duration claimFor, int maxAttempts, Duration firstRetry,
                           Duration maxRetry, Duration circuitOpenWait) {
    }

    private final Settings settings;
    private final Clock clock;

    public Forwarding(Settings settings, Clock clock) {
        this.settings = settings;
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
        exchange.setProperty("open311.row", row);
    }

    public Map<String, Object> row(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getProperty("open311.row", Map.class);
        return row;
    }

    /**
     * In the circuit breaker's fallback: keeps why the call failed (the breaker clears the exception
     * after its fallback), a {@link CallNotPermittedException} when the circuit is open.
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setProperty(FAILURE, failure == null ? exchange.getException() : failure);
        exchange.getMessage().setBody("");
    }

    /** After the call: marks the request sent, schedules a retry, or gives it up as dead. */
    public void outcome(Exchange exchange, Backend backend) {
        Map<String, Object> row = row(exchange);
        int attempts = ((Number) row.get(backend.column("attempts"))).intValue();
        String backendId = exchange.getProperty(BACKEND_ID, String.class);
        Map<String, Object> params = new HashMap<>();
        params.put("id", row.get("id"));
        params.put("claim", exchange.getProperty(CLAIM, String.class));
        params.put("now", now());
        String set;
        String outcome;
        String detail;
        if (backendId != null) {
            outcome = "SENT";
            detail = backendId;
            params.put("backendId", backendId);
            set = backend.column("forward") + " = 'SENT', " + backend.column("attempts") + " = " + backend.column("attempts")
                    + " + 1, " + backend.column("last_error") + " = NULL, " + idColumn(backend) + " = :?backendId";
        } else {
            Throwable failure = exchange.getProperty(FAILURE, Throwable.class);
            boolean shortCircuited = failure instanceof CallNotPermittedException;
            detail = describe(failure);
            params.put("error", detail);
            if (shortCircuited) {
                outcome = "CIRCUIT_OPEN";
                params.put("next", now().plus(settings.circuitOpenWait()));
                set = backend.column("next_attempt_at") + " = :?next";
            } else {
                boolean last = attempts + 1 >= settings.maxAttempts() || !retryable(failure);
                outcome = last ? "DEAD" : "RETRY";
                params.put("next", now().plus(backoff(attempts + 1)));
                set = backend.column("forward") + " = '" + (last ? "DEAD" : "PENDING") + "', " + backend.column("attempts")
                        + " = " + backend.column("attempts") + " + 1, " + backend.column("next_attempt_at") + " = :?next, "
                        + backend.column("last_error") + " = :?error";
            }
        }
        exchange.setProperty("open311.outcome", outcome);
        exchange.setProperty("open311.detail", detail);
        sql(exchange.getMessage(), "UPDATE service_request SET " + set + ", " + backend.column("claim") + " = NULL, "
                + backend.column("claim_until") + " = NULL WHERE id = :?id AND " + backend.column("claim") + " = :?claim", params);
    }

    /** Records the attempt just made, for operators (a circuit-open skip is not an attempt). */
    public void recordAttempt(Exchange exchange, Backend backend) {
        String outcome = exchange.getProperty("open311.outcome", String.class);
        sql(exchange.getMessage(), "INSERT INTO forward_attempt (request_id, backend, attempted_at, outcome, detail)"
                        + " VALUES (:?id, :?backend, :?now, :?outcome, :?detail)",
                Map.of("id", exchange.getProperty(REQUEST_ID), "backend", backend.name(), "now", now(),
                        "outcome", outcome, "detail", exchange.getProperty("open311.detail", String.class)));
    }

    public boolean wasAttempted(Exchange exchange) {
        return !"CIRCUIT_OPEN".equals(exchange.getProperty("open311.outcome", String.class));
    }

    Duration backoff(int attempts) {
        Duration delay = settings.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        return delay.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : delay;
    }

    /** A 4xx (but timeout and too-many-requests) means the back end refuses this request: retrying cannot help. */
    static boolean retryable(Throwable failure) {
        if (failure instanceof HttpOperationFailedException http) {
            int code = http.getStatusCode();
            return code >= 500 || code == 408 || code == 429;
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
        if (failure instanceof CallNotPermittedException) {
            return "circuit open";
        }
        return failure.getClass().getSimpleName();
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

package org.open311.gateway.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.open311.gateway.observe.CredentialRefusals;
import org.open311.gateway.observe.FeedRewinds;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One back end as the gateway sees it: its circuit, the last successful read of its feed and the age
 * of the oldest request not yet delivered to it. DOWN while it refuses the gateway's credentials (detail
 * {@code credentials: credentials refused (HTTP 401)}, named before the circuit it opens) or its circuit is open. Neither liveness nor
 * readiness: the API keeps answering from the store when a back end is down, so a load balancer must
 * not take the gateway out; the overall health shows the degradation to operators.
 */
public final class BackendHealthCheck extends AbstractHealthCheck {

    private final String backend;
    private final CircuitBreaker circuit;
    private final DataSource store;

    private final CredentialRefusals credentials;
    private final FeedRewinds rewinds;

    public BackendHealthCheck(String backend, CircuitBreaker circuit, DataSource store, CredentialRefusals credentials,
                              FeedRewinds rewinds) {
        super("open311", backend.toLowerCase(Locale.ROOT));
        this.rewinds = rewinds;
        this.backend = backend;
        this.credentials = credentials;
        this.circuit = circuit;
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CircuitBreaker.State state = circuit.getState();
        builder.detail("circuit", state.name());
        builder.detail("failure_rate_percent", circuit.getMetrics().getFailureRate());
        try (Connection connection = store.getConnection()) {
            OffsetDateTime lastSync = single(connection, "SELECT last_success_at FROM feed_cursor WHERE backend = ?", backend);
            builder.detail("last_successful_sync", lastSync == null ? "never" : lastSync.toString());
            OffsetDateTime oldest = single(connection, "SELECT MIN(r.requested_at) FROM forward_task t JOIN service_request r"
                    + " ON r.id = t.request_id WHERE t.backend = ? AND t.state = 'PENDING'", backend);
            builder.detail("oldest_unsent_age_seconds", oldest == null ? 0
                    : Duration.between(oldest, OffsetDateTime.now(ZoneOffset.UTC)).toSeconds());
            builder.detail("dead_letters", count(connection, "SELECT COUNT(*) FROM forward_task WHERE backend = ? AND state = 'DEAD'",
                    backend));
        } catch (Exception e) {
            builder.detail("store", "unreachable: " + e.getClass().getSimpleName());
        }
        rewinds.last(backend).ifPresent(rewind -> {
            // recovered by itself (read again from the start), but an operator must hear the back end lost data
            builder.detail("feed_rewound_at", rewind.at().toString());
            builder.detail("feed_rewound_from", rewind.from());
            builder.detail("feed_latest_then", rewind.latest());
        });
        Optional<CredentialRefusals.Refusal> refused = credentials.current(backend);
        builder.detail("credentials", refused.map(CredentialRefusals.Refusal::describe).orElse("accepted"));
        if (refused.isPresent()) {
            // named before the circuit: an open circuit is only the consequence
            builder.detail("credentials_refused_since", refused.get().since().toString());
            builder.down().message(backend + ": " + refused.get().describe() + " since " + refused.get().since()
                    + ": check its credential setting (gateway.backend." + backend + ".*)");
        } else if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            builder.down().message(backend + " is failing: its circuit is open");
        } else {
            builder.up();
        }
    }

    private static OffsetDateTime single(Connection connection, String sql, String parameter) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1, OffsetDateTime.class) : null;
            }
        }
    }

    private static long count(Connection connection, String sql, String parameter) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

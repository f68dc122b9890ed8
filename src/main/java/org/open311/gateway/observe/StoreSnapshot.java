package org.open311.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The store's view of each back end for the gauges: one short set of queries at most every
 * {@code maxAge}, however often Prometheus (or several) scrape. A failed read keeps the last values.
 */
final class StoreSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSnapshot.class);

    /** One back end's numbers; NaN until the store was read once. */
    record BackendFigures(double unsent, double deadLetters, double oldestUnsentAgeSeconds, double feedLagSeconds) {
        static final BackendFigures UNKNOWN = new BackendFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    record Figures(Map<String, BackendFigures> backends) {
        BackendFigures of(String backend) {
            return backends.getOrDefault(backend, BackendFigures.UNKNOWN);
        }
    }

    private final DataSource store;
    private final Duration maxAge;
    private final Clock clock;
    private final Instant started;
    private final java.util.List<String> backendNames;
    private Figures figures = new Figures(Map.of());
    private Instant readAt;

    StoreSnapshot(DataSource store, java.util.List<String> backendNames, Duration maxAge, Clock clock) {
        this.backendNames = java.util.List.copyOf(backendNames);
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
        this.started = clock.instant();
    }

    synchronized Figures current() {
        Instant now = clock.instant();
        if (readAt == null || Duration.between(readAt, now).compareTo(maxAge) >= 0) {
            readAt = now;
            try {
                figures = read(now);
            } catch (Exception e) {
                LOG.debug("Metrics could not read the store: {}", e.getClass().getSimpleName());
            }
        }
        return figures;
    }

    private Figures read(Instant now) throws Exception {
        Map<String, BackendFigures> read = new java.util.HashMap<>();
        try (Connection connection = store.getConnection()) {
            for (String backend : backendNames) {
                double unsent = 0;
                double oldestAge = 0;
                try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*), MIN(r.requested_at) FROM forward_task t"
                        + " JOIN service_request r ON r.id = t.request_id WHERE t.backend = ? AND t.state = 'PENDING'")) {
                    statement.setString(1, backend);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        unsent = rows.getLong(1);
                        OffsetDateTime oldest = rows.getObject(2, OffsetDateTime.class);
                        oldestAge = oldest == null ? 0 : secondsBetween(oldest.toInstant(), now);
                    }
                }
                double dead;
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT COUNT(*) FROM forward_task WHERE backend = ? AND state = 'DEAD'")) {
                    statement.setString(1, backend);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        dead = rows.getLong(1);
                    }
                }
                read.put(backend, new BackendFigures(unsent, dead, oldestAge, feedLag(connection, backend, now)));
            }
        }
        return new Figures(read);
    }

    /** Since the last successful read of the feed; never read: since this instance started (so an alert still fires). */
    private double feedLag(Connection connection, String backend, Instant now) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT last_success_at FROM feed_cursor WHERE backend = ?")) {
            statement.setString(1, backend);
            try (ResultSet rows = statement.executeQuery()) {
                OffsetDateTime last = rows.next() ? rows.getObject(1, OffsetDateTime.class) : null;
                return secondsBetween(last == null ? started : last.toInstant(), now);
            }
        }
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }
}

package org.open311.gateway.console;

import org.apache.camel.health.HealthCheck;
import org.open311.gateway.catalogue.LiveCatalogue;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the console's overview shows, read at once: each back end's health as the health check words it
 * (its state and why: refused credentials before an open circuit), its backlog and the age of the oldest
 * unsent request, its feed's lag and dead letters, the last failed send; the mappings in service and a
 * refused edit; the last hour's accepted requests and failed sends per minute (the whole store, so every
 * instance's); the instances seen.
 */
public final class Overview {

    /** An instance that beat within this is shown as running (the heartbeat runs every 15 s). */
    static final Duration RUNNING = Duration.ofSeconds(60);

    public record Backend(String name, boolean up, String why, String circuit, String credentials, long backlog,
                          long oldestUnsentSeconds, String lastSync, long feedLagSeconds, long deadLetters, String lastFailure) {
    }

    public record Mappings(String version, String loadedAt, String source, int services, List<String> refusedEdit) {
    }

    public record Snapshot(List<Backend> backends, long deadLetters, Mappings mappings, Chart accepted, Chart failures,
                           List<Instances.Instance> instances) {
    }

    private final DataSource store;
    private final List<String> backends;
    private final Function<String, HealthCheck> healthOf;
    private final LiveCatalogue catalogue;
    private final Instances instances;
    private final Clock clock;

    public Overview(DataSource store, List<String> backends, Function<String, HealthCheck> healthOf, LiveCatalogue catalogue,
                    Instances instances, Clock clock) {
        this.store = store;
        this.backends = List.copyOf(backends);
        this.healthOf = healthOf;
        this.catalogue = catalogue;
        this.instances = instances;
        this.clock = clock;
    }

    public Snapshot read() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<Backend> views = new ArrayList<>();
        try (Connection connection = store.getConnection()) {
            for (String name : backends) {
                views.add(backend(connection, name, now));
            }
            Chart accepted = Chart.perMinute(times(connection, "SELECT requested_at FROM service_request WHERE requested_at > ?",
                    now.minusHours(1)), now);
            Chart failures = Chart.perMinute(times(connection, "SELECT attempted_at FROM forward_attempt WHERE attempted_at > ?"
                    + " AND outcome <> 'SENT'", now.minusHours(1)), now);
            return new Snapshot(views, views.stream().mapToLong(Backend::deadLetters).sum(), mappings(), accepted, failures,
                    instances.seen(RUNNING));
        }
    }

    private Backend backend(Connection connection, String name, OffsetDateTime now) throws SQLException {
        HealthCheck.Result health = healthOf.apply(name).call();
        Map<String, Object> details = health.getDetails();
        boolean up = health.getState() == HealthCheck.State.UP;
        String lastSync = String.valueOf(details.getOrDefault("last_successful_sync", "never"));
        long lag = lastSync.equals("never") ? -1 : Duration.between(OffsetDateTime.parse(lastSync), now).toSeconds();
        return new Backend(name, up, up ? "" : health.getMessage().orElse(""), String.valueOf(details.get("circuit")),
                String.valueOf(details.getOrDefault("credentials", "")),
                count(connection, "SELECT COUNT(*) FROM forward_task WHERE backend = ? AND state = 'PENDING'", name),
                number(details.get("oldest_unsent_age_seconds")), lastSync, lag, number(details.get("dead_letters")),
                lastFailure(connection, name, now.minusHours(1)));
    }

    /** The detail of the backend's last failed send of the last hour (a timeout, an HTTP status), or empty. */
    private static String lastFailure(Connection connection, String backend, OffsetDateTime since) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT outcome, detail, attempted_at FROM forward_attempt"
                + " WHERE backend = ? AND attempted_at > ? AND outcome <> 'SENT' ORDER BY attempted_at DESC, id DESC")) {
            select.setMaxRows(1);
            select.setString(1, backend);
            select.setObject(2, since);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) + ": " + row.getString(2) + " (" + Times.iso(row.getObject(3, OffsetDateTime.class)) + ")" : "";
            }
        }
    }

    private Mappings mappings() {
        var current = catalogue.current();
        return new Mappings(current.version(), Times.iso(current.loadedAt()), catalogue.source().wireName(), current.size(),
                catalogue.refusedEdit().map(LiveCatalogue.Refusal::problems).orElse(List.of()));
    }

    private static List<OffsetDateTime> times(Connection connection, String sql, OffsetDateTime since) throws SQLException {
        List<OffsetDateTime> times = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, since);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    times.add(rows.getObject(1, OffsetDateTime.class));
                }
            }
        }
        return times;
    }

    private static long count(Connection connection, String sql, String backend) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, backend);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}

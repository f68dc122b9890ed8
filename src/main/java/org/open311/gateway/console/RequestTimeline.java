package org.open311.gateway.console;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One request's story for the console: found by its id or its correlation id, then every event in time
 * order (accepted, each forwarding attempt and its outcome, each change clients saw, from which back end)
 * and each back end's task and record now. It reads only columns that hold no contact data: never email,
 * names or phone (the console has no role that may see them, docs/admin.md).
 */
public final class RequestTimeline {

    /** The request as clients see it, without its texts (a description may quote a resident). */
    public record Request(String id, String correlationId, String serviceCode, String status, String detailedStatus,
                          boolean published, String requestedAt, String updatedAt) {
    }

    /** One event: when, what kind ({@code accepted}, {@code attempt}, {@code change}), where, and what came of it. */
    public record Event(String at, String kind, String source, String outcome, String detail, boolean published) {
    }

    /** A back end's task (the outbox) and record (its id and state), as they are now. */
    public record BackendState(String backend, String task, int attempts, String nextAttemptAt, String lastError,
                               String remoteId, String remoteState, Long remoteVersion, String detailedStatus, String modifiedAt) {
    }

    public record Timeline(Request request, List<Event> events, List<BackendState> backends) {
    }

    private final DataSource store;

    public RequestTimeline(DataSource store) {
        this.store = store;
    }

    /** The request whose id, or else whose correlation id (the newest such), is {@code idOrCorrelation}. */
    public Optional<Timeline> find(String idOrCorrelation) throws SQLException {
        String wanted = idOrCorrelation == null ? "" : idOrCorrelation.trim();
        if (wanted.isEmpty() || wanted.length() > 64) {
            return Optional.empty();
        }
        try (Connection connection = store.getConnection()) {
            Optional<Request> request = request(connection, "id = ?", wanted);
            if (request.isEmpty()) {
                request = request(connection, "correlation_id = ?", wanted);
            }
            if (request.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Timeline(request.get(), events(connection, request.get()), backends(connection, request.get().id())));
        }
    }

    private static Optional<Request> request(Connection connection, String where, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, correlation_id, service_code, status,"
                + " detailed_status, published, requested_at, updated_at FROM service_request WHERE " + where
                + " ORDER BY requested_at DESC")) {
            select.setMaxRows(1);
            select.setString(1, value);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Request(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getBoolean(6), Times.iso(row.getObject(7, OffsetDateTime.class)),
                        Times.iso(row.getObject(8, OffsetDateTime.class))));
            }
        }
    }

    private static List<Event> events(Connection connection, Request request) throws SQLException {
        record Timed(OffsetDateTime at, int order, Event event) {
        }
        List<Timed> timed = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT requested_at FROM service_request WHERE id = ?")) {
            select.setString(1, request.id());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                OffsetDateTime at = row.getObject(1, OffsetDateTime.class);
                timed.add(new Timed(at, 0, new Event(Times.iso(at), "accepted", "gateway", request.serviceCode(), "", request.published())));
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT attempted_at, backend, outcome, detail FROM forward_attempt"
                + " WHERE request_id = ? ORDER BY attempted_at, id")) {
            select.setString(1, request.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    OffsetDateTime at = rows.getObject(1, OffsetDateTime.class);
                    timed.add(new Timed(at, 1, new Event(Times.iso(at), "attempt", rows.getString(2), rows.getString(3),
                            nonNull(rows.getString(4)), false)));
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT changed_at, source, status, detailed_status, published"
                + " FROM request_history WHERE request_id = ? ORDER BY changed_at, id")) {
            select.setString(1, request.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    OffsetDateTime at = rows.getObject(1, OffsetDateTime.class);
                    timed.add(new Timed(at, 2, new Event(Times.iso(at), "change", rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getBoolean(5))));
                }
            }
        }
        timed.sort(Comparator.comparing(Timed::at).thenComparing(Timed::order));
        return timed.stream().map(Timed::event).toList();
    }

    private static List<BackendState> backends(Connection connection, String id) throws SQLException {
        List<BackendState> states = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT t.backend, t.state, t.attempts, t.next_attempt_at,"
                + " t.last_error, b.remote_id, b.remote_state, b.remote_version, b.detailed_status, b.modified_at"
                + " FROM forward_task t LEFT JOIN backend_record b ON b.request_id = t.request_id AND b.backend = t.backend"
                + " WHERE t.request_id = ? ORDER BY t.backend")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long read = rows.getLong(8);
                    Long version = rows.wasNull() ? null : read;
                    states.add(new BackendState(rows.getString(1), rows.getString(2), rows.getInt(3),
                            Times.iso(rows.getObject(4, OffsetDateTime.class)), nonNull(rows.getString(5)), nonNull(rows.getString(6)),
                            nonNull(rows.getString(7)), version, nonNull(rows.getString(9)),
                            Times.iso(rows.getObject(10, OffsetDateTime.class))));
                }
            }
        }
        return states;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}

package org.open311.gateway.backends;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The back ends' records of requests (backend_record) and what they make of the request row. Every change
 * from a feed, a push or a resync goes through {@link #apply}: newer than the stored version or nothing,
 * then {@link StatusMerge} over all the request's records, then the row clients read and its history, in
 * one transaction. The request row is locked first, so two back ends' changes to one request (a feed and a
 * push at once) merge one after the other.
 */
public final class BackendRecords {

    private final DataSource store;
    private final Backends backends;
    private final Clock clock;

    public BackendRecords(DataSource store, Backends backends, Clock clock) {
        this.store = store;
        this.backends = backends;
        this.clock = clock;
    }

    /** Applies the change if it is newer than the stored record; false if it changed nothing (old, repeated, unknown request). */
    public boolean apply(BackendSpec spec, RemoteChange change) throws SQLException {
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean applied = apply(connection, spec, change);
                connection.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private boolean apply(Connection connection, BackendSpec spec, RemoteChange change) throws SQLException {
        String id = change.reference();
        Shown current = lock(connection, id);
        if (current == null) {
            return false;
        }
        Long stored = storedVersion(connection, id, spec.name());
        if (stored != null && stored >= change.version()) {
            return false;
        }
        writeRecord(connection, spec, change, stored != null);
        StatusMerge.Merged merged = StatusMerge.merge(current.status(), current.detailedStatus(), parts(connection, id));
        OffsetDateTime now = now();
        updateRequest(connection, id, merged, change, now);
        recordHistory(connection, id, spec.name(), now, residentUpdate(change));
        return true;
    }

    /** What clients see of a request, read under its row lock: status, detailed_status and tasks. */
    record Shown(String status, String detailedStatus, String tasks) {
    }

    /**
     * After a back end accepted a request (its id recorded): merges again, and if clients now see something
     * else (a work order's task appears), writes it with a new updated_at. In the caller's transaction, with
     * the row {@link #lock}ed by it.
     */
    void refresh(Connection connection, String id, Shown current) throws SQLException {
        if (current == null) {
            return;
        }
        StatusMerge.Merged merged = StatusMerge.merge(current.status(), current.detailedStatus(), parts(connection, id));
        if (!merged.status().equals(current.status()) || !merged.detailedStatus().equals(current.detailedStatus())
                || !java.util.Objects.equals(merged.tasks(), current.tasks())) {
            updateRequest(connection, id, merged, null, now());
        }
    }

    /**
     * Locks the request's row until the transaction ends (every writer of a request's records locks it first)
     * and returns what clients see of it; null for an unknown request.
     */
    Shown lock(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, detailed_status, tasks FROM service_request WHERE id = ? FOR UPDATE")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Shown(row.getString(1), row.getString(2), row.getString(3)) : null;
            }
        }
    }

    private static Long storedVersion(Connection connection, String id, String backend) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT remote_version FROM backend_record WHERE request_id = ? AND backend = ?")) {
            select.setString(1, id);
            select.setString(2, backend);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                long version = row.getLong(1);
                return row.wasNull() ? Long.MIN_VALUE : version;
            }
        }
    }

    private static void writeRecord(Connection connection, BackendSpec spec, RemoteChange change, boolean exists) throws SQLException {
        RemoteChange.Task task = change.task();
        String sql = exists
                ? "UPDATE backend_record SET remote_id = ?, remote_state = ?, remote_version = ?, detailed_status = ?,"
                + " owner = ?, created_at = ?, modified_at = ? WHERE request_id = ? AND backend = ?"
                : "INSERT INTO backend_record (remote_id, remote_state, remote_version, detailed_status, owner, created_at,"
                + " modified_at, request_id, backend, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " (SELECT category FROM forward_task WHERE request_id = ? AND backend = ? AND update_id = ''))";
        try (PreparedStatement write = connection.prepareStatement(sql)) {
            int i = 1;
            write.setString(i++, change.remoteId());
            write.setString(i++, change.state());
            write.setLong(i++, change.version());
            write.setString(i++, change.detailedStatus());
            write.setString(i++, task == null ? null : task.owner());
            write.setObject(i++, task == null ? null : task.createdAt());
            write.setObject(i++, task == null ? null : task.modifiedAt());
            write.setString(i++, change.reference());
            write.setString(i++, spec.name());
            if (!exists) {
                write.setString(i++, change.reference());
                write.setString(i, spec.name());
            }
            write.executeUpdate();
        }
    }

    /** The request's records, in the configured order of their back ends (records of back ends no longer configured are left out). */
    List<StatusMerge.Part> parts(Connection connection, String id) throws SQLException {
        List<StatusMerge.Part> parts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT backend, detailed_status, remote_id, category,"
                + " owner, created_at, modified_at FROM backend_record WHERE request_id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String backend = rows.getString(1);
                    backends.find(backend).ifPresent(spec -> {
                        try {
                            parts.add(new StatusMerge.Part(backend, spec.role(), rows.getString(2), rows.getString(3),
                                    rows.getString(4), rows.getString(5), rows.getObject(6, OffsetDateTime.class),
                                    rows.getObject(7, OffsetDateTime.class)));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
        }
        parts.sort(Comparator.comparingInt(part -> backends.order(part.backend())));
        return parts;
    }

    /**
     * What clients see. A deciding back end's change carries the request's notes, agency, expected date,
     * publication and the public texts its staff approved (null: the resident's are shown), and its own time of
     * change; any change moves updated_at, so updated_after finds it.
     */
    private static void updateRequest(Connection connection, String id, StatusMerge.Merged merged, RemoteChange change,
                                      OffsetDateTime now) throws SQLException {
        RemoteChange.CaseFields fields = change == null ? null : change.caseFields();
        String sql = "UPDATE service_request SET status = ?, detailed_status = ?, tasks = ?, updated_at = ?"
                + (fields == null ? "" : ", status_notes = ?, agency_responsible = ?, expected_at = ?, published = ?,"
                        + " public_title = ?, public_description = ?")
                + " WHERE id = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            update.setString(i++, merged.status());
            update.setString(i++, merged.detailedStatus());
            update.setString(i++, merged.tasks());
            update.setObject(i++, fields != null && change.updatedAt() != null ? change.updatedAt() : now);
            if (fields != null) {
                update.setString(i++, fields.statusNotes());
                update.setString(i++, fields.agencyResponsible());
                update.setObject(i++, fields.expectedAt());
                update.setBoolean(i++, fields.published());
                update.setString(i++, fields.publicTitle());
                update.setString(i++, fields.publicDescription());
            }
            update.setString(i, id);
            update.executeUpdate();
        }
    }

    /** The resident's update a change's status notes are the published text of (CRM contract); null: none. */
    private static String residentUpdate(RemoteChange change) {
        return change.caseFields() == null ? null : change.caseFields().notesUpdateId();
    }

    /**
     * Keeps the request's state as clients now see it, as history, saying whether it is an update clients can see
     * over the request's previous row (under the request's row lock, so that row is the previous one for good),
     * and, for the row that first shows a resident's update published as the notes, which update it is (V23).
     */
    private static void recordHistory(Connection connection, String id, String source, OffsetDateTime now,
                                      String residentUpdate) throws SQLException {
        HistoryState state = state(connection, "SELECT status, detailed_status, status_notes, published FROM service_request"
                + " WHERE id = ?", id, null);
        // the row before it in the feed's (changed_at, id) order: the latest not after now (clocks of two instances may differ)
        HistoryState previous = state(connection, "SELECT status, detailed_status, status_notes, published FROM request_history"
                + " WHERE request_id = ? AND changed_at <= ? ORDER BY changed_at DESC, id DESC LIMIT 1", id, now);
        boolean showsChange = state.showsChangeOver(previous);
        String shownUpdate = showsChange && residentUpdate != null && firstShowing(connection, id, residentUpdate) ? residentUpdate : null;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO request_history (request_id, changed_at,"
                + " source, status, detailed_status, status_notes, published, shows_change, resident_update_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setObject(2, now);
            insert.setString(3, source);
            insert.setString(4, state.status());
            insert.setString(5, state.detailedStatus());
            insert.setString(6, state.statusNotes());
            insert.setBoolean(7, state.published());
            insert.setBoolean(8, showsChange);
            insert.setString(9, shownUpdate);
            insert.executeUpdate();
        }
    }

    /** Whether {@code updateId} is a resident's update of the request that no history row shows yet. */
    private static boolean firstShowing(Connection connection, String id, String updateId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM request_update u WHERE u.id = ?"
                + " AND u.request_id = ? AND NOT EXISTS (SELECT 1 FROM request_history h WHERE h.request_id = u.request_id"
                + " AND h.resident_update_id = u.id)")) {
            select.setString(1, updateId);
            select.setString(2, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The one row the SELECT finds (by request id, and a time if given) as a state; null if none. */
    private static HistoryState state(Connection connection, String sql, String id, OffsetDateTime notAfter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, id);
            if (notAfter != null) {
                select.setObject(2, notAfter);
            }
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new HistoryState(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4)) : null;
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

package org.open311.gateway.backends;

import org.open311.gateway.store.Rows;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarding outbox (forward_task): tasks are written with their request (intake, import) or when a
 * back end asks for a further one, claimed by the forwarding polls, and closed with their outcome. A claim
 * is a token with an expiry; an outcome is recorded only while its claim is held, so a send that outlived
 * its claim (another instance may have claimed the task meanwhile) changes nothing.
 */
public final class Outbox {

    /** A task to write: the request goes to this back end, filed under this category (null: the service's routing). */
    public record Task(String backend, String category) {
    }

    /** What became of one send: the task's new state and columns, and the attempt for forward_attempt (null: none made). */
    public record Outcome(String state, boolean attempted, String lastError, boolean keepError, OffsetDateTime nextAttemptAt,
                          boolean failing, String remoteId, String attemptOutcome, String attemptDetail) {
    }

    private final DataSource store;
    private final BackendRecords records;

    public Outbox(DataSource store, BackendRecords records) {
        this.store = store;
        this.records = records;
    }

    /** Writes the tasks of a new request, due now, in the caller's transaction (the request's own). */
    public static void schedule(Connection connection, String requestId, List<Task> tasks, String state,
                                OffsetDateTime now) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO forward_task (request_id, backend, state,"
                + " category, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 0, ?)")) {
            for (Task task : tasks) {
                insert.setString(1, requestId);
                insert.setString(2, task.backend());
                insert.setString(3, state);
                insert.setString(4, task.category());
                insert.setObject(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * A back end asked for a further one (the CRM for public works): the task is written once, whatever
     * the number of times the asking change is read. True if it was new.
     */
    public boolean scheduleFurther(String requestId, Task task, OffsetDateTime now) throws SQLException {
        try (Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO forward_task (request_id, backend, state,"
                     + " category, attempts, next_attempt_at) SELECT id, ?, 'PENDING', ?, 0, ? FROM service_request"
                     + " WHERE id = ? AND NOT EXISTS (SELECT 1 FROM forward_task WHERE request_id = ? AND backend = ? AND update_id = '')")) {
            insert.setString(1, task.backend());
            insert.setString(2, task.category());
            insert.setObject(3, now);
            insert.setString(4, requestId);
            insert.setString(5, requestId);
            insert.setString(6, task.backend());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false; // a twin wrote it first
            }
            throw e;
        }
    }

    /**
     * Claims up to {@code batch} due tasks of the back end (oldest due first; expired claims of crashed
     * instances count as due) and returns their requests' rows, with contact data (the CRM needs it; no
     * answer shows it) and the task's columns as task_*. Due first (a plain indexed read), then the claim of
     * exactly those ids with the due condition checked again: of two instances that found the same tasks, the
     * one that updates second no longer sees them as due.
     */
    public List<Map<String, Object>> claim(String backend, int batch, String claim, OffsetDateTime now,
                                           OffsetDateTime claimUntil) throws SQLException {
        try (Connection connection = store.getConnection()) {
            List<TaskKey> dueTasks = due(connection, backend, batch, now);
            List<String> due = dueTasks.stream().map(TaskKey::requestId).distinct().toList();
            List<String> updates = dueTasks.stream().map(TaskKey::updateId).filter(id -> !id.isEmpty()).toList();
            if (due.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement update = connection.prepareStatement(claimSql(due.size(), updates.size()))) {
                int i = 1;
                update.setString(i++, claim);
                update.setObject(i++, claimUntil);
                update.setString(i++, backend);
                for (String id : due) {
                    update.setString(i++, id);
                }
                for (String id : updates) {
                    update.setString(i++, id);
                }
                update.setObject(i++, now);
                update.setObject(i, now);
                if (update.executeUpdate() == 0) {
                    return List.of();
                }
            }
            return claimed(connection, backend, claim, due);
        }
    }

    /**
     * Due: pending, its time come, and not claimed (or its claim expired); binds now twice. A resident's update
     * waits for its request's own task to the back end to be sent: the back end's record must exist first.
     */
    private static final String DUE = "state = 'PENDING' AND next_attempt_at <= ? AND (claim_until IS NULL OR claim_until < ?)"
            + " AND (update_id = '' OR EXISTS (SELECT 1 FROM forward_task own WHERE own.request_id = forward_task.request_id"
            + " AND own.backend = forward_task.backend AND own.update_id = '' AND own.state = 'SENT'))";

    /**
     * The due tasks' ids, oldest due first: binds backend, now, now, batch. The constants lead the ORDER BY so
     * that it matches the due index column for column: only then does H2 read the index in order and stop
     * after the batch (QueryPlanTest).
     */
    public static String dueSql() {
        return "SELECT request_id, update_id FROM forward_task WHERE backend = ? AND " + DUE
                + " ORDER BY backend, state, next_attempt_at LIMIT ?";
    }

    /** A task's key within a back end's tasks. */
    private record TaskKey(String requestId, String updateId) {
    }

    /**
     * The claim of the due tasks found, by their requests' ids (the primary key's first column), the due condition
     * checked again: binds claim, until, backend, the n request ids, the u update ids, now, now. Exactly the tasks
     * found, so a batch never outgrows gateway.forwarding.batch-size (its sending time is what the claim covers):
     * a request's own task (a request found has no due updates while its own task is not sent) or the updates found.
     */
    public static String claimSql(int n, int u) {
        return "UPDATE forward_task SET claim = ?, claim_until = ? WHERE backend = ? AND request_id IN (" + in(n) + ")"
                + " AND (update_id = ''" + (u == 0 ? "" : " OR update_id IN (" + in(u) + ")") + ") AND " + DUE;
    }

    /**
     * The tasks a claim holds, read by their requests' ids (the primary key's first column): binds backend, the ids,
     * claim. Their requests are read apart ({@link #requestsSql}): as one join, PostgreSQL with the statistics of
     * still-empty tables (a new store, right after a bulk load) scanned every stored request for each task.
     */
    public static String claimedSql(int n) {
        return "SELECT request_id, update_id AS task_update_id, category AS task_category, attempts AS task_attempts,"
                + " failing_since AS task_failing_since, claim_until AS task_claim_until FROM forward_task"
                + " WHERE backend = ? AND request_id IN (" + in(n) + ") AND claim = ? ORDER BY next_attempt_at";
    }

    /** Requests by their ids (primary key): binds the ids. */
    public static String requestsSql(int n) {
        return "SELECT * FROM service_request WHERE id IN (" + in(n) + ")";
    }

    private static String in(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static List<TaskKey> due(Connection connection, String backend, int batch, OffsetDateTime now) throws SQLException {
        List<TaskKey> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(dueSql())) {
            select.setString(1, backend);
            select.setObject(2, now);
            select.setObject(3, now);
            select.setInt(4, batch);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(new TaskKey(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return ids;
    }

    /** Each claimed task's row: its request's columns and the task's as task_*, in due order. */
    private static List<Map<String, Object>> claimed(Connection connection, String backend, String claim, List<String> ids)
            throws SQLException {
        List<Map<String, Object>> tasks = rows(connection, claimedSql(ids.size()), backend, ids, claim);
        if (tasks.isEmpty()) {
            return tasks;
        }
        List<String> requestIds = tasks.stream().map(task -> (String) task.get("request_id")).distinct().toList();
        Map<Object, Map<String, Object>> requests = new HashMap<>();
        for (Map<String, Object> request : rows(connection, requestsSql(requestIds.size()), null, requestIds, null)) {
            requests.put(request.get("id"), request);
        }
        List<Map<String, Object>> claimed = new ArrayList<>(tasks.size());
        for (Map<String, Object> task : tasks) {
            Map<String, Object> row = new HashMap<>(requests.get(task.remove("request_id")));
            row.putAll(task);
            claimed.add(row);
        }
        ResidentUpdates.addUpdates(connection, backend, claimed);
        return claimed;
    }

    /** The rows of a query binding [first,] the ids [, last], with lower-case column names. */
    private static List<Map<String, Object>> rows(Connection connection, String sql, String first, List<String> ids, String last)
            throws SQLException {
        List<Map<String, Object>> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            if (first != null) {
                select.setString(i++, first);
            }
            for (String id : ids) {
                select.setString(i++, id);
            }
            if (last != null) {
                select.setString(i, last);
            }
            try (ResultSet rows = select.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                while (rows.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), rows.getObject(c));
                    }
                    found.add(Rows.lowerCaseKeys(row));
                }
            }
        }
        return found;
    }

    /**
     * Records a send's outcome, the attempt (if one was made) and, when sent, the back end's id for the request,
     * in one transaction; only while the claim is held (false: it expired, and nothing was written).
     */
    public boolean record(String backend, String requestId, String claim, OffsetDateTime now, Outcome outcome) throws SQLException {
        return record(backend, requestId, "", claim, now, outcome);
    }

    /**
     * As {@link #record(String, String, String, OffsetDateTime, Outcome)} for one task of the request: its own
     * ({@code updateId} '') or a resident update's, whose back-end id is not the request's.
     */
    public boolean record(String backend, String requestId, String updateId, String claim, OffsetDateTime now, Outcome outcome)
            throws SQLException {
        return recordAll(backend, claim, List.of(new Recorded(requestId, updateId, now, outcome))).isEmpty();
    }

    /** One send's outcome, recorded with the others of its poll ({@link #recordAll}). */
    public record Recorded(String requestId, String updateId, OffsetDateTime at, Outcome outcome) {
    }

    /**
     * Records the outcomes of one poll's sends, each as {@link #record} does, in one transaction: a commit per
     * send was a quarter of forwarding's CPU (bench/README.md). In request id order, so that two polls (two back
     * ends) lock the requests' rows in the same order. Returns the outcomes whose claim had expired: nothing was
     * written for them (another instance may hold their tasks now).
     */
    public List<Recorded> recordAll(String backend, String claim, List<Recorded> outcomes) throws SQLException {
        List<Recorded> ordered = new ArrayList<>(outcomes);
        ordered.sort(Comparator.comparing(Recorded::requestId).thenComparing(Recorded::updateId));
        List<Recorded> expired = new ArrayList<>();
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Recorded recorded : ordered) {
                    if (!write(connection, backend, claim, recorded)) {
                        expired.add(recorded);
                    }
                }
                connection.commit();
                return expired;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** One outcome in the caller's transaction; false (nothing written for it) if its claim expired. */
    private boolean write(Connection connection, String backend, String claim, Recorded recorded) throws SQLException {
        Outcome outcome = recorded.outcome();
        String requestId = recorded.requestId();
        boolean remoteIdOfRequest = outcome.remoteId() != null && recorded.updateId().isEmpty();
        // the request row first, as BackendRecords.apply locks it: the same order, no deadlock
        BackendRecords.Shown shown = remoteIdOfRequest ? records.lock(connection, requestId) : null;
        if (!closeTask(connection, backend, requestId, recorded.updateId(), claim, recorded.at(), outcome)) {
            return false;
        }
        if (outcome.attempted()) {
            recordAttempt(connection, backend, requestId, recorded.at(), outcome);
        }
        if (remoteIdOfRequest) {
            recordRemoteId(connection, backend, requestId, outcome.remoteId());
            records.refresh(connection, requestId, shown);
        }
        return true;
    }

    private static boolean closeTask(Connection connection, String backend, String requestId, String updateId, String claim,
                                     OffsetDateTime now, Outcome outcome) throws SQLException {
        List<Object> values = new ArrayList<>();
        StringBuilder set = new StringBuilder("state = ?");
        values.add(outcome.state());
        if (outcome.attempted()) {
            set.append(", attempts = attempts + 1");
        }
        if (!outcome.keepError()) {
            set.append(", last_error = ?");
            values.add(outcome.lastError());
        }
        if (outcome.nextAttemptAt() != null) {
            set.append(", next_attempt_at = ?");
            values.add(outcome.nextAttemptAt());
        }
        if (outcome.failing()) {
            set.append(", failing_since = COALESCE(failing_since, ?)");
            values.add(now);
        } else {
            set.append(", failing_since = NULL");
        }
        set.append(", claim = NULL, claim_until = NULL");
        try (PreparedStatement update = connection.prepareStatement("UPDATE forward_task SET " + set
                + " WHERE request_id = ? AND backend = ? AND update_id = ? AND claim = ? AND claim_until > ?")) {
            int i = 1;
            for (Object value : values) {
                update.setObject(i++, value);
            }
            update.setString(i++, requestId);
            update.setString(i++, backend);
            update.setString(i++, updateId);
            update.setString(i++, claim);
            update.setObject(i, now);
            return update.executeUpdate() == 1;
        }
    }

    private static void recordAttempt(Connection connection, String backend, String requestId, OffsetDateTime now,
                                      Outcome outcome) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO forward_attempt (request_id, backend,"
                + " attempted_at, outcome, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, requestId);
            insert.setString(2, backend);
            insert.setObject(3, now);
            insert.setString(4, outcome.attemptOutcome());
            insert.setString(5, outcome.attemptDetail());
            insert.executeUpdate();
        }
    }

    /** The back end's id for the request: a record with it (or the id added to one a feed change wrote first). */
    private static void recordRemoteId(Connection connection, String backend, String requestId, String remoteId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE backend_record SET remote_id = COALESCE(remote_id, ?)"
                + " WHERE request_id = ? AND backend = ?")) {
            update.setString(1, remoteId);
            update.setString(2, requestId);
            update.setString(3, backend);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backend_record (request_id, backend, remote_id,"
                + " category) SELECT request_id, backend, ?, category FROM forward_task WHERE request_id = ? AND backend = ?"
                + " AND update_id = ''")) {
            insert.setString(1, remoteId);
            insert.setString(2, requestId);
            insert.setString(3, backend);
            insert.executeUpdate();
        }
    }
}

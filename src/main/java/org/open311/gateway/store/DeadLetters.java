package org.open311.gateway.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests a back end gave up on: listed for operators, sent again on their word, or dismissed with a
 * reason (kept for audit: who, when, why) when the back end will never accept them.
 */
public final class DeadLetters {

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One dead request for one back end (by its configured name), or a resident's update on it ({@code updateId}, ''
     * for the request itself); never contact data.
     */
    public record DeadLetter(String requestId, String backend, String serviceCode, int attempts, String lastError,
                             OffsetDateTime requestedAt, String updateId) {
        public DeadLetter(String requestId, String backend, String serviceCode, int attempts, String lastError,
                          OffsetDateTime requestedAt) {
            this(requestId, backend, serviceCode, attempts, lastError, requestedAt, "");
        }
    }

    /** A dismissed dead letter, as the audit listing shows it. */
    public record Dismissed(String requestId, String backend, String serviceCode, int attempts, String lastError,
                            OffsetDateTime dismissedAt, String dismissedBy, String reason) {
    }

    /** The longest reason kept (the column's size); a longer one is refused, not cut. */
    public static final int MAX_REASON = 500;
    public static final int MAX_WHO = 100;

    public List<DeadLetter> list() throws SQLException {
        List<DeadLetter> dead = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT r.id, t.backend, r.service_code, t.attempts,"
                     + " t.last_error, r.requested_at, t.update_id FROM forward_task t JOIN service_request r ON r.id = t.request_id"
                     + " WHERE t.state = 'DEAD' ORDER BY r.requested_at, t.backend, t.update_id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                dead.add(new DeadLetter(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getInt(4), rows.getString(5), rows.getObject(6, OffsetDateTime.class), rows.getString(7)));
            }
        }
        return dead;
    }

    /**
     * Makes dead tasks due again with a fresh set of attempts and a fresh give-up time: one request's (every
     * back end where dead, its residents' updates included) or, with a null id, every dead task. Returns how many were revived.
     */
    public int retry(String requestId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE forward_task SET state = 'PENDING', attempts = 0,"
                     + " next_attempt_at = ?, failing_since = NULL, claim = NULL, claim_until = NULL WHERE state = 'DEAD'"
                     + (requestId == null ? "" : " AND request_id = ?"))) {
            update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            if (requestId != null) {
                update.setString(2, requestId);
            }
            return update.executeUpdate();
        }
    }

    /**
     * Dismisses one request's dead letters, its residents' updates' included (for one back end, or with a null
     * {@code backend} every back end where it is dead): they leave the dead-letter list, count and alert, and keep who, when and why.
     * Returns how many were dismissed (0: none dead).
     */
    public int dismiss(String requestId, String backend, String who, String reason) throws SQLException {
        String why = checkedReason(reason);
        if (who == null || who.isBlank() || who.length() > MAX_WHO) {
            throw new IllegalArgumentException("who: 1 to " + MAX_WHO + " characters");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE forward_task SET state = 'DISMISSED',"
                     + " dismissed_at = ?, dismissed_by = ?, dismissed_reason = ?, next_attempt_at = NULL"
                     + " WHERE state = 'DEAD' AND request_id = ?" + (backend == null ? "" : " AND backend = ?"))) {
            update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            update.setString(2, who.strip());
            update.setString(3, why);
            update.setString(4, requestId);
            if (backend != null) {
                update.setString(5, backend);
            }
            return update.executeUpdate();
        }
    }

    /** A reason is required: the audit must say why a request was never delivered. */
    public static String checkedReason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("reason: say why the request is dismissed (it is kept for audit)");
        }
        if (why.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason: at most " + MAX_REASON + " characters");
        }
        return why;
    }

    /** Every dismissed dead letter, the latest dismissal first (the audit listing). */
    public List<Dismissed> dismissed() throws SQLException {
        List<Dismissed> dismissed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT r.id, t.backend, r.service_code, t.attempts,"
                     + " t.last_error, t.dismissed_at, t.dismissed_by, t.dismissed_reason FROM forward_task t"
                     + " JOIN service_request r ON r.id = t.request_id WHERE t.state = 'DISMISSED'"
                     + " ORDER BY t.dismissed_at DESC, r.id, t.backend");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                dismissed.add(new Dismissed(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                        rows.getString(5), rows.getObject(6, OffsetDateTime.class), rows.getString(7), rows.getString(8)));
            }
        }
        return dismissed;
    }
}

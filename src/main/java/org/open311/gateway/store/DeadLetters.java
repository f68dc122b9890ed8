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

/** Requests a back end gave up on: listed for operators, and sent again on their word. */
public final class DeadLetters {

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One dead request for one back end (by its configured name); never contact data. */
    public record DeadLetter(String requestId, String backend, String serviceCode, int attempts, String lastError,
                             OffsetDateTime requestedAt) {
    }

    public List<DeadLetter> list() throws SQLException {
        List<DeadLetter> dead = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT r.id, t.backend, r.service_code, t.attempts,"
                     + " t.last_error, r.requested_at FROM forward_task t JOIN service_request r ON r.id = t.request_id"
                     + " WHERE t.state = 'DEAD' ORDER BY r.requested_at, t.backend");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                dead.add(new DeadLetter(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getInt(4), rows.getString(5), rows.getObject(6, OffsetDateTime.class)));
            }
        }
        return dead;
    }

    /**
     * Makes dead tasks due again with a fresh set of attempts and a fresh give-up time: one request's (every
     * back end where dead) or, with a null id, every dead task. Returns how many were revived.
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
}

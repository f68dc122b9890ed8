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
import java.util.Locale;

/** Requests a back end gave up on: listed for operators, and sent again on their word. */
public final class DeadLetters {

    private static final List<String> BACKENDS = List.of("crm", "aspa");

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One dead request for one back end; never contact data. */
    public record DeadLetter(String requestId, String backend, String serviceCode, int attempts, String lastError,
                             OffsetDateTime requestedAt) {
    }

    public List<DeadLetter> list() throws SQLException {
        List<DeadLetter> dead = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String backend : BACKENDS) {
                try (PreparedStatement select = connection.prepareStatement("SELECT id, service_code, " + backend
                        + "_attempts, " + backend + "_last_error, requested_at FROM service_request WHERE " + backend
                        + "_forward = 'DEAD' ORDER BY requested_at");
                     ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        dead.add(new DeadLetter(rows.getString(1), backend.toUpperCase(Locale.ROOT), rows.getString(2),
                                rows.getInt(3), rows.getString(4), rows.getObject(5, OffsetDateTime.class)));
                    }
                }
            }
        }
        return dead;
    }

    /**
     * Makes dead requests due again with a fresh set of attempts and a fresh give-up time: one request
     * (both back ends where dead) or, with a null id, every dead request. Returns how many were revived.
     */
    public int retry(String requestId) throws SQLException {
        int revived = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (String backend : BACKENDS) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE service_request SET " + backend
                        + "_forward = 'PENDING', " + backend + "_attempts = 0, " + backend + "_next_attempt_at = ?, "
                        + backend + "_failing_since = NULL, "
                        + backend + "_claim = NULL, " + backend + "_claim_until = NULL WHERE " + backend
                        + "_forward = 'DEAD'" + (requestId == null ? "" : " AND id = ?"))) {
                    update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                    if (requestId != null) {
                        update.setString(2, requestId);
                    }
                    revived += update.executeUpdate();
                }
            }
        }
        return revived;
    }
}

package org.open311.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.open311.gateway.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11-V13 move the back ends' columns of service_request into forward_task and backend_record. Proved on a
 * store migrated to V7 (and to V10) with requests in every forwarding state: pending, claimed in flight,
 * sent to both back ends with a work order, dead, imported; then migrated to the latest version.
 */
abstract class OutboxMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    protected abstract TestDatabase database();

    private Properties store;

    @Test
    void aV7StoreWithRequestsInEveryStateKeepsThemAll() throws Exception {
        migrateTo("7");
        populate(false);

        migrateTo(null);

        assertMoved(false);
    }

    @Test
    void aV10StoreKeepsWhenEachFailingRunBegan() throws Exception {
        migrateTo("10");
        populate(true);

        migrateTo(null);

        assertMoved(true);
        assertThat(rows("SELECT request_id, backend, failing_since FROM forward_task WHERE failing_since IS NOT NULL"))
                .containsExactly(List.of("r-dead", "aspa", T.minusHours(5).toInstant().toString()));
    }

    private void assertMoved(boolean v10) throws Exception {
        assertThat(rows("SELECT request_id, backend, state, category, attempts, last_error, claim FROM forward_task"
                + " ORDER BY request_id, backend")).containsExactly(
                List.of("r-claimed", "crm", "PENDING", "null", "1", "HTTP 503", "claim-of-a-running-instance"),
                List.of("r-dead", "aspa", "PENDING", "POTHOLE_REPAIR", "3", "ConnectException", "null"),
                List.of("r-dead", "crm", "DEAD", "null", "10", "HTTP 400", "null"),
                List.of("r-imported", "aspa", "IMPORTED", "POTHOLE_REPAIR", "0", "null", "null"),
                List.of("r-imported", "crm", "IMPORTED", "null", "0", "null", "null"),
                List.of("r-pending", "crm", "PENDING", "null", "0", "null", "null"),
                List.of("r-sent", "aspa", "SENT", "POTHOLE_REPAIR", "1", "null", "null"),
                List.of("r-sent", "crm", "SENT", "null", "1", "null", "null"));
        assertThat(rows("SELECT request_id, claim_until, next_attempt_at FROM forward_task WHERE request_id = 'r-claimed' "))
                .containsExactly(List.of("r-claimed", T.plusSeconds(60).toInstant().toString(), T.toInstant().toString()));
        assertThat(rows("SELECT request_id, backend, remote_id, remote_state, remote_version, detailed_status, category, owner"
                + " FROM backend_record ORDER BY request_id, backend")).containsExactly(
                List.of("r-imported", "aspa", "imported", "null", "null", "PUBLIC_WORKS_COMPLETED", "POTHOLE_REPAIR", "Stara"),
                List.of("r-imported", "crm", "null", "null", "null", "PROCESSED", "null", "null"),
                List.of("r-sent", "aspa", "WO-7", "IN_PROGRESS", "4", "PUBLIC_WORKS_IN_PROGRESS", "POTHOLE_REPAIR", "Stara"),
                List.of("r-sent", "crm", "CASE-7", "IN_PROCESS", "3", "IN_PROCESS", "null", "null"));
        assertThat(rows("SELECT id, status, detailed_status FROM service_request ORDER BY id")).containsExactly(
                List.of("r-claimed", "open", "RECEIVED"),
                List.of("r-dead", "open", "RECEIVED"),
                List.of("r-imported", "closed", "PROCESSED,PUBLIC_WORKS_COMPLETED"),
                List.of("r-pending", "open", "RECEIVED"),
                List.of("r-sent", "open", "IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS"));
        JsonNode task = JSON.readTree(rows("SELECT tasks FROM service_request WHERE id = 'r-sent'").get(0).get(0)).get(0);
        assertThat(task.path("type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(task.path("status").asText()).isEqualTo("PUBLIC_WORKS_IN_PROGRESS");
        assertThat(task.path("owner").asText()).isEqualTo("Stara");
        assertThat(OffsetDateTime.parse(task.path("created_at").asText())).isEqualTo(T.minusDays(1));
        assertThat(OffsetDateTime.parse(task.path("modified_at").asText())).isEqualTo(T.minusHours(2));
        assertThat(rows("SELECT tasks FROM service_request WHERE id = 'r-pending'")).containsExactly(List.of("null"));
        assertThat(rows("SELECT backend, position FROM feed_cursor ORDER BY backend"))
                .containsExactly(List.of("aspa", "17"), List.of("crm", "42"));
        assertThat(rows("SELECT backend, outcome FROM forward_attempt ORDER BY id"))
                .containsExactly(List.of("crm", "SENT"), List.of("aspa", "SENT"));
        assertThat(rows("SELECT source FROM request_history")).containsExactly(List.of("crm"));
        assertThat(columns("service_request")).noneMatch(column -> column.startsWith("crm_") || column.startsWith("aspa_"))
                .contains("tasks", "detailed_status", "updated_at");
    }

    /** One request in each state the old columns could hold. */
    private void populate(boolean v10) throws SQLException {
        try (Connection connection = connect()) {
            request(connection, "r-pending", "open", "RECEIVED", "crm_forward = 'PENDING', crm_next_attempt_at = ?", T);
            request(connection, "r-claimed", "open", "RECEIVED", "crm_forward = 'PENDING', crm_next_attempt_at = ?,"
                    + " crm_attempts = 1, crm_last_error = 'HTTP 503', crm_claim = 'claim-of-a-running-instance', crm_claim_until = ?",
                    T, T.plusSeconds(60));
            request(connection, "r-sent", "open", "IN_PROCESS", "crm_forward = 'SENT', crm_attempts = 1, crm_case_id = 'CASE-7',"
                    + " crm_state = 'IN_PROCESS', crm_version = 3, aspa_forward = 'SENT', aspa_attempts = 1,"
                    + " aspa_work_type = 'POTHOLE_REPAIR', aspa_work_order_id = 'WO-7', aspa_state = 'IN_PROGRESS',"
                    + " aspa_detailed_status = 'PUBLIC_WORKS_IN_PROGRESS', aspa_owner = 'Stara', aspa_created_at = ?,"
                    + " aspa_modified_at = ?, aspa_version = 4", T.minusDays(1), T.minusHours(2));
            request(connection, "r-dead", "open", "RECEIVED", "crm_forward = 'DEAD', crm_attempts = 10, crm_last_error = 'HTTP 400',"
                    + " aspa_forward = 'PENDING', aspa_attempts = 3, aspa_last_error = 'ConnectException',"
                    + " aspa_work_type = 'POTHOLE_REPAIR', aspa_next_attempt_at = ?" + (v10 ? ", aspa_failing_since = ?" : ""),
                    v10 ? new Object[]{T, T.minusHours(5)} : new Object[]{T});
            request(connection, "r-imported", "closed", "PROCESSED", "crm_forward = 'IMPORTED', aspa_forward = 'IMPORTED',"
                    + " aspa_work_type = 'POTHOLE_REPAIR', aspa_work_order_id = 'imported',"
                    + " aspa_detailed_status = 'PUBLIC_WORKS_COMPLETED', aspa_owner = 'Stara'");
            execute(connection, "INSERT INTO forward_attempt (request_id, backend, attempted_at, outcome, detail) VALUES"
                    + " ('r-sent', 'CRM', ?, 'SENT', 'CASE-7')", T);
            execute(connection, "INSERT INTO forward_attempt (request_id, backend, attempted_at, outcome, detail) VALUES"
                    + " ('r-sent', 'ASPA', ?, 'SENT', 'WO-7')", T);
            execute(connection, "INSERT INTO request_history (request_id, changed_at, source, status, detailed_status, published)"
                    + " VALUES ('r-sent', ?, 'CRM', 'open', 'IN_PROCESS', FALSE)", T);
            execute(connection, "UPDATE feed_cursor SET position = '42' WHERE backend = 'CRM'");
            execute(connection, "UPDATE feed_cursor SET position = '17' WHERE backend = 'ASPA'");
        }
    }

    private static void request(Connection connection, String id, String status, String detailed, String backendColumns,
                                Object... values) throws SQLException {
        execute(connection, "INSERT INTO service_request (id, service_code, description, status, detailed_status, published,"
                + " requested_at, updated_at) VALUES ('" + id + "', '171', 'Kuoppa', '" + status + "', '" + detailed + "', TRUE, ?, ?)",
                T.minusDays(2), T.minusDays(2));
        execute(connection, "UPDATE service_request SET " + backendColumns + " WHERE id = '" + id + "'", values);
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Each row's values as text (times as UTC instants), "null" for NULL. */
    private List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet result = select.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    Object value = result.getObject(c);
                    row.add(value instanceof java.sql.Timestamp || value instanceof OffsetDateTime
                            ? result.getObject(c, OffsetDateTime.class).toInstant().toString() : String.valueOf(value));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = connect();
             ResultSet result = connection.getMetaData().getColumns(null, connection.getSchema(), table, null)) {
            while (result.next()) {
                columns.add(result.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        if (columns.isEmpty()) {
            try (Connection connection = connect();
                 ResultSet result = connection.getMetaData().getColumns(null, connection.getSchema(), table.toUpperCase(Locale.ROOT), null)) {
                while (result.next()) {
                    columns.add(result.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    private void migrateTo(String target) {
        if (store == null) {
            store = database().freshStore();
        }
        var configuration = Flyway.configure().dataSource(url(), user(), "").locations("classpath:db/migration");
        String schema = store.getProperty("gateway.db.schema", "");
        if (!schema.isBlank()) {
            configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url(), user(), "");
        String schema = store.getProperty("gateway.db.schema", "");
        if (!schema.isBlank()) {
            connection.setSchema(schema);
        }
        return connection;
    }

    private String url() {
        return store.getProperty("gateway.db.url");
    }

    private String user() {
        return store.getProperty("gateway.db.user");
    }
}

package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Residents' updates on their requests (POST servicerequestupdates, mySociety's extension), forwarded by the
 * same outbox as the requests themselves:
 * <ul>
 * <li>{@code request_update}: each update a client posted, stored before the answer; its contact data is for
 *     the back ends only, never shown; {@code (api_key_id, client_update_id)} is unique, so a client's repeated
 *     post is stored once;</li>
 * <li>{@code forward_task.update_id}: '' for the request's own task, else the update the task sends; the key
 *     becomes (request_id, backend, update_id), so a request has one task per back end and one per update.</li>
 * </ul>
 * In Java because the primary key's name differs between H2 (generated) and PostgreSQL: it is read from the
 * information schema, the same query on both.
 */
public class V18__resident_updates extends BaseJavaMigration {

    private static final String[] STATEMENTS = {
        "CREATE TABLE request_update ("
            + " id VARCHAR(32) PRIMARY KEY,"
            + " request_id VARCHAR(32) NOT NULL REFERENCES service_request (id),"
            + " api_key_id BIGINT NOT NULL REFERENCES api_key (id),"
            + " client_update_id VARCHAR(100) NOT NULL,"
            // as the client sent it (OPEN, CLOSED, FIXED, REOPEN...): a wish for the back end, never the request's status
            + " status VARCHAR(40) NOT NULL,"
            + " description VARCHAR(5000) NOT NULL,"
            + " updated_datetime TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " media_urls VARCHAR(20000),"
            + " email VARCHAR(254),"
            + " first_name VARCHAR(100),"
            + " last_name VARCHAR(100),"
            + " phone VARCHAR(50),"
            + " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " correlation_id VARCHAR(64),"
            + " CONSTRAINT request_update_client_id UNIQUE (api_key_id, client_update_id))",
        "CREATE INDEX request_update_request ON request_update (request_id)",
        "ALTER TABLE forward_task ADD COLUMN update_id VARCHAR(32) DEFAULT '' NOT NULL",
    };

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
            statement.execute("ALTER TABLE forward_task DROP CONSTRAINT " + primaryKey(connection));
            statement.execute("ALTER TABLE forward_task ADD CONSTRAINT forward_task_key PRIMARY KEY (request_id, backend, update_id)");
        }
    }

    /** The name of forward_task's primary key in the schema being migrated. */
    private static String primaryKey(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT constraint_name FROM information_schema.table_constraints"
                + " WHERE LOWER(table_name) = 'forward_task' AND constraint_type = 'PRIMARY KEY' AND table_schema = CURRENT_SCHEMA");
             ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("forward_task has no primary key to replace");
            }
            String name = rows.getString(1);
            // a generated name is quoted as it is stored (H2: upper case)
            return "\"" + name.replace("\"", "\"\"") + "\"";
        }
    }
}

package db.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Writes each request's Aspa work order into its {@code tasks} column (V11), as JSON in the shape
 * {@code backends/StatusMerge} writes: in Java because H2 and PostgreSQL build JSON and format
 * timestamps differently. Self-contained on purpose: a migration must keep doing what it did when it
 * shipped, whatever the classes of later versions do.
 */
public class V12__tasks_on_the_request extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, aspa_work_type, aspa_detailed_status,"
                + " aspa_created_at, aspa_modified_at, aspa_owner FROM service_request WHERE aspa_work_order_id IS NOT NULL");
             PreparedStatement update = connection.prepareStatement("UPDATE service_request SET tasks = ? WHERE id = ?");
             ResultSet rows = select.executeQuery()) {
            int pending = 0;
            while (rows.next()) {
                ArrayNode tasks = JSON.createArrayNode();
                ObjectNode task = tasks.addObject();
                task.put("backend", "aspa");
                task.put("type", rows.getString(2));
                task.put("status", rows.getString(3));
                task.put("created_at", utc(rows.getObject(4, OffsetDateTime.class)));
                task.put("modified_at", utc(rows.getObject(5, OffsetDateTime.class)));
                task.put("owner", rows.getString(6));
                update.setString(1, JSON.writeValueAsString(tasks));
                update.setString(2, rows.getString(1));
                update.addBatch();
                if (++pending == 500) {
                    update.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
    }

    private static String utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}

package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.open311.gateway.requests.IdempotentPosts;
import org.open311.gateway.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Residents' updates in the forwarding outbox: an update gets one task for each back end that receives updates
 * (its kind can, gateway.backend.&lt;name&gt;.updates) and already has a task for the update's request, written in
 * the update's own transaction. The forward route sends such a task with the kind's {@link UpdateMapping}; it is
 * due only once the request's own task is sent ({@link Outbox}), so the back end holds the request first.
 */
public final class ResidentUpdates implements IdempotentPosts.SameTransaction {

    /** The columns of an update a send needs, as update_* beside the request's row (contact data for the back end only). */
    private static final String UPDATE_COLUMNS = "u.id AS update_key, u.status AS update_status, u.description AS update_description,"
            + " u.updated_datetime AS update_updated_datetime, u.media_urls AS update_media_urls, u.email AS update_email,"
            + " u.first_name AS update_first_name, u.last_name AS update_last_name, u.phone AS update_phone,"
            + " u.created_at AS update_created_at, u.correlation_id AS update_correlation_id, b.remote_id AS task_remote_id";

    private final Map<String, UpdateMapping> receivers;

    /** {@code receivers}: each back end that receives updates, by name, with its kind's mapping. */
    public ResidentUpdates(Map<String, UpdateMapping> receivers) {
        this.receivers = Map.copyOf(receivers);
    }

    /** Whether the task being sent is a resident's update (not the request itself). */
    public boolean isUpdate(Exchange exchange) {
        return !exchange.getProperty(Forwarding.UPDATE_ID, "", String.class).isEmpty();
    }

    public String toUpdate(Exchange exchange, String backend) {
        return mapping(backend).toUpdate(exchange);
    }

    public void accepted(Exchange exchange, String backend) {
        mapping(backend).accepted(exchange);
    }

    private UpdateMapping mapping(String backend) {
        UpdateMapping mapping = receivers.get(backend);
        if (mapping == null) {
            // a task written while the back end received updates, read after a restart that turned them off
            throw new IllegalStateException("back end " + backend + " does not receive updates (gateway.backend." + backend + ".updates)");
        }
        return mapping;
    }

    /**
     * In the update's transaction: its tasks, due now, for the back ends that receive updates and hold (or will
     * hold) the request: the headers {@code requestId}, {@code id} (the update's) and {@code createdAt}.
     */
    @Override
    public void write(Connection connection, Exchange exchange) throws SQLException {
        if (receivers.isEmpty()) {
            return;
        }
        String requestId = exchange.getMessage().getHeader("requestId", String.class);
        String updateId = exchange.getMessage().getHeader("id", String.class);
        List<String> names = List.copyOf(receivers.keySet());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO forward_task (request_id, backend, update_id,"
                + " state, attempts, next_attempt_at) SELECT request_id, backend, ?, 'PENDING', 0, ? FROM forward_task"
                + " WHERE request_id = ? AND update_id = '' AND state IN ('PENDING', 'SENT', 'DEAD') AND backend IN ("
                + String.join(", ", Collections.nCopies(names.size(), "?")) + ")")) {
            int i = 1;
            insert.setString(i++, updateId);
            insert.setObject(i++, exchange.getMessage().getHeader("createdAt", OffsetDateTime.class));
            insert.setString(i++, requestId);
            for (String name : names) {
                insert.setString(i++, name);
            }
            insert.executeUpdate();
        }
    }

    /** Adds to each claimed update task its update's columns and the back end's id of the request (one query). */
    static void addUpdates(Connection connection, String backend, List<Map<String, Object>> claimed) throws SQLException {
        Map<String, Map<String, Object>> byUpdate = new HashMap<>();
        for (Map<String, Object> row : claimed) {
            Object updateId = row.get("task_update_id");
            if (updateId != null && !updateId.toString().isEmpty()) {
                byUpdate.put(updateId.toString(), row);
            }
        }
        if (byUpdate.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(byUpdate.keySet());
        try (PreparedStatement select = connection.prepareStatement("SELECT " + UPDATE_COLUMNS + " FROM request_update u"
                + " LEFT JOIN backend_record b ON b.request_id = u.request_id AND b.backend = ? WHERE u.id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            select.setString(1, backend);
            for (int i = 0; i < ids.size(); i++) {
                select.setString(i + 2, ids.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                while (rows.next()) {
                    Map<String, Object> update = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        update.put(meta.getColumnLabel(c), rows.getObject(c));
                    }
                    update = Rows.lowerCaseKeys(update);
                    byUpdate.get(String.valueOf(update.get("update_key"))).putAll(update);
                }
            }
        }
    }
}

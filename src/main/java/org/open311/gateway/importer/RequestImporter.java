package org.open311.gateway.importer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.open311.gateway.backends.StatusMerge;
import org.open311.gateway.requests.GeoCells;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports a GeoReport v2 export into the store: the file is streamed (one item in memory at a time),
 * items are inserted in JDBC batches, one transaction per batch. An id already stored is skipped, so a
 * second import of the same file changes nothing. Imported requests are marked {@code IMPORTED} for
 * both back ends: the forwarding polls, dead letters and health's backlog look only at PENDING and DEAD,
 * so nothing imported is ever sent to the CRM or Aspa.
 */
public final class RequestImporter {

    /** Marks a request that came from an import: never forwarded. */
    public static final String IMPORTED = "IMPORTED";
    /** Stands in for Aspa's work-order id, which exports do not carry, so that the task is shown. */
    public static final String IMPORTED_WORK_ORDER = "imported";
    static final int BATCH_SIZE = 500;
    /** Reasons are kept for this many rejected items; beyond, they are only counted. */
    static final int MAX_REASONS_KEPT = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO service_request (id, service_code, description, title, lat, lon,"
            + " geo_cell, address_string, service_object_type, service_object_id, media_urls, status, detailed_status, status_notes,"
            + " agency_responsible, service_notice, published, requested_at, updated_at, expected_at, tasks)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** An imported request's task per back end: IMPORTED, so it is never sent. */
    private static final String TASK = "INSERT INTO forward_task (request_id, backend, state, category, attempts) VALUES (?, ?, ?, ?, 0)";
    private static final String RECORD = "INSERT INTO backend_record (request_id, backend, remote_id, detailed_status, category,"
            + " owner, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * The back ends an export's statuses belong to: the one that decides the status (the CRM part of
     * detailed_status) and the one that keeps the work orders (the PUBLIC_WORKS_* part and the task), by
     * their configured names; null: none configured.
     */
    public record Targets(String deciding, String tasks) {
    }

    /** Told about the progress now and then (every batch). */
    public interface Progress {
        void update(Summary soFar, long bytesRead);
    }

    /** An item that was not imported: its position in the file (from 1), its id if it had one, and why. */
    public record Rejection(long item, String id, String reason) {
    }

    /** The outcome of one import. */
    public record Summary(long read, long imported, long skipped, long rejected, List<Rejection> rejections,
                          Map<String, Long> rejectedByField) {
    }

    /** The file cannot be read as a JSON list of requests; what was imported before the problem stays. */
    public static final class UnreadableFile extends Exception {
        UnreadableFile(String message, Summary soFar) {
            super(message);
            this.soFar = soFar;
        }

        private final transient Summary soFar;

        public Summary soFar() {
            return soFar;
        }
    }

    private final DataSource store;
    private final ImportItemReader reader;
    private final Progress progress;

    private long read;
    private long imported;
    private long skipped;
    private final List<Rejection> rejections = new ArrayList<>();
    private final Map<String, Long> rejectedByField = new LinkedHashMap<>();
    private long rejected;

    private final Targets targets;

    public RequestImporter(DataSource store, ImportItemReader reader, Targets targets, Progress progress) {
        this.store = store;
        this.targets = targets;
        this.reader = reader;
        this.progress = progress;
    }

    public Summary importFrom(InputStream in) throws UnreadableFile, SQLException {
        try (JsonParser parser = new JsonFactory(JSON).createParser(in); Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new UnreadableFile("the file is not a JSON list of requests (it must start with '[')", summary());
            }
            List<ImportedRequest> batch = new ArrayList<>(BATCH_SIZE);
            while (nextItem(parser)) {
                read++;
                JsonNode item = parser.readValueAsTree();
                if (item == null) {
                    item = com.fasterxml.jackson.databind.node.NullNode.getInstance();
                }
                try {
                    batch.add(reader.read(item));
                } catch (ImportItemReader.Rejected e) {
                    reject(read, item.path("service_request_id").asText(null), e.getMessage());
                }
                if (batch.size() == BATCH_SIZE) {
                    store(connection, batch);
                    progress.update(summary(), parser.currentLocation().getByteOffset());
                }
            }
            store(connection, batch);
            return summary();
        } catch (JsonProcessingException e) {
            throw new UnreadableFile("not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (item " + (read + 1) + "): stopped there", summary());
        } catch (IOException e) {
            throw new UnreadableFile("cannot read the file: " + e.getMessage(), summary());
        }
    }

    private boolean nextItem(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        if (token == null) {
            throw new IOException("the list ends before its closing ']'");
        }
        return true;
    }

    /** Inserts the batch's new ids (one lookup, one batch insert, one commit) and empties it. */
    private void store(Connection connection, List<ImportedRequest> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> taken = existing(connection, batch);
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
             PreparedStatement task = connection.prepareStatement(TASK);
             PreparedStatement record = connection.prepareStatement(RECORD)) {
            for (ImportedRequest request : batch) {
                if (!taken.add(request.id())) {
                    skipped++;
                    continue;
                }
                bind(insert, request);
                insert.addBatch();
                bindBackends(task, record, request);
                inserted++;
            }
            if (inserted > 0) {
                insert.executeBatch();
                task.executeBatch();
                record.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        imported += inserted;
        batch.clear();
    }

    private static Set<String> existing(Connection connection, List<ImportedRequest> batch) throws SQLException {
        Set<String> ids = new HashSet<>();
        String placeholders = String.join(",", Collections.nCopies(batch.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM service_request WHERE id IN (" + placeholders + ")")) {
            for (int i = 0; i < batch.size(); i++) {
                select.setString(i + 1, batch.get(i).id());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private void bind(PreparedStatement insert, ImportedRequest r) throws SQLException {
        StatusMerge.Merged merged = StatusMerge.merge(r.status(), r.detailedStatus(), parts(r));
        int i = 1;
        insert.setString(i++, r.id());
        insert.setString(i++, r.serviceCode());
        insert.setString(i++, r.description());
        insert.setString(i++, r.title());
        setDouble(insert, i++, r.lat());
        setDouble(insert, i++, r.lon());
        setLong(insert, i++, GeoCells.cellOf(r.lat(), r.lon()));
        insert.setString(i++, r.address());
        insert.setString(i++, r.serviceObjectType());
        insert.setString(i++, r.serviceObjectId());
        insert.setString(i++, toJson(r.mediaUrls()));
        insert.setString(i++, r.status());
        insert.setString(i++, merged.detailedStatus());
        insert.setString(i++, r.statusNotes());
        insert.setString(i++, r.agencyResponsible());
        insert.setString(i++, r.serviceNotice());
        insert.setBoolean(i++, r.published());
        setTime(insert, i++, r.requestedAt());
        setTime(insert, i++, r.updatedAt());
        setTime(insert, i++, r.expectedAt());
        insert.setString(i, merged.tasks());
    }

    /** The back ends' records an export tells of: the deciding one's status, and the work order if any. */
    private List<StatusMerge.Part> parts(ImportedRequest r) {
        List<StatusMerge.Part> parts = new ArrayList<>();
        if (targets.deciding() != null) {
            parts.add(new StatusMerge.Part(targets.deciding(), StatusMerge.Role.DECIDES, r.detailedStatus(), null, null, null, null, null));
        }
        ImportedRequest.Task task = r.task();
        if (targets.tasks() != null && (r.aspaWorkType() != null || task != null || r.aspaDetailedStatus() != null)) {
            String state = r.aspaDetailedStatus() != null ? r.aspaDetailedStatus() : task == null ? null : task.state();
            parts.add(new StatusMerge.Part(targets.tasks(), StatusMerge.Role.TASK, state, task == null ? null : IMPORTED_WORK_ORDER,
                    task != null && task.type() != null ? task.type() : r.aspaWorkType(), task == null ? null : task.owner(),
                    task == null ? null : task.createdAt(), task == null ? null : task.modifiedAt()));
        }
        return parts;
    }

    /** An IMPORTED task and a record for each back end the export tells of: never sent, shown as exported. */
    private void bindBackends(PreparedStatement task, PreparedStatement record, ImportedRequest r) throws SQLException {
        for (StatusMerge.Part part : parts(r)) {
            task.setString(1, r.id());
            task.setString(2, part.backend());
            task.setString(3, IMPORTED);
            task.setString(4, part.category());
            task.addBatch();
            record.setString(1, r.id());
            record.setString(2, part.backend());
            record.setString(3, part.remoteId());
            record.setString(4, part.detailedStatus());
            record.setString(5, part.category());
            record.setString(6, part.owner());
            setTime(record, 7, part.createdAt());
            setTime(record, 8, part.modifiedAt());
            record.addBatch();
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static void setTime(PreparedStatement statement, int index, OffsetDateTime value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value);
        }
    }

    private static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void reject(long item, String id, String reason) {
        rejected++;
        if (rejections.size() < MAX_REASONS_KEPT) {
            rejections.add(new Rejection(item, id, reason));
        }
        rejectedByField.merge(reason.split(":", 2)[0], 1L, Long::sum);
    }

    private Summary summary() {
        return new Summary(read, imported, skipped, rejected, List.copyOf(rejections), Map.copyOf(rejectedByField));
    }
}

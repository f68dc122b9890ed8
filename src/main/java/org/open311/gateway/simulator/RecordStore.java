package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A back end's records in memory (CRM cases, Aspa work orders): created idempotently per reference,
 * versioned, and listed in a change feed. Every change takes the next sequence number; the feed
 * keeps each record under its latest one, so a page shows a record at most once, in its current state.
 * Callers get copies; every method is synchronized. With a state file, the records are written to it
 * (whole, replaced atomically) at most {@value #WRITE_DELAY_MS} ms after a change and at {@link #flush()} (the
 * simulator's stop), and read back at start, so an embedded run survives a restart as a real back end would;
 * without one the records live in memory only. Writing the whole file on every change made each PUT cost
 * as much as all the records (a 10,000-request backlog wrote gigabytes); a killed run loses at most the
 * last moment's changes, which the gateway's idempotent PUTs and feed cursor recover.
 */
final class RecordStore {

    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
    static final long WRITE_DELAY_MS = 200;
    /** One writer for every simulator's state file (daemon: never holds the JVM up). */
    private static final ScheduledExecutorService WRITER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "simulator-state-writer");
        thread.setDaemon(true);
        return thread;
    });

    /** The outcome of a PUT: the record, and whether this call created it. */
    record Put(boolean created, ObjectNode record) {
    }

    /** One page of the change feed, as the contracts write it; {@code latestCursor}: the feed's newest change. */
    record Page(List<ObjectNode> changes, long nextCursor, boolean hasMore, long latestCursor) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("changes", changes);
            json.put("next_cursor", String.valueOf(nextCursor));
            json.put("has_more", hasMore);
            json.put("latest_cursor", String.valueOf(latestCursor));
            return json;
        }
    }

    private final String idField;
    private final String updatedField;
    private final IntFunction<String> newId;
    private final Clock clock;

    private final Map<String, ObjectNode> byId = new LinkedHashMap<>();
    private final Map<String, String> idByReference = new HashMap<>();
    private final Map<String, Integer> putCounts = new HashMap<>();
    private final Map<String, Long> latestChange = new HashMap<>();
    private final NavigableMap<Long, String> feed = new TreeMap<>();
    private long sequence;
    /** Where the records are kept between runs; null: in memory only. */
    private final Path file;
    /** Changes not yet in the file, and whether a write of them is scheduled. */
    private boolean dirty;
    private boolean writeScheduled;

    RecordStore(String idField, String updatedField, IntFunction<String> newId, Clock clock) {
        this(idField, updatedField, newId, clock, null);
    }

    /**
     * @param idField      e.g. {@code case_id}
     * @param updatedField e.g. {@code updated_at}
     * @param newId        the id of the n-th record created (from 1)
     */
    RecordStore(String idField, String updatedField, IntFunction<String> newId, Clock clock, Path file) {
        this.idField = idField;
        this.updatedField = updatedField;
        this.newId = newId;
        this.clock = clock;
        this.file = file;
        if (file != null && Files.exists(file)) {
            load();
        }
    }

    /** Creates the record of {@code reference} from {@code fields}, unless it exists; counts every call. */
    synchronized Put put(String reference, ObjectNode fields) {
        putCounts.merge(reference, 1, Integer::sum);
        String existing = idByReference.get(reference);
        if (existing != null) {
            save();
            return new Put(false, byId.get(existing).deepCopy());
        }
        String id = newId.apply(byId.size() + 1);
        String now = Json.now(clock);
        ObjectNode record = Json.MAPPER.createObjectNode().put(idField, id);
        record.setAll(fields);
        record.put("created_at", now).put(updatedField, now).put("version", 1);
        byId.put(id, record);
        idByReference.put(reference, id);
        recordChange(id);
        save();
        return new Put(true, record.deepCopy());
    }

    synchronized ObjectNode get(String id) {
        return find(id).deepCopy();
    }

    synchronized Optional<ObjectNode> byReference(String reference) {
        return Optional.ofNullable(idByReference.get(reference)).map(id -> byId.get(id).deepCopy());
    }

    /** Applies {@code edit} as one change: the version grows by one and the record moves to the feed's end. */
    synchronized ObjectNode change(String id, Consumer<ObjectNode> edit) {
        ObjectNode record = find(id);
        edit.accept(record);
        record.put(updatedField, Json.now(clock)).put("version", record.path("version").asInt() + 1);
        recordChange(id);
        save();
        return record.deepCopy();
    }

    /** Forgets every record and the whole feed, as a back end restarted empty (or restored from an old backup). */
    synchronized void clear() {
        byId.clear();
        idByReference.clear();
        putCounts.clear();
        latestChange.clear();
        feed.clear();
        sequence = 0;
        save();
    }

    /** Records whose latest change is after {@code since}, oldest first, at most {@code limit}. */
    synchronized Page changes(long since, int limit) {
        List<ObjectNode> page = new ArrayList<>();
        long cursor = since;
        Iterator<Map.Entry<Long, String>> newer = feed.tailMap(since, false).entrySet().iterator();
        while (newer.hasNext() && page.size() < limit) {
            Map.Entry<Long, String> change = newer.next();
            page.add(byId.get(change.getValue()).deepCopy());
            cursor = change.getKey();
        }
        return new Page(page, cursor, newer.hasNext(), sequence);
    }

    /** Every record in creation order, each with {@code put_count}: how often its reference was PUT. */
    synchronized List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode record : byId.values()) {
            all.add(record.deepCopy().put("put_count", putCount(record.path("reference").asText())));
        }
        return all;
    }

    /**
     * Counts for a benchmark that drains thousands of requests: {@code records}, {@code puts} (every PUT
     * call) and {@code put_more_than_once} (references PUT twice or more), without listing the records.
     */
    synchronized Map<String, Object> counts() {
        long puts = 0;
        long repeated = 0;
        for (int count : putCounts.values()) {
            puts += count;
            repeated += count > 1 ? 1 : 0;
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("records", byId.size());
        counts.put("puts", puts);
        counts.put("put_more_than_once", repeated);
        return counts;
    }

    synchronized int putCount(String reference) {
        return putCounts.getOrDefault(reference, 0);
    }

    private ObjectNode find(String id) {
        ObjectNode record = byId.get(id);
        if (record == null) {
            throw new NoSuchElementException("no " + idField + " " + id);
        }
        return record;
    }

    private void recordChange(String id) {
        Long previous = latestChange.put(id, ++sequence);
        if (previous != null) {
            feed.remove(previous);
        }
        feed.put(sequence, id);
    }

    /** A change to write: within {@link #WRITE_DELAY_MS}, together with the changes made until then. */
    private void save() {
        if (file == null) {
            return;
        }
        dirty = true;
        if (!writeScheduled) {
            writeScheduled = true;
            WRITER.schedule(this::flushQuietly, WRITE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the state file now if anything changed since it was last written. */
    synchronized void flush() {
        writeScheduled = false;
        if (!dirty) {
            return;
        }
        dirty = false;
        write();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (UncheckedIOException e) {
            LOG.warn("{}: the next change tries again", e.getMessage(), e);
        }
    }

    private void write() {
        ObjectNode state = Json.MAPPER.createObjectNode().put("sequence", sequence);
        var records = state.putArray("records");
        byId.forEach((id, record) -> records.add(record.deepCopy().put("_change", latestChange.get(id))));
        putCounts.forEach(state.putObject("put_counts")::put);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = file.resolveSibling(file.getFileName() + ".new");
            Files.write(written, Json.MAPPER.writeValueAsBytes(state));
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dirty = true;
            throw new UncheckedIOException("simulator state " + file + " cannot be written", e);
        }
    }

    private void load() {
        try {
            ObjectNode state = (ObjectNode) Json.MAPPER.readTree(file.toFile());
            sequence = state.path("sequence").asLong();
            for (var node : state.path("records")) {
                ObjectNode record = ((ObjectNode) node).deepCopy();
                long change = record.remove("_change").asLong();
                String id = record.path(idField).asText();
                byId.put(id, record);
                idByReference.put(record.path("reference").asText(), id);
                latestChange.put(id, change);
                feed.put(change, id);
            }
            state.path("put_counts").fields().forEachRemaining(count -> putCounts.put(count.getKey(), count.getValue().asInt()));
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("simulator state " + file + " cannot be read: delete it to start empty", e);
        }
    }
}

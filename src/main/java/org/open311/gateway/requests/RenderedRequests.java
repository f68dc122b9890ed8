package org.open311.gateway.requests;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.open311.gateway.api.Caching;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The JSON of single requests as lists and GET by id write them, kept while the stored row they were
 * written from is unchanged. Profiled (JFR, 200 requests with extensions and long Finnish descriptions
 * per page): writing the JSON and the views it is written from took two thirds of a page's CPU, and the
 * same newest requests are listed all day.
 *
 * <p>This is not a cache of answers: every page still reads its rows from the store. A written request
 * is reused only when every column just read equals the columns it was written from, and the catalogue
 * snapshot (service names) and the language are the same, so an answer is never older than the store.
 * Bounded by bytes; {@code maxBytes} 0 writes every request afresh.
 */
public final class RenderedRequests {

    /** Rough bytes of a stored value beyond its characters: object headers and references. */
    private static final int PER_VALUE_OVERHEAD = 40;

    private record Key(String id, Language language, boolean extensions) {
    }

    /**
     * What is kept of one stored row: the row, the catalogue it was shown with, the digest of its columns
     * (for the answer's ETag) and its JSON when a JSON answer wrote it (an XML answer or a 304 keeps the
     * digest alone).
     */
    public static final class Written {
        private final Map<String, Object> row;
        private final Catalogue catalogue;
        private final long digest;
        private final byte[] json;

        private Written(Map<String, Object> row, Catalogue catalogue, long digest, byte[] json) {
            this.row = row;
            this.catalogue = catalogue;
            this.digest = digest;
            this.json = json;
        }

        /** A digest of every column of the row: equal rows, equal digests, whichever instance reads them. */
        public long digest() {
            return digest;
        }

        /** The row's JSON; null when it was asked for without a writer. */
        public byte[] json() {
            return json;
        }

        int weight() {
            int bytes = (json == null ? 0 : json.length) + 96;
            for (Object value : row.values()) {
                bytes += PER_VALUE_OVERHEAD + (value instanceof String text ? text.length() : 16);
            }
            return bytes;
        }
    }

    private static long digestOf(Map<String, Object> row) {
        Caching.Digest columns = new Caching.Digest();
        RequestRows.digest(columns, row);
        return columns.value();
    }

    private final Cache<Key, Written> cache;

    public RenderedRequests(long maxBytes) {
        this.cache = maxBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Written written) -> written.weight())
                .recordStats()
                .build();
    }

    /** Hit and miss counts and size as {@code cache_*{cache="rendered_requests"}} metrics. */
    public void bindMetrics(MeterRegistry registry) {
        if (cache != null) {
            CaffeineCacheMetrics.monitor(registry, cache, "rendered_requests");
        }
    }

    /**
     * The JSON of the request stored as {@code row}: the one written before when nothing it was written
     * from has changed, else {@code render}'s, kept for next time.
     */
    public byte[] json(String id, Map<String, Object> row, Catalogue catalogue, Language language, boolean extensions,
                       Supplier<byte[]> render) {
        return of(id, row, catalogue, language, extensions, render).json();
    }

    /**
     * What is kept of the request stored as {@code row} while nothing it was written from has changed, else a
     * new entry, kept for next time: its digest taken, and its JSON written by {@code render} unless that is
     * null (an XML answer, which writes its own). Entries are weighed as they are put, so JSON is never added
     * to an entry in place.
     */
    public Written of(String id, Map<String, Object> row, Catalogue catalogue, Language language, boolean extensions,
                      Supplier<byte[]> render) {
        if (cache == null) {
            return new Written(row, catalogue, digestOf(row), render == null ? null : render.get());
        }
        Key key = new Key(id, language, extensions);
        Written kept = cache.getIfPresent(key);
        boolean unchanged = kept != null && kept.catalogue == catalogue && sameColumns(kept.row, row);
        if (unchanged && (render == null || kept.json != null)) {
            return kept;
        }
        Written fresh = new Written(row, catalogue, unchanged ? kept.digest : digestOf(row), render == null ? null : render.get());
        cache.put(key, fresh);
        return fresh;
    }

    /**
     * Whether two rows hold equal columns in the same order. Walks both in step (camel-jdbc keeps the
     * query's column order) instead of {@code Map.equals}, which hashed every column name into the other
     * map: a sixth of a page's CPU on PostgreSQL. Rows in different orders are merely written again.
     */
    static boolean sameColumns(Map<String, Object> kept, Map<String, Object> read) {
        if (kept.size() != read.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Object>> keptColumns = kept.entrySet().iterator();
        for (Map.Entry<String, Object> column : read.entrySet()) {
            Map.Entry<String, Object> keptColumn = keptColumns.next();
            if (!keptColumn.getKey().equals(column.getKey()) || !Objects.equals(keptColumn.getValue(), column.getValue())) {
                return false;
            }
        }
        return true;
    }
}

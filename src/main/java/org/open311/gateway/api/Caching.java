package org.open311.gateway.api;

import org.apache.camel.Exchange;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * HTTP caching of the API's answers (RFC 9110 §8.8, §13; RFC 9111): each cacheable answer carries a validator
 * ({@code ETag}) and a {@code Cache-Control}; a request whose {@code If-None-Match} names the current validator
 * gets 304 without a body. ETags are weak ({@code W/"…"}): the same answer gzipped is another representation
 * byte for byte, but means the same, which is what a weak validator says.
 */
public final class Caching {

    /** Exchange property: the If-None-Match the client sent (the route's steps replace the headers). */
    public static final String IF_NONE_MATCH = "open311.ifNoneMatch";
    /** Exchange properties a route step sets for {@link ApiResponder#respond}: the answer's validator and freshness. */
    public static final String ETAG = "open311.etag";
    public static final String CACHE_CONTROL = "open311.cacheControl";
    public static final String LAST_MODIFIED = "open311.lastModified";
    /** What an answer that must not be kept says (posts, errors). */
    public static final String NO_STORE = "no-store";

    private Caching() {
    }

    /** Cache-Control of a public answer any cache may keep for this many seconds (then revalidate with its ETag). */
    public static String publicFor(int seconds) {
        return "public, max-age=" + seconds;
    }

    /** A weak ETag from a 64-bit digest of what the answer shows. */
    public static String etag(long digest) {
        return "W/\"" + Long.toHexString(digest) + "\"";
    }

    /** A weak ETag of an answer's bytes, for answers written once and kept (the catalogue). */
    public static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Whether an If-None-Match value names this ETag: {@code *}, or any listed tag under the weak comparison
     * (RFC 9110 §13.1.2: {@code W/} ignored on both sides).
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (!tag.isEmpty() && opaque(tag).equals(opaque))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the client already holds the answer the route is about to give (then nothing need be written). */
    public static boolean unchanged(Exchange exchange, String etag) {
        return matches(exchange.getProperty(IF_NONE_MATCH, String.class), etag);
    }

    /** Sets the validator and freshness of the answer the route is writing. */
    public static void describe(Exchange exchange, String etag, String cacheControl, Instant lastModified) {
        exchange.setProperty(ETAG, etag);
        exchange.setProperty(CACHE_CONTROL, cacheControl);
        if (lastModified != null) {
            exchange.setProperty(LAST_MODIFIED, httpDate(lastModified));
        }
    }

    /** An IMF-fixdate, as HTTP writes dates: Sun, 06 Nov 1994 08:49:37 GMT. */
    public static String httpDate(Instant time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(time.atOffset(ZoneOffset.UTC));
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** A running 64-bit digest of an answer's parts (FNV-1a over UTF-16 units and longs): cheap, no allocation. */
    public static final class Digest {
        private static final long PRIME = 0x100000001b3L;
        private long state = 0xcbf29ce484222325L;

        public Digest add(String text) {
            if (text == null) {
                return add(0x9e3779b97f4a7c15L);
            }
            for (int i = 0; i < text.length(); i++) {
                state = (state ^ text.charAt(i)) * PRIME;
            }
            // the length ends each part, so that ("ab", "c") and ("a", "bc") differ
            return add(text.length());
        }

        public Digest add(long value) {
            for (int shift = 0; shift < 64; shift += 16) {
                state = (state ^ ((value >>> shift) & 0xFFFF)) * PRIME;
            }
            return this;
        }

        /** A stored value as read from the store: text, a number, a time, or anything by its text. */
        public Digest addValue(Object value) {
            if (value == null || value instanceof String) {
                return add((String) value);
            }
            if (value instanceof Number number) {
                return add(Double.doubleToLongBits(number.doubleValue()));
            }
            if (value instanceof java.time.OffsetDateTime time) {
                return add(time.toEpochSecond()).add(time.getNano());
            }
            if (value instanceof java.sql.Timestamp time) {
                return add(time.getTime()).add(time.getNanos());
            }
            return add(String.valueOf(value));
        }

        public long value() {
            return state;
        }
    }
}

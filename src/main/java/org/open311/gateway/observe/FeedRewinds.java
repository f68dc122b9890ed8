package org.open311.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change feeds that went backwards: the stored cursor was ahead of the newest change the back end's feed
 * has (the back end restored from a backup, or restarted empty). Each is logged (ERROR), counted
 * ({@code open311_feed_rewinds_total}) and shown in the back end's health ({@code feed_rewound_at},
 * {@code feed_rewound_from}); the feed follower reads the feed again from its start, which is safe
 * because a change is applied only if it is newer than the stored record (docs/operations.md).
 */
public final class FeedRewinds {

    private static final Logger LOG = LoggerFactory.getLogger(FeedRewinds.class);

    /** The last rewind of a feed: when, the cursor we had, and the feed's newest cursor then. */
    public record Rewind(Instant at, String from, String latest) {
    }

    private final Clock clock;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, Rewind> last = new ConcurrentHashMap<>();

    public FeedRewinds(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether the feed's newest cursor is behind ours: both must be numbers (cursors are opaque to the
     * contracts otherwise, and then no comparison is made); a feed that does not say its newest is never
     * taken for one that went backwards.
     */
    public static boolean wentBackwards(String ours, String feedLatest) {
        if (ours == null || feedLatest == null || !ours.matches("\\d{1,18}") || !feedLatest.matches("\\d{1,18}")) {
            return false;
        }
        return Long.parseLong(feedLatest) < Long.parseLong(ours);
    }

    public void rewound(String backend, String from, String latest) {
        counter(backend).incrementAndGet();
        last.put(backend, new Rewind(clock.instant(), from, latest));
        LOG.error("{} change feed went backwards: our cursor is {} but its newest change is {} (restored from a backup,"
                + " or restarted empty?). Reading it again from its start: changes not newer than what is stored are"
                + " skipped. Requests the back end lost are not sent again by themselves: see docs/operations.md#a-feed-going-backwards",
                backend, from, latest);
    }

    /** The rewinds of a feed since the start; registered at 0 so the counter exists before the first. */
    public AtomicLong counter(String backend) {
        return counts.computeIfAbsent(backend, name -> new AtomicLong());
    }

    public Optional<Rewind> last(String backend) {
        return Optional.ofNullable(last.get(backend));
    }
}

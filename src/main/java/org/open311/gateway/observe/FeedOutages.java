package org.open311.gateway.observe;

import org.apache.camel.Exchange;
import org.open311.gateway.backends.ShortCircuited;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of the background routes, logged so that an outage is one WARN when a back end's feed
 * starts failing and one INFO when it is read again, not a line per poll; the polls in between are
 * counted in {@code open311_feed_poll_failures_total}, or {@code open311_feed_poll_skipped_total} when
 * the back end's open circuit let no read through. Other background failures are logged each time.
 * Nothing of the exchange's content is logged (it may hold contact data).
 */
public final class FeedOutages {

    private static final Logger LOG = LoggerFactory.getLogger("org.open311.gateway.background");
    /** The feed routes' ids: follow-feed-&lt;back end&gt; (routes/backends.camel.yaml). */
    private static final String FEED_ROUTE = "follow-feed-";

    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    private final CredentialRefusals credentials;

    public FeedOutages(GatewayMetrics metrics, CredentialRefusals credentials, Clock clock) {
        this.metrics = metrics;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** In the background routes' error handler: the poll failed and is tried again at the next run. */
    public void failed(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String cause = failure == null ? "unknown" : failure.getClass().getSimpleName();
        String feed = routeId != null && routeId.startsWith(FEED_ROUTE) ? routeId.substring(FEED_ROUTE.length()) : null;
        if (feed == null) {
            LOG.warn("{} failed, will retry at its next run: {}", routeId, cause);
            return;
        }
        if (failure instanceof ShortCircuited) {
            metrics.feedPollSkipped(feed);
        } else {
            metrics.feedPollFailed(feed);
            credentials.check(feed, failure, CredentialRefusals.FEED);
        }
        if (failingSince.putIfAbsent(feed, clock.instant()) == null) {
            LOG.warn("{} change feed cannot be read ({}): requests are still accepted and stored; reads are retried"
                    + " and counted in open311_feed_poll_failures_total (skipped while its circuit is open:"
                    + " open311_feed_poll_skipped_total) until it recovers", feed, cause);
        } else {
            LOG.debug("{} still failing: {}", routeId, cause);
        }
    }

    /** After a feed page was read and its cursor saved. */
    public void read(String backend) {
        credentials.accepted(backend, CredentialRefusals.FEED);
        Instant since = failingSince.remove(backend);
        if (since != null) {
            LOG.info("{} change feed read again after {} s of failures", backend,
                    Duration.between(since, clock.instant()).toSeconds());
        }
    }

    boolean failing(String backend) {
        return failingSince.containsKey(backend);
    }
}

package org.open311.gateway.limits;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The routes' rate-limit steps: posts per API key, reads (the unauthenticated GETs) per client address.
 * Over its budget a client gets 429 with Retry-After, and the exchange property {@link #REFUSED} names
 * the limit ("post" or "read") for metrics. Limits are per instance: N instances allow N times as much.
 */
public final class RateLimits {

    /** Exchange property set on a refused exchange: which limit refused it. */
    public static final String REFUSED = "open311.rateLimited";

    private final ClientRateLimits posts;
    private final ClientRateLimits reads;
    private final ClientAddress addresses;

    public RateLimits(ClientRateLimits posts, ClientRateLimits reads, ClientAddress addresses) {
        this.posts = posts;
        this.reads = reads;
        this.addresses = addresses;
    }

    /** The configured limits; switched off, every call goes through. */
    public static RateLimits of(LimitSettings settings) {
        if (!settings.rateLimitEnabled()) {
            return new RateLimits(null, null, null);
        }
        return new RateLimits(
                new ClientRateLimits(settings.postsPerKey(), settings.period(), settings.maxClients()),
                new ClientRateLimits(settings.readsPerAddress(), settings.period(), settings.maxClients()),
                new ClientAddress(settings.trustedProxies()));
    }

    /** A read: counted against the client's address. */
    public void read(Exchange exchange) {
        if (reads == null) {
            return;
        }
        String client = clientAddress(exchange);
        refuseIfOver(exchange, reads.secondsToWait(client), "read",
                "Too many requests from this address: try again later");
    }

    /** A post, after the form is read: counted against the hash of the API key it presents (never the key). */
    public void post(Exchange exchange) {
        if (posts == null) {
            return;
        }
        String keyHash = exchange.getMessage().getHeader("apiKeyHash", String.class);
        refuseIfOver(exchange, posts.secondsToWait(keyHash == null ? "address " + clientAddress(exchange) : keyHash),
                "post", "Too many requests with this api_key: try again later");
    }

    /** Posts refused since start (for metrics). */
    public long refusedPosts() {
        return posts == null ? 0 : posts.refused();
    }

    /** Reads refused since start (for metrics). */
    public long refusedReads() {
        return reads == null ? 0 : reads.refused();
    }

    private void refuseIfOver(Exchange exchange, long secondsToWait, String limit, String description) {
        if (secondsToWait > 0) {
            exchange.setProperty(REFUSED, limit);
            throw new TooManyRequests(description, secondsToWait);
        }
    }

    private String clientAddress(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http && http.getRequest() != null) {
            var peer = http.getRequest().remoteAddress();
            return addresses.of(peer == null ? null : peer.hostAddress(), http.getRequest().getHeader("X-Forwarded-For"));
        }
        return "unknown";
    }
}

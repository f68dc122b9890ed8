package org.open311.gateway.limits;

import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;

import java.util.function.Consumer;

/**
 * The routes' rate-limit steps: posts per API key, reads (the unauthenticated GETs) per client address.
 * Over its budget a client gets 429 with Retry-After, and the exchange property {@link #REFUSED} names
 * the limit ("post" or "read"), which is also handed to the metrics. Limits are per instance: N instances allow N times as much.
 */
public final class RateLimits {

    /** Exchange property set on a refused exchange: which limit refused it. */
    public static final String REFUSED = "open311.rateLimited";

    private final ClientRateLimits posts;
    private final ClientRateLimits reads;
    private final ClientAddress addresses;
    private final Consumer<String> refusals;

    public RateLimits(ClientRateLimits posts, ClientRateLimits reads, ClientAddress addresses, Consumer<String> refusals) {
        this.posts = posts;
        this.reads = reads;
        this.addresses = addresses;
        this.refusals = refusals;
    }

    /** The configured limits, telling {@code refusals} which limit refused a call; switched off, every call goes through. */
    public static RateLimits of(LimitSettings settings, Consumer<String> refusals) {
        if (!settings.rateLimitEnabled()) {
            return new RateLimits(null, null, null, refusals);
        }
        return new RateLimits(
                new ClientRateLimits(settings.postsPerKey(), settings.period(), settings.maxClients()),
                new ClientRateLimits(settings.readsPerAddress(), settings.period(), settings.maxClients()),
                new ClientAddress(settings.trustedProxies()), refusals);
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

    /**
     * A read answered in front of Camel (the catalogue's fast path): true when the client's address is
     * within its budget (and one read is counted). Over it, the caller hands the request to its route,
     * which refuses it with the 429 (and counts the refusal).
     */
    public boolean allowsRead(HttpServerRequest request) {
        return reads == null || reads.secondsToWait(clientAddress(request)) == 0;
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

    private void refuseIfOver(Exchange exchange, long secondsToWait, String limit, String description) {
        if (secondsToWait > 0) {
            exchange.setProperty(REFUSED, limit);
            refusals.accept(limit);
            throw new TooManyRequests(description, secondsToWait);
        }
    }

    private String clientAddress(Exchange exchange) {
        return addresses.of(exchange);
    }

    private String clientAddress(HttpServerRequest request) {
        return addresses.of(request);
    }
}

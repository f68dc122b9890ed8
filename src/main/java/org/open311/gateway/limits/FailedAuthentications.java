package org.open311.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address: a post whose api_key the store does not know (or has
 * revoked), an admin call without the right token. Once an address has failed {@code limit} times within
 * a period (counted from its first failure), it is refused with 429 and Retry-After until that period
 * ends, even with a valid key or token: keys and tokens cannot be tried in bulk (the post budget is per
 * presented key, so each invented key had a budget of its own). Failures are logged as a rate, never
 * with what was presented: one WARN at an address's first failure of a period, one when it is refused;
 * refusals are counted in the metrics (scope {@value #SCOPE}). Per instance, like the other limits.
 */
public final class FailedAuthentications {

    /** The rate-limit scope of a refusal, for the metrics and the exchange property {@link RateLimits#REFUSED}. */
    static final String SCOPE = "auth";
    /** Exchange property: the client's address, kept from the first step (later steps may hold a message that is no longer HTTP's). */
    private static final String CLIENT = "open311.clientAddress";
    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthentications.class);

    private final boolean refusing;
    private final int limit;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Cache<String, Window> windows;
    private final ClientAddress addresses;
    private final Consumer<String> refusals;

    FailedAuthentications(boolean refusing, int limit, Duration period, long maxClients, ClientAddress addresses,
                          Consumer<String> refusals, LongSupplier nanoTime) {
        if (limit < 1 || period.isZero() || period.isNegative() || maxClients < 1) {
            throw new IllegalArgumentException("A failed-authentication limit needs a limit >= 1, a positive period and room for clients");
        }
        this.refusing = refusing;
        this.limit = limit;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
        this.windows = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(period).build();
        this.addresses = addresses;
        this.refusals = refusals;
    }

    /** The configured limit; with the rate limits switched off, failures are still logged as a rate but nobody is refused. */
    public static FailedAuthentications of(LimitSettings settings, Consumer<String> refusals) {
        return new FailedAuthentications(settings.rateLimitEnabled(), settings.authFailuresPerAddress(), settings.authFailurePeriod(), settings.maxClients(),
                new ClientAddress(settings.trustedProxies()), refusals, System::nanoTime);
    }

    /** Route step before any credential is looked at: 429 while the client's address is refused. */
    public void refuseIfBlocked(Exchange exchange) {
        String client = addresses.of(exchange);
        exchange.setProperty(CLIENT, client);
        long seconds = secondsRefused(client);
        if (seconds > 0) {
            exchange.setProperty(RateLimits.REFUSED, SCOPE);
            refusals.accept(SCOPE);
            throw new TooManyRequests("Too many failed authentications from this address: try again later", seconds);
        }
    }

    /** Route step after the store looked the post's api_key up: a key it did not find counts against the address. */
    public void apiKeyLookedUp(Exchange exchange) {
        if (!(exchange.getMessage().getBody() instanceof Number)) {
            failed(exchange, "api_key");
        }
    }

    /** A failed authentication of the exchange's client; {@code credential} names what failed, never its value. */
    public void failed(Exchange exchange, String credential) {
        String client = exchange.getProperty(CLIENT, String.class);
        failed(client != null ? client : addresses.of(exchange), credential);
    }

    void failed(String address, String credential) {
        Window window = windows.get(address, ignored -> new Window());
        long now = nanoTime.getAsLong();
        int failures;
        long left;
        synchronized (window) {
            if (window.failures == 0 || now - window.start >= periodNanos) {
                window.start = now;
                window.failures = 0;
            }
            failures = ++window.failures;
            left = window.start + periodNanos - now;
        }
        if (failures == 1) {
            LOG.warn("Failed authentication from {} ({}): more from this address in the next {} s are counted, not logged",
                    address, credential, seconds(periodNanos));
        }
        if (failures == limit && refusing) {
            LOG.warn("Refusing {} for {} s after {} failed authentications ({} the last)", address, seconds(left), failures, credential);
        }
    }

    /** 0 if the address may authenticate, else the whole seconds until its period ends. */
    long secondsRefused(String address) {
        Window window = refusing ? windows.getIfPresent(address) : null;
        if (window == null) {
            return 0;
        }
        synchronized (window) {
            long left = window.start + periodNanos - nanoTime.getAsLong();
            return window.failures >= limit && left > 0 ? seconds(left) : 0;
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** An address's failures since the start of its current period. */
    private static final class Window {
        private long start;
        private int failures;
    }
}

package org.open311.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;

/**
 * At most {@code limit} calls per {@code period} for each client (an API key's hash, an address), in
 * this instance. One resilience4j limiter per client, kept in a Caffeine map that is bounded (a flood
 * of invented clients cannot fill the heap) and forgets clients idle for two periods (their budget
 * would be full again anyway).
 */
public final class ClientRateLimits {

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters;

    public ClientRateLimits(int limit, Duration period, long maxClients) {
        if (limit < 1 || period.isZero() || period.isNegative() || maxClients < 1) {
            throw new IllegalArgumentException("A rate limit needs a limit >= 1, a positive period and room for clients");
        }
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(period.multipliedBy(2))
                .build();
    }

    /** Takes one call from the client's budget: 0 if it may go on, else the whole seconds until it may try again. */
    public long secondsToWait(String client) {
        RateLimiter limiter = limiters.get(client, name -> RateLimiter.of("client", config));
        if (limiter.acquirePermission()) {
            return 0;
        }
        long nanos = ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}

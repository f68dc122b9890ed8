package org.open311.gateway.limits;

import org.open311.gateway.api.ApiException;

import java.util.List;
import java.util.Map;

/** 429 in GeoReport v2's error shape, with the Retry-After (seconds) the client should wait. */
public final class TooManyRequests extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequests(String description, long retryAfterSeconds) {
        super(429, List.of(description));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Map<String, String> responseHeaders() {
        return Map.of("Retry-After", String.valueOf(retryAfterSeconds));
    }
}

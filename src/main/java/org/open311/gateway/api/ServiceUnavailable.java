package org.open311.gateway.api;

import java.util.List;
import java.util.Map;

/** 503 in GeoReport v2's error shape, with the Retry-After (seconds) the client should wait: a passing outage of the store. */
public final class ServiceUnavailable extends ApiException {

    /** As long as the store's pool waits for a connection: a client trying again then meets a fresh attempt. */
    static final long STORE_RETRY_AFTER_SECONDS = 5;

    private final long retryAfterSeconds;

    public ServiceUnavailable(String description, long retryAfterSeconds) {
        super(503, List.of(description));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The store cannot be reached (public and admin API alike). */
    public static ServiceUnavailable store() {
        return new ServiceUnavailable("The service is temporarily unavailable. Please try again shortly.", STORE_RETRY_AFTER_SECONDS);
    }

    @Override
    public Map<String, String> responseHeaders() {
        return Map.of("Retry-After", String.valueOf(retryAfterSeconds));
    }
}

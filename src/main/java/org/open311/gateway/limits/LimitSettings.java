package org.open311.gateway.limits;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.GatewaySettings;

import java.time.Duration;

/** The abuse limits' settings ({@code gateway.rate-limit.*}, {@code gateway.http.*}; docs/configuration.md). */
public record LimitSettings(
        boolean rateLimitEnabled,
        Duration period,
        int postsPerKey,
        int readsPerAddress,
        long maxClients,
        int authFailuresPerAddress,
        Duration authFailurePeriod,
        String trustedProxies,
        long maxBodyBytes,
        long maxFormBodyBytes,
        Duration bodyTimeout,
        int idleTimeoutSeconds,
        int maxFormFieldBytes) {

    public static LimitSettings from(PropertiesComponent properties) {
        return new LimitSettings(
                Boolean.parseBoolean(value(properties, "gateway.rate-limit.enabled")),
                Duration.ofSeconds(Long.parseLong(value(properties, "gateway.rate-limit.period-seconds"))),
                Integer.parseInt(value(properties, "gateway.rate-limit.posts-per-key")),
                Integer.parseInt(value(properties, "gateway.rate-limit.reads-per-address")),
                Long.parseLong(value(properties, "gateway.rate-limit.max-clients")),
                Integer.parseInt(value(properties, "gateway.rate-limit.auth-failures-per-address")),
                Duration.ofSeconds(Long.parseLong(value(properties, "gateway.rate-limit.auth-failure-period-seconds"))),
                properties.resolveProperty("gateway.rate-limit.trusted-proxies").orElse("").trim(),
                Long.parseLong(value(properties, "camel.server.max-body-size")),
                Long.parseLong(value(properties, "gateway.http.max-form-body-bytes")),
                Duration.ofMillis(Long.parseLong(value(properties, "gateway.http.body-timeout-ms"))),
                Integer.parseInt(value(properties, "gateway.http.idle-timeout-seconds")),
                Integer.parseInt(value(properties, "gateway.http.max-form-field-bytes")));
    }

    /** Defaults live in application.properties only: a blank one stops the start naming it. */
    private static String value(PropertiesComponent properties, String key) {
        return GatewaySettings.required(properties, key);
    }
}

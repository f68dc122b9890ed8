package org.open311.gateway.limits;

import org.apache.camel.spi.PropertiesComponent;

import java.time.Duration;

/** The abuse limits' settings ({@code gateway.rate-limit.*}, {@code gateway.http.*}; docs/configuration.md). */
public record LimitSettings(
        boolean rateLimitEnabled,
        Duration period,
        int postsPerKey,
        int readsPerAddress,
        long maxClients,
        String trustedProxies,
        long maxBodyBytes,
        Duration bodyTimeout,
        int idleTimeoutSeconds,
        int maxFormFieldBytes) {

    public static LimitSettings from(PropertiesComponent properties) {
        return new LimitSettings(
                Boolean.parseBoolean(value(properties, "gateway.rate-limit.enabled", "true")),
                Duration.ofSeconds(Long.parseLong(value(properties, "gateway.rate-limit.period-seconds", "60"))),
                Integer.parseInt(value(properties, "gateway.rate-limit.posts-per-key", "1200")),
                Integer.parseInt(value(properties, "gateway.rate-limit.reads-per-address", "12000")),
                Long.parseLong(value(properties, "gateway.rate-limit.max-clients", "100000")),
                value(properties, "gateway.rate-limit.trusted-proxies", ""),
                Long.parseLong(value(properties, "camel.server.max-body-size", "55000000")),
                Duration.ofMillis(Long.parseLong(value(properties, "gateway.http.body-timeout-ms", "30000"))),
                Integer.parseInt(value(properties, "gateway.http.idle-timeout-seconds", "60")),
                Integer.parseInt(value(properties, "gateway.http.max-form-field-bytes", "65536")));
    }

    private static String value(PropertiesComponent properties, String key, String fallback) {
        String value = properties.resolveProperty(key).orElse("").trim();
        return value.isEmpty() ? fallback : value;
    }
}

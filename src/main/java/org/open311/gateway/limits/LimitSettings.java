package org.open311.gateway.limits;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.SettingsReader;

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

    /** Read where they are needed; {@link #read} has checked them before the gateway started. */
    public static LimitSettings from(PropertiesComponent properties) {
        SettingsReader settings = new SettingsReader(properties, key -> false, "");
        LimitSettings limits = read(settings);
        settings.check();
        return limits;
    }

    /** Reads the limits; a missing or unusable one is collected by the reader, named with what is expected. */
    public static LimitSettings read(SettingsReader settings) {
        return new LimitSettings(
                settings.flag("gateway.rate-limit.enabled"),
                Duration.ofSeconds(settings.wholeNumber("gateway.rate-limit.period-seconds", 1)),
                settings.integer("gateway.rate-limit.posts-per-key", 1),
                settings.integer("gateway.rate-limit.reads-per-address", 1),
                settings.wholeNumber("gateway.rate-limit.max-clients", 1),
                settings.integer("gateway.rate-limit.auth-failures-per-address", 1),
                Duration.ofSeconds(settings.wholeNumber("gateway.rate-limit.auth-failure-period-seconds", 1)),
                settings.optional("gateway.rate-limit.trusted-proxies"),
                settings.wholeNumber("camel.server.max-body-size", 1),
                settings.wholeNumber("gateway.http.max-form-body-bytes", 1),
                Duration.ofMillis(settings.wholeNumber("gateway.http.body-timeout-ms", 1)),
                settings.integer("gateway.http.idle-timeout-seconds", 1),
                settings.integer("gateway.http.max-form-field-bytes", 1));
    }
}

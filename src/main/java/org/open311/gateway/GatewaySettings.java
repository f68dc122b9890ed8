package org.open311.gateway;

import org.apache.camel.spi.PropertiesComponent;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.nio.file.Path;
import java.time.ZoneId;

/**
 * The gateway's own settings ({@code gateway.*} in application.properties). Each is overridable by an
 * environment variable of the same name upper-cased with dots and dashes as underscores, e.g.
 * {@code GATEWAY_MAPPINGS_DIR}; docs/configuration.md lists them all.
 */
public record GatewaySettings(
        Path mappingsDir,
        String basePath,
        String publicUrl,
        String discoveryChangeset,
        String discoveryContact,
        String discoveryKeyService,
        String environmentType,
        Database.Settings database,
        String demoApiKey,
        ZoneId timeZone,
        Path mediaDir,
        int mediaMaxFiles,
        long mediaMaxFileBytes,
        long renderedRequestsBytes) {

    public static GatewaySettings from(PropertiesComponent properties) {
        return new GatewaySettings(
                Path.of(required(properties, "gateway.mappings.dir")),
                required(properties, "gateway.base-path"),
                required(properties, "gateway.public-url"),
                required(properties, "gateway.discovery.changeset"),
                required(properties, "gateway.discovery.contact"),
                required(properties, "gateway.discovery.key-service"),
                required(properties, "gateway.discovery.type"),
                database(properties),
                optional(properties, "gateway.api-keys.demo"),
                ZoneId.of(required(properties, "gateway.time-zone")),
                Path.of(required(properties, "gateway.media.dir")),
                Integer.parseInt(required(properties, "gateway.media.max-files")),
                Long.parseLong(required(properties, "gateway.media.max-file-bytes")),
                Long.parseLong(required(properties, "gateway.requests.rendered-cache-mb")) * 1024 * 1024);
    }

    /** The store's settings, for the gateway and every command of the CLI alike (an H2 URL made durable). */
    public static Database.Settings database(PropertiesComponent properties) {
        return new Database.Settings(
                Database.durableUrl(required(properties, "gateway.db.url")),
                optional(properties, "gateway.db.user"),
                optional(properties, "gateway.db.password"),
                optional(properties, "gateway.db.schema"),
                Integer.parseInt(required(properties, "gateway.db.pool-size")),
                new StoreTimeouts(atLeast(properties, "gateway.db.connect-timeout-ms", StoreTimeouts.MINIMUM_MS),
                        atLeast(properties, "gateway.db.query-timeout-ms", StoreTimeouts.MINIMUM_MS)));
    }

    /** A whole number of at least {@code minimum}; anything else stops the start naming the setting. */
    public static long atLeast(PropertiesComponent properties, String key, long minimum) {
        String value = required(properties, key);
        try {
            long number = Long.parseLong(value);
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new SettingException("Setting " + key + " (environment variable " + SettingException.environmentVariable(key)
                + ") must be a whole number of at least " + minimum + ", was '" + value + "'");
    }

    /** The value of a setting that must be given; a start without it stops naming the setting. */
    public static String required(PropertiesComponent properties, String key) {
        String value = optional(properties, key);
        if (value.isBlank()) {
            throw SettingException.missing(key);
        }
        return value;
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }
}

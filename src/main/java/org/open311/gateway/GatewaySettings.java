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
        Path mappingsLastGoodDir,
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
        long renderedRequestsBytes,
        boolean migrateOnStart) {

    /** The demo API key README and docs publish: anyone may know it, so production never accepts it. */
    public static final String DOCUMENTED_DEMO_KEY = "open311-demo-key";

    /** Reads the gateway's own settings; problems are collected by the reader (see {@link SettingsReader#check()}). */
    public static GatewaySettings read(SettingsReader settings) {
        return new GatewaySettings(
                settings.path("gateway.mappings.dir", "the directory of services.yaml and statuses.yaml"),
                optionalPath(settings.optional("gateway.mappings.last-good-dir")),
                basePath(settings),
                settings.httpUrl("gateway.public-url", "the address clients reach the API at, e.g. https://open311.city.example/v1"),
                settings.text("gateway.discovery.changeset", "a date-time such as 2026-11-27T00:00:00Z"),
                settings.text("gateway.discovery.contact", "who client developers contact, e.g. a team and its e-mail address"),
                settings.text("gateway.discovery.key-service", "how a client developer gets an API key"),
                discoveryType(settings),
                database(settings),
                demoApiKey(settings),
                settings.zone("gateway.time-zone"),
                settings.path("gateway.media.dir", "the directory for uploaded photos"),
                settings.integer("gateway.media.max-files", 0),
                settings.wholeNumber("gateway.media.max-file-bytes", 1),
                settings.wholeNumber("gateway.requests.rendered-cache-mb", 0) * 1024 * 1024,
                settings.flag("gateway.db.migrate-on-start"));
    }

    /** The store's settings, for the gateway and every command of the CLI alike (an H2 URL made durable). */
    public static Database.Settings database(SettingsReader settings) {
        String url = settings.text("gateway.db.url", "the store's JDBC URL, e.g. jdbc:postgresql://db:5432/open311");
        boolean allowEmbedded = settings.flag("gateway.db.allow-embedded");
        if (url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length()) && !allowEmbedded) {
            settings.invalid("gateway.db.url", url, "the production store, e.g. jdbc:postgresql://db:5432/open311:"
                    + " an embedded H2 store needs gateway.db.allow-embedded=true (GATEWAY_DB_ALLOW_EMBEDDED)");
        }
        try {
            url = Database.durableUrl(url);
        } catch (SettingException e) {
            settings.problem(e.getMessage());
        }
        return new Database.Settings(
                url,
                settings.optional("gateway.db.user"),
                settings.optional("gateway.db.password"),
                settings.optional("gateway.db.schema"),
                settings.integer("gateway.db.pool-size", 1),
                new StoreTimeouts(settings.wholeNumber("gateway.db.connect-timeout-ms", StoreTimeouts.MINIMUM_MS),
                        settings.wholeNumber("gateway.db.query-timeout-ms", StoreTimeouts.MINIMUM_MS)));
    }

    private static String basePath(SettingsReader settings) {
        String path = settings.text("gateway.base-path", "the path the API answers under, e.g. /v1");
        if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/") || path.contains(" "))) {
            settings.invalid("gateway.base-path", path, "a path that starts with / and does not end with one, e.g. /v1");
        }
        return path;
    }

    private static String discoveryType(SettingsReader settings) {
        String type = settings.text("gateway.discovery.type", "production or test");
        if (!type.isEmpty() && !type.equals("production") && !type.equals("test")) {
            settings.invalid("gateway.discovery.type", type, "production or test");
        }
        return type;
    }

    /** The documented demo key is public: the prod profile refuses it, whatever else it is told. */
    private static String demoApiKey(SettingsReader settings) {
        String demo = settings.optional("gateway.api-keys.demo");
        if (settings.production() && demo.equals(DOCUMENTED_DEMO_KEY)) {
            settings.problem(SettingsReader.name("gateway.api-keys.demo") + " is the documented demo key, which anyone can read:"
                    + " expected it empty under the prod profile (create keys with `keys add`)");
        }
        return demo;
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

    /** A directory that may be left empty to turn its feature off: null then. */
    private static Path optionalPath(String value) {
        return value.isBlank() ? null : Path.of(value);
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }
}

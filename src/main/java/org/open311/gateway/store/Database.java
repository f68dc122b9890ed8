package org.open311.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.open311.gateway.SettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The pooled connection to the store, with its schema migrated at start-up. H2 (a file under ./data/)
 * by default, PostgreSQL in production: only the JDBC URL, user and password differ.
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";
    private static final String H2_PREFIX = "jdbc:h2:";

    private Database() {
    }

    /** Connections the pool keeps open while idle; it grows to gateway.db.pool-size under load. */
    static final int IDLE_CONNECTIONS = 4;

    public record Settings(String url, String user, String password, String schema, int poolSize,
                           StoreTimeouts timeouts) {
    }

    /** One migration as Flyway sees it in the database: applied, pending, failed, … */
    public record Migration(String version, String description, String state, boolean pending, boolean failed,
                            java.time.Instant installedOn) {
    }

    /** The schema's migrations and their state, read without changing anything (for {@code db status}). */
    public static java.util.List<Migration> status(Settings settings) {
        var configuration = Flyway.configure()
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations(MIGRATIONS);
        if (!settings.schema().isBlank()) {
            configuration.schemas(settings.schema()).defaultSchema(settings.schema());
        }
        return java.util.Arrays.stream(configuration.load().info().all()).map(info -> new Migration(
                info.getVersion() == null ? "" : info.getVersion().getVersion(), info.getDescription(),
                info.getState().getDisplayName(), info.getState() == org.flywaydb.core.api.MigrationState.PENDING,
                info.getState().isFailed(), info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant())).toList();
    }

    /**
     * The store's JDBC URL, made durable: H2 acknowledges a commit up to its {@code WRITE_DELAY} (500 ms by
     * default) before writing it, so a killed gateway lost posts it had answered. Every H2 URL that is
     * not in memory gets {@code WRITE_DELAY=0} unless it says so already; one that sets another value is
     * refused, naming the setting (H2 keeps the value in the database file, so it would stay). Other
     * databases' URLs are returned as they are.
     */
    public static String durableUrl(String url) {
        if (!url.regionMatches(true, 0, H2_PREFIX, 0, H2_PREFIX.length())) {
            return url;
        }
        String[] parts = url.split(";");
        String database = parts[0].substring(H2_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (database.startsWith("mem:") || database.contains("/mem:")) {
            return url;
        }
        boolean durable = false;
        for (int i = 1; i < parts.length; i++) {
            String[] setting = parts[i].split("=", 2);
            if (setting[0].trim().equalsIgnoreCase("WRITE_DELAY")) {
                String delay = setting.length > 1 ? setting[1].trim() : "";
                if (!delay.equals("0")) {
                    throw new SettingException("gateway.db.url (environment variable " + SettingException.environmentVariable("gateway.db.url")
                            + ") sets WRITE_DELAY=" + delay + ": an H2 store must write each commit before the gateway answers,"
                            + " or a killed gateway loses requests it accepted. Leave WRITE_DELAY out (the gateway sets 0) or set it to 0.");
                }
                durable = true;
            }
        }
        return durable ? url : url + (url.endsWith(";") ? "" : ";") + "WRITE_DELAY=0";
    }

    /** A store whose schema is behind (or broken): only {@code db migrate} (or a migrating start) changes it. */
    public static final class SchemaNotCurrent extends RuntimeException {
        SchemaNotCurrent(String message) {
            super(message);
        }
    }

    /** What {@code db migrate} did: the migrations it applied now, and the version the schema is at. */
    public record Migrated(java.util.List<String> applied, String version) {
    }

    /** Opens the pool and brings the schema up to date; fails the start if the database is unusable. */
    public static HikariDataSource open(Settings settings) {
        return open(settings, true);
    }

    /**
     * Opens the pool on a schema that must already be up to date: the commands other than {@code db migrate},
     * and a start with {@code gateway.db.migrate-on-start=false}. A schema that is behind is left as it is.
     */
    public static HikariDataSource openCurrent(Settings settings) {
        return open(settings, false);
    }

    private static HikariDataSource open(Settings settings, boolean migrate) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("store");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        // the pool is sized for every forwarding thread at once (gateway.db.pool-size is checked against the back
        // ends' concurrency), but holds only a few idle: several instances share PostgreSQL's max_connections
        config.setMinimumIdle(Math.min(settings.poolSize(), IDLE_CONNECTIONS));
        settings.timeouts().applyTo(config, settings.url());
        if (!settings.schema().isBlank()) {
            config.setSchema(settings.schema());
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        StoreTimeouts timeouts = settings.timeouts();
        LOG.info("Store waits at most {} ms for a connection and {} ms for a statement: a step that meets a store"
                + " not answering fails within {} ms (503)", timeouts.connectMs(), timeouts.queryMs(), timeouts.stepBoundMs());
        try {
            if (migrate) {
                migrate(settings);
            } else {
                requireCurrent(settings);
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /**
     * Migrates on a connection of its own, without the pool's statement and socket timeouts: a migration
     * may rightly run longer than any API statement (an index built over a large table).
     */
    public static Migrated migrate(Settings settings) {
        var result = flyway(settings).migrate();
        String version = result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion;
        LOG.info("Store schema at version {} ({} migrations applied now)", version, result.migrationsExecuted);
        return new Migrated(result.migrations.stream().map(applied -> applied.version + " " + applied.description).toList(),
                version == null ? "none" : version);
    }

    /** Refuses a schema with a pending or failed migration, saying what to do, and changes nothing. */
    static void requireCurrent(Settings settings) {
        var info = flyway(settings).info();
        if (java.util.Arrays.stream(info.all()).anyMatch(migration -> migration.getState().isFailed())) {
            throw new SchemaNotCurrent("A migration of the store's schema failed: see `db status`, repair the database, then run `db migrate`");
        }
        var pending = info.pending();
        if (pending.length > 0) {
            String current = info.current() == null || info.current().getVersion() == null ? "none (an empty store)"
                    : info.current().getVersion().getVersion();
            throw new SchemaNotCurrent("The store's schema is at version " + current + ", this gateway needs "
                    + pending[pending.length - 1].getVersion().getVersion() + ": run `db migrate`");
        }
    }

    private static Flyway flyway(Settings settings) {
        var configuration = Flyway.configure()
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations(MIGRATIONS);
        if (!settings.schema().isBlank()) {
            configuration.schemas(settings.schema()).defaultSchema(settings.schema()).createSchemas(true);
        }
        return configuration.load();
    }
}

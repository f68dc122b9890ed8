package org.open311.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connection to the store, with its schema migrated at start-up. H2 (a file under ./data/)
 * by default, PostgreSQL in production: only the JDBC URL, user and password differ.
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";

    private Database() {
    }

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

    /** Opens the pool and brings the schema up to date; fails the start if the database is unusable. */
    public static HikariDataSource open(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("store");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        settings.timeouts().applyTo(config, settings.url());
        if (!settings.schema().isBlank()) {
            config.setSchema(settings.schema());
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        StoreTimeouts timeouts = settings.timeouts();
        LOG.info("Store waits at most {} ms for a connection and {} ms for a statement: a step that meets a store"
                + " not answering fails within {} ms (503)", timeouts.connectMs(), timeouts.queryMs(), timeouts.stepBoundMs());
        try {
            migrate(settings);
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
    static void migrate(Settings settings) {
        var configuration = Flyway.configure()
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations(MIGRATIONS);
        if (!settings.schema().isBlank()) {
            configuration.schemas(settings.schema()).defaultSchema(settings.schema()).createSchemas(true);
        }
        var result = configuration.load().migrate();
        LOG.info("Store schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}

package org.open311.gateway;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A fresh store of one kind, migrated step by step by a migration test (in its own schema on PostgreSQL). */
public final class MigratingStore {

    private final Properties store;

    public MigratingStore(TestDatabase database) {
        this.store = database.freshStore();
    }

    /** Flyway over the gateway's migrations, up to {@code target} (null: the latest). */
    public Flyway flyway(String target) {
        var configuration = Flyway.configure().dataSource(url(), user(), "").locations("classpath:db/migration");
        String schema = schema();
        if (!schema.isBlank()) {
            configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }

    public void migrateTo(String target) {
        flyway(target).migrate();
    }

    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url(), user(), "");
        if (!schema().isBlank()) {
            connection.setSchema(schema());
        }
        return connection;
    }

    private String schema() {
        return store.getProperty("gateway.db.schema", "");
    }

    private String url() {
        return store.getProperty("gateway.db.url");
    }

    private String user() {
        return store.getProperty("gateway.db.user");
    }
}

package org.open311.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.UUID;

/** The databases the store tests run on: H2 always, PostgreSQL when one is reachable (required in CI). */
public enum TestDatabase {
    H2, POSTGRES;

    static final String POSTGRES_URL = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    static final String POSTGRES_USER = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", "postgres");

    /** Settings for a fresh, empty store of this kind. */
    public Properties freshStore() {
        Properties settings = new Properties();
        try {
            if (this == H2) {
                Path dir = Files.createTempDirectory("open311-h2");
                settings.put("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
                settings.put("gateway.db.user", "sa");
            } else {
                settings.put("gateway.db.url", POSTGRES_URL);
                settings.put("gateway.db.user", POSTGRES_USER);
                settings.put("gateway.db.schema", "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        settings.put("gateway.db.password", "");
        return settings;
    }

    static boolean postgresReachable() {
        try (var connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether a PostgreSQL test may run here: reachable, or required (then it fails loudly if not). */
    public static boolean postgresUsable() {
        return postgresReachable() || postgresRequired();
    }

    /** .ci/run sets GATEWAY_TEST_POSTGRES=required so that CI fails rather than skips without PostgreSQL. */
    static boolean postgresRequired() {
        return "required".equals(System.getenv("GATEWAY_TEST_POSTGRES"));
    }
}

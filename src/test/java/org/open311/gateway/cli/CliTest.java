package org.open311.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.store.ApiKeys;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as an operator uses it: exit codes and what it prints. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        Properties overrides = new Properties();
        overrides.put("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, overrides, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void keysAreAddedListedAndRevokedAndOnlyTheirHashIsStored() throws Exception {
        Run added = run("keys", "add", "--name", "Helsinki app (Acme Oy)");
        assertThat(added.exitCode()).isEqualTo(0);
        String key = added.out().lines().reduce((first, second) -> second).orElseThrow().trim();
        assertThat(key).hasSizeGreaterThanOrEqualTo(40);

        Run listed = run("keys", "list");
        assertThat(listed.exitCode()).isEqualTo(0);
        assertThat(listed.out()).contains("Helsinki app (Acme Oy)").doesNotContain(key);

        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("open311"), "sa", "");
             ResultSet rows = connection.createStatement().executeQuery("SELECT id, name, key_hash, revoked_at FROM api_key")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("key_hash")).isEqualTo(ApiKeys.hash(key)).isNotEqualTo(key);
            assertThat(rows.getObject("revoked_at")).isNull();
            long id = rows.getLong("id");

            Run revoked = run("keys", "revoke", String.valueOf(id));
            assertThat(revoked.exitCode()).isEqualTo(0);
            assertThat(run("keys", "list").out()).containsPattern("Helsinki app \\(Acme Oy\\)\\s+\\S+\\s+\\d{4}-");
            assertThat(run("keys", "revoke", String.valueOf(id)).exitCode()).isEqualTo(1);
        }
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("keys", "add").exitCode()).isEqualTo(2);
        assertThat(run("keys", "revoke", "not-a-number").exitCode()).isEqualTo(2);
    }

    @Test
    void dbMigrateBringsTheSchemaUpToDate() {
        Run migrated = run("db", "migrate");

        assertThat(migrated.exitCode()).as(migrated.err()).isEqualTo(0);
        assertThat(migrated.out()).contains("up to date");
    }

    @Test
    void mappingsAreValidatedWithoutAServer() throws Exception {
        Run valid = run("mappings", "validate", "mappings");
        assertThat(valid.exitCode()).isEqualTo(0);
        assertThat(valid.out()).startsWith("Valid: ");

        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"),
                Files.readString(fixture.resolve("services.yaml")).replace("        datatype: number\n", ""));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));
        Run invalid = run("mappings", "validate", dir.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("services.yaml: service '100' (services[0]) field attributes[1].datatype: required");
    }
}

package org.open311.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.store.ApiKeys;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        assertThat(run("db", "migrate").exitCode()).isEqualTo(0);
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
    void commandsOpenAnH2StoreDurablyAndRefuseAnotherWriteDelay() throws Exception {
        assertThat(run("db", "migrate").exitCode()).isEqualTo(0);
        // H2 keeps the setting in the database file: the CLI's URL (without WRITE_DELAY) made it 0
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("open311"), "sa", "");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("0");
        }

        Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
        for (String[] command : new String[][]{{"keys", "list"}, {"db", "status"}, {"dead-letters", "list"}, {"import", empty.toString()}}) {
            Properties overrides = new Properties();
            overrides.put("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311") + ";WRITE_DELAY=500");
            StringWriter err = new StringWriter();
            int code = Cli.run(command, overrides, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(code).as(String.join(" ", command)).isEqualTo(1);
            assertThat(err.toString()).contains("gateway.db.url", "GATEWAY_DB_URL", "WRITE_DELAY=500");
        }
    }

    /** The prod profile's settings come before the embedded defaults for commands too: no silent H2 file in production. */
    @Test
    void underTheProdProfileACommandWithoutTheStoreNamedStopsAndCreatesNothing() throws Exception {
        System.setProperty("camel.main.profile", "prod");
        Path workingDirData = Path.of("data/open311.mv.db");
        boolean existedBefore = java.nio.file.Files.exists(workingDirData);
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Cli.run(new String[]{"keys", "list"}, new Properties(), new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("gateway.db.url (GATEWAY_DB_URL) is missing");
            assertThat(java.nio.file.Files.exists(workingDirData)).as("no embedded store created").isEqualTo(existedBefore);
        } finally {
            System.clearProperty("camel.main.profile");
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
        assertThat(migrated.out()).startsWith("Applied " + MIGRATIONS + " migration(s):" + System.lineSeparator()
                        + "  1 service requests and api keys")
                .contains("The store's schema is up to date at version " + LATEST + ".");

        Run again = run("db", "migrate");
        assertThat(again.out()).isEqualTo("Nothing to apply: the store's schema is up to date at version " + LATEST + "."
                + System.lineSeparator());
    }

    /** The migrations the gateway ships: counted, so that a new one does not break this test. */
    private static final long MIGRATIONS = shippedMigrations();
    /** The highest version shipped (numbers taken by branches not yet merged leave gaps, so not the count). */
    private static final long LATEST = latestMigration();

    private static long latestMigration() {
        long latest = 0;
        for (Path dir : new Path[]{Path.of("src/main/resources/db/migration"), Path.of("src/main/java/db/migration")}) {
            try (var files = Files.list(dir)) {
                latest = Math.max(latest, files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V\\d+__.*"))
                        .mapToLong(name -> Long.parseLong(name.substring(1, name.indexOf("__")))).max().orElse(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return latest;
    }

    private static long shippedMigrations() {
        // SQL migrations, and the Java ones (db.migration) for what SQL cannot write the same on H2 and PostgreSQL
        return migrations(Path.of("src/main/resources/db/migration"), "V\\d+__.*\\.sql")
                + migrations(Path.of("src/main/java/db/migration"), "V\\d+__.*\\.java");
    }

    private static long migrations(Path dir, String pattern) {
        try (var files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().matches(pattern)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void commandsOtherThanDbMigrateLeaveABehindSchemaAsItIsAndSaySo() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
        for (String[] command : new String[][]{{"keys", "list"}, {"keys", "add", "--name", "x"}, {"dead-letters", "list"},
                {"dead-letters", "retry", "--all"}, {"import", empty.toString()}}) {
            Run run = run(command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(run.err()).as(String.join(" ", command)).contains(
                    "The store's schema is at version none (an empty store), this gateway needs " + LATEST + ": run `db migrate`");
        }
        Run status = run("db", "status");
        assertThat(status.out()).as("nothing was migrated").doesNotContain("Success");
        assertThat(status.err()).contains(MIGRATIONS + " migration(s) pending");
    }

    @Test
    void versionPrintsTheBuildsVersionAndAnUnknownCommandIsAUsageError() {
        Run version = run("--version");
        assertThat(version.exitCode()).isEqualTo(0);
        assertThat(version.out().trim()).matches("open311-gateway \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run("keyz", "list").exitCode()).isEqualTo(2);
    }

    @Test
    void mappingsAreValidatedWithoutAServer() throws Exception {
        Run valid = run("mappings", "validate", "mappings");
        assertThat(valid.exitCode()).isEqualTo(0);
        assertThat(valid.out()).startsWith("Valid: ");
        assertThat(valid.err()).as("the shipped catalogue takes posts without attributes").isEmpty();

        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"),
                Files.readString(fixture.resolve("services.yaml")).replace("        datatype: number\n", ""));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));
        Run invalid = run("mappings", "validate", dir.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("services.yaml:29:9: service '100' (services[0]) field attributes[1].datatype: required");
    }

    @Test
    void validateRefusesAnUnquotedNumberWhereTextBelongsWithItsLineAndColumn() throws Exception {
        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"), Files.readString(fixture.resolve("services.yaml")).replace("code: \"200\"", "code: 0300"));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));

        Run invalid = run("mappings", "validate", dir.toString());

        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err()).isEqualTo("services.yaml:34:11: service '0300' (services[1]) field code: write it in quotes: \"0300\""
                + " (unquoted, YAML reads it as a number, not as text)" + System.lineSeparator());
    }

    @Test
    void validateWithTheStoreFlagsADeletedCodeThatStoredRequestsUse() throws Exception {
        assertThat(run("db", "migrate").exitCode()).isEqualTo(0);
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("open311"), "sa", "")) {
            connection.createStatement().executeUpdate("INSERT INTO service_request (id, service_code, description, status,"
                    + " detailed_status, published, requested_at, updated_at) VALUES ('GW-1', '200', 'Tags on the wall', 'open',"
                    + " 'RECEIVED', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        String services = Files.readString(fixture.resolve("services.yaml"));
        String graffiti = services.substring(services.indexOf("  - code: \"200\""), services.indexOf("  - code: \"300\""));
        Files.writeString(mappings.resolve("services.yaml"), services.replace(graffiti, ""));
        Files.copy(fixture.resolve("statuses.yaml"), mappings.resolve("statuses.yaml"));

        assertThat(run("mappings", "validate", mappings.toString()).exitCode()).as("without the store nothing shows it").isEqualTo(0);
        Run deleted = run("mappings", "validate", "--store", mappings.toString());
        assertThat(deleted.exitCode()).isEqualTo(1);
        assertThat(deleted.err()).isEqualTo("services.yaml: service '200': deleted, but 1 stored request use it: put the entry back"
                + " with active: false to retire it (never delete a code)" + System.lineSeparator());

        Files.writeString(mappings.resolve("services.yaml"), services.replace("  - code: \"200\"\n", "  - code: \"200\"\n    active: false\n"));
        Run retired = run("mappings", "validate", "--store", mappings.toString());
        assertThat(retired.exitCode()).as(retired.err()).isEqualTo(0);
        assertThat(retired.out()).startsWith("Valid: 4 services (2 active), version ").contains("every service code stored requests use is in the files");
    }

    @Test
    void dbStatusListsPendingMigrationsAndFailsUntilTheyAreApplied() {
        Run before = run("db", "status");
        assertThat(before.exitCode()).as(before.err()).isEqualTo(1);
        assertThat(before.out()).containsPattern("(?m)^1\\s+service requests and api keys\\s+Pending\\s+-$");
        assertThat(before.err()).contains("migration(s) pending: run `db migrate`");

        assertThat(run("db", "migrate").exitCode()).isEqualTo(0);

        Run after = run("db", "status");
        assertThat(after.exitCode()).as(after.err()).isEqualTo(0);
        assertThat(after.out()).containsPattern("(?m)^1\\s+service requests and api keys\\s+Success\\s+\\d{4}-")
                .doesNotContain("Pending").contains("The store's schema is up to date: ");
        assertThat(after.err()).isEmpty();
    }

    @Test
    void thePreviewPrintsTheCatalogueAsClientsSeeItInEachLanguage() {
        Run preview = run("mappings", "validate", "--preview", "src/test/resources/fixtures/mappings");

        assertThat(preview.exitCode()).as(preview.err()).isEqualTo(0);
        // valid, but the cost of its required attribute is named for the CRM admin
        assertThat(preview.err()).isEqualTo("Warning: service '100' attribute 'size' is required: apps written to the city's"
                + " API document send no attributes, so each of their posts to this service is refused"
                + " (docs/mappings.md#what-a-required-attribute-costs)" + System.lineSeparator());
        assertThat(preview.out()).startsWith("Valid: 4 services (3 active)")
                .contains("== Catalogue in fi (locale=fi)", "== Catalogue in sv (locale=sv)", "== Catalogue in en (locale=en)");
        String finnish = section(preview.out(), "fi");
        assertThat(finnish).contains("100  Kuoppa kadussa\n", "    group:       Kadut\n", "    keywords:    kuoppa,asfaltti\n",
                "    routed to:   CRM STREETS, Aspa POTHOLE_REPAIR\n",
                "      1. depth (number): Syvyys [Senttimetreinä]\n",
                "      2. size (singlevaluelist, required): Kuinka suuri?\n", "           small = Pieni\n", "           large = Suuri\n",
                "200  Töhryt\n", "    routed to:   CRM CLEANING\n", "    shown in English (no fi text): description\n")
                .doesNotContain("300  ", "Vanha puistopalvelu");
        assertThat(section(preview.out(), "sv")).contains("100  Grop i gatan\n", "           large = Large\n",
                "    shown in English (no sv text): attributes.size.values.large, attributes.depth.description\n");
        assertThat(section(preview.out(), "en")).contains("100  Pothole\n").doesNotContain("shown in English");
    }

    @Test
    void thePreviewOfOneLanguageAndItsMistakes() throws Exception {
        Run swedish = run("mappings", "validate", "--locale", "SV", "src/test/resources/fixtures/mappings");
        assertThat(swedish.exitCode()).isEqualTo(0);
        assertThat(swedish.out()).contains("== Catalogue in sv").doesNotContain("== Catalogue in fi", "== Catalogue in en");

        Run german = run("mappings", "validate", "--locale", "de", "src/test/resources/fixtures/mappings");
        assertThat(german.exitCode()).isEqualTo(2);
        assertThat(german.err()).startsWith("--locale: use fi, sv or en, not 'de'");

        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"), Files.readString(fixture.resolve("services.yaml")).replace("en: Pothole}", "fi: Kuoppa}"));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));
        Run invalid = run("mappings", "validate", "--preview", dir.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).doesNotContain("== Catalogue");
        assertThat(invalid.err()).contains("services.yaml:11:50: service '100' (services[0]) field name.fi: key 'fi' given twice");
    }

    /** One language's part of the preview. */
    private static String section(String out, String language) {
        int start = out.indexOf("== Catalogue in " + language);
        int end = out.indexOf("== Catalogue in ", start + 1);
        return out.substring(start, end < 0 ? out.length() : end);
    }
}

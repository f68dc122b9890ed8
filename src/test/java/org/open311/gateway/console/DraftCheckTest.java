package org.open311.gateway.console;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.cli.CataloguePreview;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A pasted services.yaml gets the CLI's answer: the same problems with line and column, or the same preview; no file changes. */
class DraftCheckTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/mappings");
    private HikariDataSource store;
    private DraftCheck check;

    @BeforeEach
    void storeWithARequest() throws Exception {
        store = Database.open(new Database.Settings("jdbc:h2:mem:draft-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", "", 2,
                StoreTimeouts.defaults()));
        try (Connection connection = store.getConnection(); Statement insert = connection.createStatement()) {
            insert.executeUpdate("INSERT INTO service_request (id, service_code, description, status, detailed_status, published,"
                    + " requested_at, updated_at) VALUES ('r1', '200', 'd', 'open', 'RECEIVED', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        check = new DraftCheck(FIXTURE, store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aValidDraftGetsTheCliPreview() throws Exception {
        String services = Files.readString(FIXTURE.resolve("services.yaml"));
        DraftCheck.Result result = check.check(services, Language.SV);
        assertThat(result.valid()).isTrue();
        assertThat(result.problems()).isEmpty();
        assertThat(result.summary()).startsWith("Valid: ").contains("every service code stored requests use is in the files");
        StringWriter cli = new StringWriter();
        try (PrintWriter out = new PrintWriter(cli)) {
            new CataloguePreview(new LiveCatalogue(FIXTURE).current()).print(Language.SV, out);
        }
        assertThat(result.preview()).isEqualTo(cli.toString()).contains("== Catalogue in sv");
    }

    @Test
    void aBrokenDraftIsAnsweredWithEachProblemsLineAndColumn() throws Exception {
        String services = Files.readString(FIXTURE.resolve("services.yaml"));
        String broken = services.replace("routing: {crm_category: CLEANING}", "routing: {}");
        long line = services.substring(0, services.indexOf("routing: {crm_category: CLEANING}")).lines().count();
        DraftCheck.Result result = check.check(broken, Language.FI);
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(problem ->
                assertThat(problem).startsWith("services.yaml:" + line + ":").contains("crm_category"));
        assertThat(Files.readString(FIXTURE.resolve("services.yaml"))).as("no file written").isEqualTo(services);
    }

    @Test
    void aDraftThatDeletesACodeInUseIsRefusedAsTheStoreCheckRefusesIt() throws Exception {
        DraftCheck.Result result = check.check("services: []\n", Language.FI);
        assertThat(result.valid()).isFalse();
        assertThat(String.join("\n", result.problems())).contains("services.yaml");
    }

    @Test
    void notYamlAtAllIsAProblemNotAFailure() throws Exception {
        DraftCheck.Result result = check.check("services: [\n  - {", Language.EN);
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("services.yaml"));
    }
}

package org.open311.gateway;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.catalogue.MappingException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid mappings without a last good copy stop the start with a message an admin can act on; the server never comes up. */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void productionProfileHasNoDemoKey() throws Exception {
        Main main = Application.gateway();
        main.configure().setProfile("prod");
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.backend.crm.url", "http://localhost:1/crm");
        main.addOverrideProperty("gateway.backend.crm.token", "t");
        main.addOverrideProperty("gateway.backend.aspa.url", "http://localhost:1/aspa");
        main.addOverrideProperty("gateway.backend.aspa.api-key", "k");
        main.addOverrideProperty("gateway.db.allow-embedded", "true");
        main.addOverrideProperty("gateway.public-url", "https://open311.city.example/v1");
        main.addOverrideProperty("gateway.discovery.contact", "City of Example, open311@city.example");
        main.addOverrideProperty("gateway.discovery.key-service", "Write to open311@city.example");
        try {
            main.start();
            javax.sql.DataSource store = main.getCamelContext().getRegistry().lookupByNameAndType("store", javax.sql.DataSource.class);
            assertThat(new org.open311.gateway.store.ApiKeyAdmin(store).list()).isEmpty();
        } finally {
            main.stop();
        }
    }

    @Test
    void productionWithoutBackEndAddressesStopsNamingTheVariable() throws Exception {
        Main main = Application.gateway();
        main.configure().setProfile("prod");
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        try {
            assertThatThrownBy(main::start).satisfies(failure -> assertThat(Application.findOperatorMistake(failure).getMessage())
                    .contains("gateway.backend.crm.url (GATEWAY_BACKEND_CRM_URL) is missing: expected the CRM API's base URL"));
        } finally {
            main.stop();
        }
    }

    @Test
    void aGiveUpTimeThatIsNotAPositiveNumberOfHoursStopsTheStartNamingIt() throws Exception {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.forwarding.give-up-after-hours", "0");
        try {
            assertThatThrownBy(main::start).satisfies(failure -> assertThat(Application.findOperatorMistake(failure))
                    .hasMessage("1 setting is missing or invalid (docs/configuration.md):" + System.lineSeparator()
                            + "  - gateway.forwarding.give-up-after-hours (GATEWAY_FORWARDING_GIVE_UP_AFTER_HOURS) = '0':"
                            + " expected a whole number from 1 to 2147483647"));
        } finally {
            main.stop();
        }
    }

    @Test
    void embeddedRunHasTheDocumentedDemoKey() throws Exception {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        try {
            main.start();
            javax.sql.DataSource store = main.getCamelContext().getRegistry().lookupByNameAndType("store", javax.sql.DataSource.class);
            assertThat(new org.open311.gateway.store.ApiKeyAdmin(store).list()).hasSize(1);
            assertThat(new org.open311.gateway.store.ApiKeyAdmin(store).ensure("again", "open311-demo-key")).isFalse();
        } finally {
            main.stop();
        }
    }

    @Test
    void anH2StoreWhoseUrlSaysNothingOfWriteDelayWritesEachCommitAtOnce() throws Exception {
        Main main = Application.gateway();
        // the URL docs/configuration.md used to give as the default, on a new database
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311") + ";AUTO_SERVER=TRUE");
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.enabled", "false");
        try {
            main.start();
            javax.sql.DataSource store = main.getCamelContext().getRegistry().lookupByNameAndType("store", javax.sql.DataSource.class);
            try (var connection = store.getConnection(); var rows = connection.createStatement().executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).as("H2's write delay in ms").isEqualTo("0");
            }
        } finally {
            main.stop();
        }
    }

    @Test
    void anH2UrlWithAnotherWriteDelayStopsTheStartNamingTheSetting() throws Exception {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311") + ";WRITE_DELAY=500");
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));
        try {
            assertThatThrownBy(main::start).satisfies(failure -> assertThat(Application.findOperatorMistake(failure))
                    .hasMessageContaining("  - gateway.db.url (environment variable GATEWAY_DB_URL) sets WRITE_DELAY=500"));
            assertThat(Files.exists(dir.resolve("open311.mv.db"))).as("the store was not opened").isFalse();
        } finally {
            main.stop();
        }
    }

    @Test
    void invalidMappingsStopTheStart() throws Exception {
        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"),
                Files.readString(fixture.resolve("services.yaml")).replace("code: \"400\"", "code: \"200\""));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.mappings.dir", dir.toString());
        main.addOverrideProperty("gateway.mappings.last-good-dir", dir.resolve("no-copy-yet").toString());
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));

        try {
            assertThatThrownBy(main::start)
                    .satisfies(failure -> {
                        RuntimeException invalid = Application.findOperatorMistake(failure);
                        assertThat(invalid).isInstanceOf(MappingException.class);
                        assertThat(invalid.getMessage()).contains(
                                "services.yaml:47:11: service '200' (services[3]) field code: duplicate service code",
                                "no last good copy to start from (gateway.mappings.last-good-dir: " + dir.resolve("no-copy-yet")
                                        + "): fix services.yaml and statuses.yaml in " + dir);
                    });
            assertThat(main.getCamelContext() == null || !main.getCamelContext().isStarted()).isTrue();
        } finally {
            main.stop();
        }
    }
}

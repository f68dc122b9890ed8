package org.open311.gateway;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.observe.SecretFiles;
import org.open311.gateway.observe.SecretMasking;
import org.open311.gateway.store.ApiKeyAdmin;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings are checked all at once before anything starts, and the prod profile is safe by default:
 * it names its store, its public address and contact texts, and never accepts the documented demo key.
 */
class SettingsCheckTest {

    @TempDir
    Path dir;

    @Test
    void productionWithoutItsStoreAddressAndTextsStopsListingEachMissingSetting() {
        Main main = gateway("prod");
        assertThat(startFailure(main)).contains(
                "gateway.db.url (GATEWAY_DB_URL) is missing: expected the store's JDBC URL, e.g. jdbc:postgresql://db:5432/open311",
                "gateway.public-url (GATEWAY_PUBLIC_URL) is missing",
                "gateway.discovery.contact (GATEWAY_DISCOVERY_CONTACT) is missing",
                "gateway.discovery.key-service (GATEWAY_DISCOVERY_KEY_SERVICE) is missing",
                "gateway.backend.crm.url (GATEWAY_BACKEND_CRM_URL) is missing",
                "gateway.backend.crm.token (GATEWAY_BACKEND_CRM_TOKEN) is missing",
                "gateway.backend.aspa.url (GATEWAY_BACKEND_ASPA_URL) is missing",
                "gateway.backend.aspa.api-key (GATEWAY_BACKEND_ASPA_API_KEY) is missing")
                .startsWith("8 settings are missing or invalid");
    }

    @Test
    void productionRefusesAnEmbeddedStoreUnlessAllowed() {
        Main main = production();
        main.addOverrideProperty("gateway.db.allow-embedded", "false");
        assertThat(startFailure(main)).startsWith("1 setting is missing or invalid").contains(
                "gateway.db.url (GATEWAY_DB_URL) = 'jdbc:h2:file:" + dir.resolve("open311") + "': expected the production store",
                "needs gateway.db.allow-embedded=true (GATEWAY_DB_ALLOW_EMBEDDED)");
        assertThat(Files.exists(dir.resolve("open311.mv.db"))).as("no store was created").isFalse();
    }

    /** The operator's file (GATEWAY_CONFIG, here its system property) comes before the prod profile's defaults. */
    @Test
    void theOperatorsSettingsFileComesBeforeTheProfilesDefaults() throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "gateway.public-url = https://open311.city.example/v1\n"
                + "gateway.discovery.contact = City of Example, open311@city.example\n"
                + "gateway.shutdown.drain-timeout-ms = 30000\n");
        System.setProperty("gateway.config", file.toString());
        try {
            assertThat(startFailure(gateway("prod")))
                    .doesNotContain("gateway.public-url (GATEWAY_PUBLIC_URL) is missing", "gateway.discovery.contact (GATEWAY_DISCOVERY_CONTACT)")
                    .contains("gateway.discovery.key-service (GATEWAY_DISCOVERY_KEY_SERVICE) is missing")
                    .contains("gateway.shutdown.drain-timeout-ms (GATEWAY_SHUTDOWN_DRAIN_TIMEOUT_MS) (30000 ms)")
                    .startsWith("7 settings are missing or invalid");
        } finally {
            System.clearProperty("gateway.config");
        }
    }

    @Test
    void aSettingsFileThatCannotBeReadStopsTheStartNamingTheVariable() {
        System.setProperty("gateway.config", dir.resolve("no-such.properties").toString());
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(Application::gateway).isInstanceOf(SettingException.class)
                    .hasMessage("1 setting is missing or invalid (docs/configuration.md):" + lines(
                    "  - GATEWAY_CONFIG = '" + dir.resolve("no-such.properties") + "': expected a readable settings file (application.properties format)"));
        } finally {
            System.clearProperty("gateway.config");
        }
    }

    @Test
    void badValuesAreReportedAllAtOnceWithTheirVariableValueAndWhatIsExpected() {
        Main main = gateway("");
        main.addOverrideProperty("gateway.db.pool-size", "ten");
        main.addOverrideProperty("gateway.time-zone", "Helsinki");
        main.addOverrideProperty("gateway.backend.crm.url", "crm.city.example/api/v1");
        main.addOverrideProperty("gateway.rate-limit.enabled", "yes");
        assertThat(startFailure(main)).isEqualTo("4 settings are missing or invalid (docs/configuration.md):" + lines(
                "  - gateway.db.pool-size (GATEWAY_DB_POOL_SIZE) = 'ten': expected a whole number from 1 to 2147483647",
                "  - gateway.time-zone (GATEWAY_TIME_ZONE) = 'Helsinki': expected a time-zone id such as Europe/Helsinki (or UTC, +02:00)",
                "  - gateway.backend.crm.url (GATEWAY_BACKEND_CRM_URL) = 'crm.city.example/api/v1': expected the CRM API's base URL:"
                        + " an absolute http:// or https:// URL, e.g. https://host.example/path",
                "  - gateway.rate-limit.enabled (GATEWAY_RATE_LIMIT_ENABLED) = 'yes': expected true or false"));
        assertThat(Files.exists(dir.resolve("open311.mv.db"))).as("nothing started: no store was opened").isFalse();
    }

    @Test
    void badBrowserAndCacheSettingsAreReportedWithWhatIsExpected() {
        Main main = gateway("");
        main.addOverrideProperty("gateway.cors.allowed-origins", "https://www.hel.fi/palaute");
        main.addOverrideProperty("gateway.http.compression-level", "11");
        main.addOverrideProperty("gateway.http.requests-max-age-seconds", "-1");
        assertThat(startFailure(main)).startsWith("3 settings are missing or invalid").contains(
                "gateway.cors.allowed-origins (GATEWAY_CORS_ALLOWED_ORIGINS) = 'https://www.hel.fi/palaute': expected * (any origin),"
                        + " or comma-separated origins",
                "gateway.http.compression-level (GATEWAY_HTTP_COMPRESSION_LEVEL) = '11': expected a whole number from 0 to 9",
                "gateway.http.requests-max-age-seconds (GATEWAY_HTTP_REQUESTS_MAX_AGE_SECONDS) = '-1'");
    }

    @Test
    void theBackEndsSettingsBeforeTheyWereSpecsAreRefusedNamingTheirReplacement() {
        Main main = gateway("");
        main.addOverrideProperty("gateway.crm.url", "http://crm.city.example/api/v1");
        main.addOverrideProperty("gateway.aspa.api-key", "old-key");
        assertThat(startFailure(main)).startsWith("2 settings are missing or invalid").contains(
                "gateway.aspa.api-key is no longer read: back ends are configured as gateway.backends and gateway.backend.<name>.*;"
                        + " set gateway.backend.aspa.api-key instead",
                "gateway.crm.url is no longer read: back ends are configured as gateway.backends and gateway.backend.<name>.*;"
                        + " set gateway.backend.crm.url instead");
    }

    @Test
    void aBackEndOfAnUnknownKindOrAskedForByAnUnknownOneIsRefused() {
        Main main = gateway("");
        main.addOverrideProperty("gateway.backends", "crm,aspa,Legacy");
        main.addOverrideProperty("gateway.backend.aspa.kind", "work-orders");
        main.addOverrideProperty("gateway.backend.aspa.requested-by", "cmr");
        assertThat(startFailure(main)).contains(
                "gateway.backends (GATEWAY_BACKENDS) = 'Legacy': expected distinct names of lower-case letters, digits and '-'",
                "gateway.backend.aspa.kind (GATEWAY_BACKEND_ASPA_KIND) = 'work-orders': expected one of feedback-crm, aspa",
                "gateway.backend.aspa.requested-by (GATEWAY_BACKEND_ASPA_REQUESTED_BY) = 'cmr': expected the name of another back end");
    }

    @Test
    void aPoolSmallerThanTheBackEndsPollsIsRefusedNamingTheSetting() {
        // the CRM's and Aspa's forwarding polls and feeds, and the API: a pool of 5 would leave polls unrecorded
        Main main = gateway("");
        main.addOverrideProperty("gateway.db.pool-size", "5");
        assertThat(startFailure(main)).startsWith("1 setting is missing or invalid").contains(
                "gateway.db.pool-size = 5: expected at least 8, a forwarding poll and a feed for each back end (4 in all)"
                        + " and 4 for the API: raise it");
    }

    @Test
    void aClaimShorterThanTheSlowestBatchIsRefusedNamingTheSettings() {
        // 20 requests in waves of 2, each send up to 2 x 5 s: 100 s, longer than the 60 s claim
        Main main = gateway("");
        main.addOverrideProperty("gateway.backend.crm.concurrency", "2");
        assertThat(startFailure(main)).startsWith("1 setting is missing or invalid").contains(
                "gateway.forwarding.claim-seconds = 60: expected more than 100 s, the longest a batch of gateway.forwarding.batch-size = 20"
                        + " can take to gateway.backend.crm (in waves of its concurrency = 2, each send up to twice its timeout-ms = 5000)");
    }

    @Test
    void aSecretsValueIsNeverShownOnlyItsLength() {
        DefaultCamelContext context = new DefaultCamelContext(false);
        SettingsReader settings = new SettingsReader(context.getPropertiesComponent(), key -> key.endsWith("password"), "");
        settings.invalid("gateway.db.password", "hunter2-hunter2", "something else");
        assertThat(settings.problems()).containsExactly(
                "gateway.db.password (GATEWAY_DB_PASSWORD) = (secret, 15 characters): expected something else");
    }

    @Test
    void productionRefusesTheDocumentedDemoKeyAsItsSetting() {
        Main main = production();
        main.addOverrideProperty("gateway.api-keys.demo", "open311-demo-key");
        assertThat(startFailure(main)).contains("gateway.api-keys.demo (GATEWAY_API_KEYS_DEMO) is the documented demo key")
                .doesNotContain("'open311-demo-key'");
    }

    @Test
    void theDemoKeyAStartWithoutTheProfileCreatedNeverAuthenticatesInProduction() throws Exception {
        Main embedded = gateway("");
        embedded.start();
        embedded.stop();

        Main main = production();
        int port = AvailablePortFinder.getNextAvailable();
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        try {
            main.start();
            DataSource store = main.getCamelContext().getRegistry().lookupByNameAndType("store", DataSource.class);
            assertThat(new ApiKeyAdmin(store).list()).singleElement().satisfies(key -> assertThat(key.revokedAt()).isNotNull());
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/v1/requests.json"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=open311-demo-key&service_code=191&description=Roskis"
                            + "&lat=60.17&long=24.94")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(403);
        } finally {
            main.stop();
        }
    }

    @Test
    void aSecretCanComeFromAFileNamedByItsVariableWithFileAppendedAndIsMaskedInLogs() throws Exception {
        Path secretFile = dir.resolve("db-password");
        Files.writeString(secretFile, "from-a-file-s3cret\n");
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.init();
        context.getPropertiesComponent().addInitialProperty("gateway.db.password", "");
        context.getPropertiesComponent().addInitialProperty("gateway.backend.crm.token", "t");
        context.getPropertiesComponent().addInitialProperty("gateway.backend.aspa.api-key", "k");

        List<String> problems = SecretFiles.apply(context.getPropertiesComponent(), Map.of(
                "GATEWAY_DB_PASSWORD_FILE", secretFile.toString(),
                "GATEWAY_BACKEND_CRM_TOKEN_FILE", dir.resolve("missing").toString(),
                "GATEWAY_BACKEND_ASPA_API_KEY", "k", "GATEWAY_BACKEND_ASPA_API_KEY_FILE", secretFile.toString()), key -> true);

        assertThat(context.getPropertiesComponent().resolveProperty("gateway.db.password")).contains("from-a-file-s3cret");
        assertThat(SecretMasking.mask("password from-a-file-s3cret")).isEqualTo("password " + SecretMasking.MASK);
        assertThat(problems).containsExactly(
                "gateway.backend.aspa.api-key (GATEWAY_BACKEND_ASPA_API_KEY_FILE): both GATEWAY_BACKEND_ASPA_API_KEY and GATEWAY_BACKEND_ASPA_API_KEY_FILE are set:"
                        + " expected one of them",
                "gateway.backend.crm.token (GATEWAY_BACKEND_CRM_TOKEN_FILE) = '" + dir.resolve("missing")
                        + "': expected a readable file holding the secret (NoSuchFileException)");
    }

    private static String lines(String... lines) {
        return System.lineSeparator() + String.join(System.lineSeparator(), lines);
    }

    /** The message an operator reads when this start fails. */
    private static String startFailure(Main main) {
        try {
            main.start();
        } catch (Exception failure) {
            RuntimeException mistake = Application.findOperatorMistake(failure);
            assertThat(mistake).as("an operator's mistake, named").isNotNull();
            return mistake.getMessage();
        } finally {
            main.stop();
        }
        throw new AssertionError("the gateway started");
    }

    /** A prod gateway with everything it needs but a real store: an embedded one, allowed explicitly. */
    private Main production() {
        return production(gateway("prod"), dir);
    }

    /** Gives a prod gateway every setting it needs, with an embedded store under {@code dir} (allowed explicitly). */
    static Main production(Main main, Path dir) {
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.db.allow-embedded", "true");
        main.addOverrideProperty("gateway.public-url", "https://open311.city.example/v1");
        main.addOverrideProperty("gateway.discovery.contact", "City of Example, open311@city.example");
        main.addOverrideProperty("gateway.discovery.key-service", "Write to open311@city.example");
        main.addOverrideProperty("gateway.backend.crm.url", "http://localhost:1/crm");
        main.addOverrideProperty("gateway.backend.crm.token", "crm-token");
        main.addOverrideProperty("gateway.backend.aspa.url", "http://localhost:1/aspa");
        main.addOverrideProperty("gateway.backend.aspa.api-key", "aspa-key");
        return main;
    }

    private Main gateway(String profile) {
        Main main = Application.gateway();
        if (!profile.isEmpty()) {
            main.configure().setProfile(profile);
        } else {
            main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
            main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
            main.addOverrideProperty("gateway.simulators.crm-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
            main.addOverrideProperty("gateway.simulators.aspa-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
            main.addOverrideProperty("gateway.simulators.open311-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        }
        main.addOverrideProperty("gateway.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.management-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        return main;
    }
}

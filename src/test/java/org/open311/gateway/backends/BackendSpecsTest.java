package org.open311.gateway.backends;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingsReader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** gateway.backends and gateway.backend.&lt;name&gt;.* read into specs, with what each leaves to the defaults. */
class BackendSpecsTest {

    private static SettingsReader settings(Map<String, String> values) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(Map.of(
                "gateway.forwarding.interval-ms", "1000", "gateway.forwarding.batch-size", "20",
                "gateway.forwarding.claim-seconds", "60", "gateway.forwarding.max-attempts", "10",
                "gateway.forwarding.first-retry-ms", "2000", "gateway.forwarding.max-retry-ms", "600000",
                "gateway.forwarding.give-up-after-hours", "72", "gateway.sync.interval-ms", "2000",
                "gateway.sync.page-size", "100", "gateway.sync.lease-seconds", "30"));
        properties.putAll(Map.of("gateway.circuit.failure-rate-percent", "50", "gateway.circuit.minimum-calls", "5",
                "gateway.circuit.open-seconds", "15"));
        properties.putAll(values);
        context.getPropertiesComponent().setInitialProperties(properties);
        return new SettingsReader(context.getPropertiesComponent(), key -> false, "");
    }

    @Test
    void eachBackEndIsItsOwnSpecInTheConfiguredOrder() {
        SettingsReader reader = settings(Map.ofEntries(
                Map.entry("gateway.backends", "city311, crm"),
                Map.entry("gateway.backend.crm.kind", "feedback-crm"),
                Map.entry("gateway.backend.crm.url", "https://crm.example/api"),
                Map.entry("gateway.backend.crm.token", "t"),
                Map.entry("gateway.backend.crm.timeout-ms", "5000"),
                Map.entry("gateway.backend.crm.skip-services", "191"),
                Map.entry("gateway.backend.city311.kind", "open311"),
                Map.entry("gateway.backend.city311.url", "https://old.example/v2"),
                Map.entry("gateway.backend.city311.api-key", "k"),
                Map.entry("gateway.backend.city311.timeout-ms", "3000"),
                Map.entry("gateway.backend.city311.concurrency", "4"),
                Map.entry("gateway.backend.city311.services", "191,192"),
                Map.entry("gateway.backend.city311.service-codes", "191=WASTE, 192=BENCH"),
                Map.entry("gateway.backend.city311.circuit.open-seconds", "60")));

        BackendBeans.Settings read = BackendBeans.read(reader);

        assertThat(reader.problems()).isEmpty();
        List<BackendSpec> specs = read.specs();
        assertThat(specs).extracting(BackendSpec::name).containsExactly("city311", "crm");
        BackendSpec city = specs.get(0);
        assertThat(city.kind()).isEqualTo(BackendKind.OPEN311);
        assertThat(city.vocabulary()).isEqualTo("open311");
        assertThat(city.concurrency()).isEqualTo(4);
        assertThat(city.services()).isEqualTo(Set.of("191", "192"));
        assertThat(city.remoteServiceCodes()).isEqualTo(Map.of("191", "WASTE", "192", "BENCH"));
        assertThat(city.circuit()).isEqualTo(new BackendSpec.Circuit(50, 5, Duration.ofSeconds(60)));
        BackendSpec crm = specs.get(1);
        assertThat(crm.concurrency()).isEqualTo(BackendBeans.DEFAULT_CONCURRENCY);
        assertThat(crm.receivesAtIntake("191")).isFalse();
        assertThat(crm.receivesAtIntake("171")).isTrue();
        assertThat(crm.circuit()).isEqualTo(new BackendSpec.Circuit(50, 5, Duration.ofSeconds(15)));
    }

    @Test
    void residentUpdatesGoToKindsThatTakeThemUnlessTurnedOffAndAreRefusedForOthers() {
        SettingsReader reader = settings(Map.ofEntries(Map.entry("gateway.backends", "crm, crm2, city311"),
                Map.entry("gateway.backend.crm.kind", "feedback-crm"), Map.entry("gateway.backend.crm.url", "https://crm.example"),
                Map.entry("gateway.backend.crm.token", "t"), Map.entry("gateway.backend.crm.timeout-ms", "5000"),
                Map.entry("gateway.backend.crm2.kind", "feedback-crm"), Map.entry("gateway.backend.crm2.url", "https://crm2.example"),
                Map.entry("gateway.backend.crm2.token", "t"), Map.entry("gateway.backend.crm2.timeout-ms", "5000"),
                Map.entry("gateway.backend.crm2.updates", "false"),
                Map.entry("gateway.backend.city311.kind", "open311"), Map.entry("gateway.backend.city311.url", "https://old.example/v2"),
                Map.entry("gateway.backend.city311.api-key", "k"), Map.entry("gateway.backend.city311.timeout-ms", "3000"),
                Map.entry("gateway.backend.city311.updates", "true")));

        List<BackendSpec> specs = BackendBeans.read(reader).specs();

        assertThat(specs).extracting(BackendSpec::updates).containsExactly(true, false, false);
        assertThat(reader.problems()).singleElement().asString().startsWith("gateway.backend.city311.updates")
                .contains("takes no residents' updates");
    }

    @Test
    void aServiceCodePairWithoutItsTwoHalvesIsRefusedNamingTheSetting() {
        SettingsReader reader = settings(Map.of("gateway.backends", "city311",
                "gateway.backend.city311.kind", "open311", "gateway.backend.city311.url", "https://old.example/v2",
                "gateway.backend.city311.api-key", "k", "gateway.backend.city311.timeout-ms", "3000",
                "gateway.backend.city311.service-codes", "191=WASTE,192"));

        BackendBeans.read(reader);

        assertThat(reader.problems()).singleElement().asString()
                .startsWith("gateway.backend.city311.service-codes (GATEWAY_BACKEND_CITY311_SERVICE_CODES) = '192': expected pairs");
    }

    @Test
    void theSlowestBatchIsItsWavesOfConcurrencyEachUpToTwoTimeouts() {
        BackendSpec spec = new BackendSpec("crm", BackendKind.FEEDBACK_CRM, "https://crm.example", "t", Duration.ofSeconds(5), "",
                Set.of(), Set.of(), null, "crm", 8, Map.of(), new BackendSpec.Circuit(50, 5, Duration.ofSeconds(15)));

        assertThat(BackendBeans.worstBatch(spec, 20)).isEqualTo(Duration.ofSeconds(30));
        assertThat(BackendBeans.worstBatch(spec, 8)).isEqualTo(Duration.ofSeconds(10));
    }
}

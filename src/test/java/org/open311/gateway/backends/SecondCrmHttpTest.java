package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second back end of an existing kind is configuration only: a second feedback CRM ("crm-east", its own
 * simulator) receives service 200, the first CRM every other service. Each request is forwarded to its
 * CRM, followed from that CRM's feed, and merged into the request clients read; one CRM answering too
 * slowly does not hold up the other.
 */
class SecondCrmHttpTest extends GatewayTestSupport {

    private static final String KEY = "second-crm-key";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static CrmSimulator east;

    @Override
    protected Properties settings() {
        try {
            if (east == null) {
                east = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), "east-token");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "500");
        settings.put("gateway.sync.interval-ms", "100");
        settings.put("gateway.circuit.open-seconds", "1");
        // the whole change: one more name and its spec
        settings.put("gateway.backends", "crm,crm-east,aspa");
        settings.put("gateway.backend.crm.skip-services", "200");
        settings.put("gateway.backend.crm-east.kind", "feedback-crm");
        settings.put("gateway.backend.crm-east.url", east.baseUrl());
        settings.put("gateway.backend.crm-east.token", "east-token");
        settings.put("gateway.backend.crm-east.timeout-ms", "1000");
        settings.put("gateway.backend.crm-east.services", "200");
        return settings;
    }

    @AfterAll
    static void stopEast() {
        if (east != null) {
            east.stop();
            east = null;
        }
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private String post(String serviceCode) {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "service_code", serviceCode,
                "description", "Töhryjä sillan kaiteessa ja roskia", "lat", "60.17", "long", "24.94");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get(0).path("service_request_id").asText();
    }

    private JsonNode request(String id) {
        return get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
    }

    @Test
    void eachCrmGetsItsServicesAndItsStatesAreFollowed() {
        String toEast = post("200");
        String toMain = post("191");

        JsonNode eastCase = await().atMost(WAIT).until(() -> east.caseByReference(toEast), Optional::isPresent).orElseThrow();
        await().atMost(WAIT).until(() -> crm().caseByReference(toMain).isPresent());
        assertThat(crm().caseByReference(toEast)).isEmpty();
        assertThat(east.caseByReference(toMain)).isEmpty();

        east.publish(eastCase.path("case_id").asText(), true);
        east.moveState(eastCase.path("case_id").asText(), "PROCESSED");

        await().atMost(WAIT).until(() -> request(toEast).path("status").asText().equals("closed"));
        assertThat(request(toEast).path("extended_attributes").path("detailed_status").asText()).isEqualTo("PROCESSED");
        assertThat(request(toMain).path("status").asText()).isEqualTo("open");
        assertThat(east.putCount(toEast)).isEqualTo(1);
    }

    @Test
    void oneCrmTooSlowDoesNotHoldUpTheOther() {
        east.faults("slow", 3000);
        try {
            String toEast = post("200");
            long posted = System.nanoTime();
            String toMain = post("191");

            await().atMost(WAIT).until(() -> crm().caseByReference(toMain).isPresent());
            assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofSeconds(3));
            String mainCase = crm().caseByReference(toMain).orElseThrow().path("case_id").asText();
            crm().moveState(mainCase, "IN_PROCESS");
            await().atMost(WAIT).until(() -> request(toMain).path("extended_attributes").path("detailed_status").asText()
                    .equals("IN_PROCESS"));
            assertThat(context.getRegistry().lookupByNameAndType("crmCircuitBreaker",
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.class).getState().name()).isEqualTo("CLOSED");
            assertThat(request(toEast).path("extended_attributes").path("detailed_status").asText()).isEqualTo("RECEIVED");
        } finally {
            east.faults("none", 0);
        }
    }
}

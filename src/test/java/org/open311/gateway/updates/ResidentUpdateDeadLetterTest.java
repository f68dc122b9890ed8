package org.open311.gateway.updates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resident's update the CRM keeps refusing becomes a dead letter like a request: the admin API lists it under its
 * request with its update_id, and the operator's retry of the request sends it, once.
 */
class ResidentUpdateDeadLetterTest extends GatewayTestSupport {

    private static final String KEY = "dead-update-key";
    private static final String ADMIN = "Bearer dead-update-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.admin.token", "dead-update-admin-token");
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.circuit.minimum-calls", "100");
        return settings;
    }

    @Test
    void aDeadUpdateIsListedWithItsIdAndSentOnceAfterTheOperatorsRetry() throws Exception {
        String id = postForm("/v1/requests.json", "api_key", KEY, "service_code", "191",
                "description", "Roskia joka puolella puistossa", "lat", "60.17", "long", "24.94")
                .json().get(0).path("service_request_id").asText();
        String caseId = await().atMost(WAIT).until(() -> crm().caseByReference(id), Optional::isPresent).orElseThrow()
                .path("case_id").asText();
        crm().faults("error", 0);
        String updateId = postForm("/v1/servicerequestupdates.json", "api_key", KEY, "service_request_id", id,
                "update_id", "dead-1", "status", "OPEN", "updated_datetime", Instant.now().toString(), "description", "Yhä roskia")
                .json().path("service_request_updates").get(0).path("update_id").asText();

        await().atMost(WAIT).until(() -> deadUpdate(updateId).isPresent());
        JsonNode dead = deadUpdate(updateId).orElseThrow();
        assertThat(dead.path("service_request_id").asText()).isEqualTo(id);
        assertThat(dead.path("backend").asText()).isEqualTo("crm");
        assertThat(dead.path("attempts").asInt()).isEqualTo(2);
        assertThat(dead.path("last_error").asText()).isEqualTo("HTTP 500");

        crm().faults("none", 0);
        HttpAnswer retried = admin("POST", "/admin/dead-letters/" + id + "/retry");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> crm().residentUpdates().stream().anyMatch(u -> u.path("update_id").asText().equals(updateId)));
        assertThat(deadUpdate(updateId)).isEmpty();
        assertThat(crm().residentUpdates()).filteredOn(u -> u.path("update_id").asText().equals(updateId)).singleElement()
                .satisfies(u -> {
                    assertThat(u.path("put_count").asInt()).isEqualTo(1);
                    assertThat(u.path("case_id").asText()).isEqualTo(caseId);
                });
    }

    private Optional<JsonNode> deadUpdate(String updateId) {
        HttpAnswer list = admin("GET", "/admin/dead-letters");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        for (JsonNode dead : list.json().path("dead_letters")) {
            if (dead.path("update_id").asText().equals(updateId)) {
                return Optional.of(dead);
            }
        }
        return Optional.empty();
    }

    private HttpAnswer admin(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", ADMIN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }
}

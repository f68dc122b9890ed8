package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A resident's update as the CRM takes it, and the CRM's answer read back. */
class CrmUpdateMappingTest {

    private final CrmUpdateMapping mapping = new CrmUpdateMapping();

    @Test
    void theUpdateGoesUnderItsCaseWithTheResidentsContactAndPhotos() throws Exception {
        Exchange exchange = sending(Map.of("id", "r1", "task_update_id", "u1", "task_remote_id", "CRM-000042",
                "update_status", "REOPEN", "update_description", "Yhä rikki", "update_email", "a@example.org",
                "update_media_urls", "[\"https://x.example/a.jpg\"]",
                "update_updated_datetime", OffsetDateTime.parse("2026-11-29T10:00:00+02:00"),
                "update_created_at", OffsetDateTime.parse("2026-11-29T08:00:01Z")));

        JsonNode body = new ObjectMapper().readTree(mapping.toUpdate(exchange));

        assertThat(exchange.getProperty(KindMapping.REFERENCE)).isEqualTo("CRM-000042/updates/u1");
        assertThat(body.path("update_id").asText()).isEqualTo("u1");
        assertThat(body.path("reference").asText()).isEqualTo("r1");
        assertThat(body.path("status").asText()).isEqualTo("REOPEN");
        assertThat(body.path("contact").path("email").asText()).isEqualTo("a@example.org");
        assertThat(body.path("attachments").get(0).path("url").asText()).isEqualTo("https://x.example/a.jpg");

        exchange.getMessage().setBody("{\"update_id\": \"u1\", \"case_id\": \"CRM-000042\"}");
        mapping.accepted(exchange);
        assertThat(exchange.getProperty(Forwarding.BACKEND_ID)).isEqualTo("CRM-000042/updates/u1");

        exchange.getMessage().setBody("{\"update_id\": \"u2\"}");
        assertThatThrownBy(() -> mapping.accepted(exchange)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutTheCasesIdTheSendFailsAndIsTriedAgain() {
        assertThatThrownBy(() -> mapping.toUpdate(sending(Map.of("id", "r1", "task_update_id", "u1"))))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Exchange sending(Map<String, Object> row) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(new HashMap<>(row));
        new Forwarding(new Forwarding.Settings(1, java.time.Duration.ofSeconds(1), 1, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(1)), null, null)
                .begin(exchange);
        return exchange;
    }
}

package org.open311.gateway.backends;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.cli.Cli;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.store.DeadLetters;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After its last retry a request becomes a dead letter; an operator lists it and sends it again. */
class DeadLetterTest extends GatewayTestSupport {

    private static String dbUrl;

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", "dead-key");
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.circuit.minimum-calls", "100");
        return settings;
    }

    @Test
    void deadLetterIsListedAndSentAgainOnTheOperatorsWord() throws Exception {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        DeadLetters deadLetters = new DeadLetters(context.getRegistry().lookupByNameAndType("store", DataSource.class));
        dbUrl = context.resolvePropertyPlaceholders("{{gateway.db.url}}");
        crm.faults("error", 0);
        String id = postForm("/v1/requests.json", "api_key", "dead-key", "service_code", "191",
                "description", "Roskia joka puolella puistossa", "lat", "60.17", "long", "24.94")
                .json().get(0).path("service_request_id").asText();

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list().stream().anyMatch(d -> d.requestId().equals(id)));
        DeadLetters.DeadLetter dead = deadLetters.list().stream().filter(d -> d.requestId().equals(id)).findFirst().orElseThrow();
        assertThat(dead.backend()).isEqualTo("crm");
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lastError()).isEqualTo("HTTP 500");
        assertThat(cli("dead-letters", "list")).contains(id, "HTTP 500");

        crm.faults("none", 0);
        assertThat(crm.caseByReference(id)).isEmpty();
        assertThat(cli("dead-letters", "retry", id)).contains("Scheduled again: 1");

        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(id).isPresent());
        assertThat(deadLetters.list()).noneMatch(d -> d.requestId().equals(id));
        assertThat(crm.putCount(id)).isEqualTo(1);
    }

    private String cli(String... args) {
        Properties overrides = new Properties();
        overrides.put("gateway.db.url", dbUrl);
        StringWriter out = new StringWriter();
        int code = Cli.run(args, overrides, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).as(out.toString()).isEqualTo(0);
        return out.toString();
    }
}

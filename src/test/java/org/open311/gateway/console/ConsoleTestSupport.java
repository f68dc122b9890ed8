package org.open311.gateway.console;

import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.store.DeadLetters;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/**
 * The real gateway for the console's tests: an admin token and an API key of the test's own, forwarding
 * that polls fast and gives up after one attempt, so a dead letter is one refused send away.
 */
abstract class ConsoleTestSupport extends GatewayTestSupport {

    /** The test's admin token and API key: methods, not fields, as Camel's test support asks for the settings in its constructor. */
    abstract String adminToken();

    abstract String apiKey();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.admin.token", adminToken());
        settings.put("gateway.api-keys.demo", apiKey());
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.max-attempts", "1");
        settings.put("gateway.sync.interval-ms", "200");
        settings.put("gateway.rate-limit.auth-failures-per-address", "1000");
        // no circuit opens: a send the CRM fails is an attempt, so one makes a dead letter (an open circuit skips sends)
        settings.put("gateway.circuit.minimum-calls", "100000");
        return settings;
    }

    CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    /** A request of the service the CRM refused (its simulator answering 500): dead after the one attempt allowed. */
    String deadLetter(String serviceCode) {
        crm().faults("error", 0);
        try {
            HttpAnswer posted = postForm("/v1/requests.json", "api_key", apiKey(), "service_code", serviceCode,
                    "description", "Dead letter for the console", "lat", "60.17", "long", "24.94", "email", "resident@example.org");
            String id = posted.json().get(0).path("service_request_id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterIds().contains(id));
            return id;
        } finally {
            crm().faults("none", 0);
        }
    }

    List<String> deadLetterIds() throws SQLException {
        return new DeadLetters(store()).list().stream().map(DeadLetters.DeadLetter::requestId).toList();
    }
}

package org.open311.gateway.observe;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.open311.gateway.CapturedLog;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator turns every logger to TRACE while a request with the resident's contact data is stored and
 * forwarded: nothing logged holds the contact data. camel-jdbc writes each bound value at TRACE ("Setting
 * parameter #12 with value: …") and the bean component each call's arguments; logback.xml's
 * {@link NoMessageContentAtTrace} keeps Camel's TRACE out, while its DEBUG still comes through.
 */
class TraceLogPrivacyHttpTest extends GatewayTestSupport {

    private static final String KEY = "trace-key";
    private static final String EMAIL = "liisa.trace@example.org";
    private static final String FIRST_NAME = "Liisatrace";
    private static final String LAST_NAME = "Jäljittäjä";
    private static final String PHONE = "+358401239876";

    @Override
    protected Properties settings() {
        return retriedFast(KEY);
    }

    @Test
    void contactDataNeverReachesTheLogEvenAtTrace() {
        CapturedLog log = CapturedLog.at(Level.TRACE);
        try (log) {
            HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "191",
                    "description", "Roska-astia on täynnä", "lat", "60.1699", "long", "24.9384",
                    "email", EMAIL, "first_name", FIRST_NAME, "last_name", LAST_NAME, "phone", PHONE);
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            String id = posted.json().get(0).path("service_request_id").asText();
            // stored (INSERT with every contact field bound), claimed, mapped and PUT to the CRM with them
            await().atMost(Duration.ofSeconds(30)).until(() -> crm().caseByReference(id), Optional::isPresent);
        }
        log.assertNoneContains(EMAIL, FIRST_NAME, LAST_NAME, PHONE, KEY);
        assertThat(log.events()).as("Camel's DEBUG is still written").anyMatch(event -> event.getLevel() == Level.DEBUG
                && event.getLoggerName().startsWith("org.apache.camel."));
        assertThat(log.events()).as("Camel's TRACE is not").noneMatch(event -> event.getLevel() == Level.TRACE
                && event.getLoggerName().startsWith("org.apache.camel"));
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }
}

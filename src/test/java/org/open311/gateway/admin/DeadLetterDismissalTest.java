package org.open311.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.cli.Cli;
import org.open311.gateway.observe.PrometheusText;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.store.DeadLetters;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request the CRM will never accept is dismissed by an operator, over the admin API and on the command
 * line: it leaves the dead-letter list, the health detail and the gauge (the alert stops), is not sent
 * again, and the audit listing keeps who dismissed it, when and why.
 */
abstract class DeadLetterDismissalTest extends GatewayTestSupport {

    private static final String TOKEN = "dismissal-admin-token";
    private static final String API_KEY = "dismissal-api-key";

    /** The store's settings as the gateway has them, for the command line. */
    private final Properties store = new Properties();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.admin.token", "another-admin-token," + TOKEN);
        settings.put("gateway.api-keys.demo", API_KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.circuit.minimum-calls", "100");
        settings.put("gateway.metrics.store-refresh-ms", "100");
        return settings;
    }

    @Test
    void dismissedDeadLettersLeaveTheAlertAndStayInTheAudit() throws Exception {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        DeadLetters deadLetters = new DeadLetters(context.getRegistry().lookupByNameAndType("store", DataSource.class));
        for (String key : new String[]{"gateway.db.url", "gateway.db.user", "gateway.db.password", "gateway.db.schema"}) {
            context.getPropertiesComponent().resolveProperty(key).ifPresent(value -> store.put(key, value));
        }
        String first;
        String second;
        crm.faults("error", 0);
        try {
            first = post();
            second = post();
            await().atMost(Duration.ofSeconds(20)).until(() -> crmDeadLetters().containsAll(List.of(first, second)));
        } finally {
            crm.faults("none", 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterGauge() == 2 && healthDeadLetters() == 2);

        // a reason is required, in a JSON object; nothing changes without one
        HttpAnswer noReason = dismiss(first, "{\"backend\":\"crm\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get(0).path("description").asText()).contains("reason");
        HttpAnswer notJson = dismiss(first, "reason=because");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get(0).path("description").asText()).contains("JSON");
        assertThat(dismiss(first, "{\"reason\":\"   \"}").status()).isEqualTo(400);
        assertThat(crmDeadLetters()).contains(first);
        assertThat(dismiss(first, "{\"reason\":\"no\",\"backend\":\"aspa\"}").status()).isEqualTo(404);

        HttpAnswer dismissed = dismiss(first, "{\"reason\":\"CRM refuses this category; handled by phone\",\"backend\":\"crm\"}");
        assertThat(dismissed.status()).as(dismissed.body()).isEqualTo(200);
        assertThat(dismissed.json().path("service_request_id").asText()).isEqualTo(first);
        assertThat(dismissed.json().path("dismissed").asInt()).isEqualTo(1);
        assertThat(dismissed.json().path("dismissed_by").asText()).isEqualTo("admin token 2");
        assertThat(crmDeadLetters()).doesNotContain(first).contains(second);
        assertThat(adminGet("/admin/dead-letters").json().path("dead_letters").toString()).doesNotContain(first).contains(second);
        HttpAnswer again = dismiss(first, "{\"reason\":\"twice\"}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get(0).path("description").asText()).isEqualTo("No dead letter for request '" + first + "'");

        // the command line: --reason is required (usage error, exit 2), then the second goes too
        assertThat(cli(2, "dead-letters", "dismiss", second)).isEmpty();
        assertThat(cli(0, "dead-letters", "dismiss", second, "--reason", "Duplicate of a phoned-in case", "--by", "operator Anna"))
                .contains("Dismissed: 1 (by operator Anna)");
        assertThat(cli(1, "dead-letters", "dismiss", second, "--reason", "again")).isEmpty();
        assertThat(cli(0, "dead-letters", "list")).doesNotContain(first, second);
        // a dismissed request is not a dead letter any more: retry finds none
        assertThat(cli(1, "dead-letters", "retry", second)).contains("Scheduled again: 0");

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterGauge() == 0 && healthDeadLetters() == 0);

        JsonNode audit = adminGet("/admin/dead-letters/dismissed").json().path("dismissed");
        JsonNode firstAudit = find(audit, first);
        assertThat(firstAudit.path("backend").asText()).isEqualTo("crm");
        assertThat(firstAudit.path("dismissed_by").asText()).isEqualTo("admin token 2");
        assertThat(firstAudit.path("reason").asText()).isEqualTo("CRM refuses this category; handled by phone");
        assertThat(firstAudit.path("last_error").asText()).isEqualTo("HTTP 500");
        assertThat(firstAudit.path("attempts").asInt()).isEqualTo(2);
        assertThat(Instant.parse(firstAudit.path("dismissed_at").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(find(audit, second).path("dismissed_by").asText()).isEqualTo("operator Anna");
        assertThat(audit.toString()).doesNotContain("resident@example.org");
        assertThat(cli(0, "dead-letters", "dismissed")).contains(first, second, "operator Anna", "admin token 2",
                "Duplicate of a phoned-in case");
        assertThat(deadLetters.dismissed()).hasSize(2);

        // never sent again, though the CRM answers now
        Thread.sleep(500);
        assertThat(crm.caseByReference(first)).isEmpty();
        assertThat(crm.caseByReference(second)).isEmpty();
    }

    private String post() {
        // a generous timeout: the first post of a cold gateway on a shared machine can be slow
        HttpAnswer posted = send(HttpRequest.newBuilder(uri("/v1/requests.json")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + API_KEY + "&service_code=191&lat=60.17&long=24.94"
                        + "&description=Roskia+joka+puolella+puistossa&email=resident%40example.org")).build());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private List<String> crmDeadLetters() throws Exception {
        return new DeadLetters(context.getRegistry().lookupByNameAndType("store", DataSource.class)).list().stream()
                .filter(d -> d.backend().equals("crm")).map(DeadLetters.DeadLetter::requestId).toList();
    }

    private HttpAnswer dismiss(String id, String body) {
        return send(HttpRequest.newBuilder(uri("/admin/dead-letters/" + id + "/dismiss")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpAnswer adminGet(String path) {
        HttpAnswer answer = get(path, "Authorization", "Bearer " + TOKEN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    private double deadLetterGauge() {
        return PrometheusText.scrape(managementPort()).sum("open311_outbox_dead_letters", "backend", "crm");
    }

    private long healthDeadLetters() {
        HttpAnswer health = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort()
                + "/observe/health?data=true")).build());
        for (JsonNode check : health.json().path("checks")) {
            if (check.path("name").asText().equals("crm")) {
                return check.path("data").path("dead_letters").asLong();
            }
        }
        throw new AssertionError("no crm check: " + health.body());
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("service_request_id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + list);
    }

    private String cli(int expectedExit, String... args) {
        Properties overrides = new Properties();
        overrides.putAll(store);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, overrides, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(out + " / " + err).isEqualTo(expectedExit);
        return out.toString();
    }
}

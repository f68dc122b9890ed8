package org.open311.gateway.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.backends.Notifications;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real answers of the admin API and the back-end notifications, each checked against the integration
 * document the gateway serves (openapi-integration.yaml) by the Atlassian validator; every operation of
 * the document must have been checked.
 */
class IntegrationOpenApiTest extends GatewayTestSupport {

    private static final String TOKEN = "integration-openapi-admin-token";
    private static final String KEY = "integration-openapi-key";
    private static final String SECRET = "integration-openapi-secret";

    private OpenApiInteractionValidator validator;
    private JsonNode document;
    private final Set<String> checked = new TreeSet<>();
    private final Set<String> refusedPaths = new TreeSet<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.admin.token", TOKEN);
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.backend.crm.notification-secret", SECRET);
        settings.put("gateway.backend.aspa.notification-secret", SECRET);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "200");
        settings.put("gateway.forwarding.max-attempts", "2");
        settings.put("gateway.circuit.minimum-calls", "100");
        return settings;
    }

    @BeforeEach
    void validatorFromTheServedDocument() throws Exception {
        if (validator != null) {
            return;
        }
        HttpAnswer yaml = get("/v1/openapi-integration.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        document = new YAMLMapper().readTree(yaml.body());
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("http://localhost:" + port());
        assertThat(new ObjectMapper().readTree(get("/v1/openapi-integration.json").body())).isEqualTo(document);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(yaml.body()).build();
    }

    @Test
    void adminAnswersMatchTheDocument() {
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        crm.faults("error", 0);
        String dead;
        try {
            dead = post();
            await().atMost(Duration.ofSeconds(20)).until(() -> admin("GET", "/admin/dead-letters").body().contains(dead));
        } finally {
            crm.faults("none", 0);
        }
        check("listDeadLetters", "GET", "/admin/dead-letters", admin("GET", "/admin/dead-letters"), 200);
        check("listDeadLetters", "GET", "/admin/dead-letters", send(HttpRequest.newBuilder(uri("/admin/dead-letters")).GET().build()), 401);
        check("retryDeadLetter", "POST", "/admin/dead-letters/" + dead + "/retry", admin("POST", "/admin/dead-letters/" + dead + "/retry"), 200);
        check("retryDeadLetter", "POST", "/admin/dead-letters/nosuch/retry", admin("POST", "/admin/dead-letters/nosuch/retry"), 404);
        check("retryAllDeadLetters", "POST", "/admin/dead-letters/retry", admin("POST", "/admin/dead-letters/retry"), 200);

        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(dead).isPresent());
        check("resyncRequest", "POST", "/admin/requests/" + dead + "/resync", admin("POST", "/admin/requests/" + dead + "/resync"), 200);
        check("resyncRequest", "POST", "/admin/requests/nosuch/resync", admin("POST", "/admin/requests/nosuch/resync"), 404);
        check("getMappings", "GET", "/admin/mappings", admin("GET", "/admin/mappings"), 200);
        check("reloadMappings", "POST", "/admin/mappings/reload", admin("POST", "/admin/mappings/reload"), 200);
    }

    @Test
    void notificationAnswersMatchTheDocument() {
        String id = post();
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(id).isPresent());
        String change = "{\"case_id\":\"" + crm.caseByReference(id).orElseThrow().path("case_id").asText() + "\",\"reference\":\""
                + id + "\",\"state\":\"IN_PROCESS\",\"published\":true,\"version\":1000,\"updated_at\":\"2026-11-27T12:00:00Z\"}";
        for (String backend : new String[]{"crm", "aspa"}) {
            String operation = backend.equals("crm") ? "pushCrmChange" : "pushAspaChange";
            String path = "/v1/backend/" + backend + "/notifications";
            check(operation, "POST", path, push(path, "{\"reference\":\"x\"}", true), 400);
            check(operation, "POST", path, push(path, change, false), 401);
            check(operation, "POST", path, send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString("<case/>")).build()), 415);
        }
        check("pushCrmChange", "POST", "/v1/backend/crm/notifications", push("/v1/backend/crm/notifications", change, true), 204);
        String workOrder = "{\"work_order_id\":\"WO-1\",\"reference\":\"no-such-request\",\"state\":\"NEW\",\"version\":1}";
        check("pushAspaChange", "POST", "/v1/backend/aspa/notifications", push("/v1/backend/aspa/notifications", workOrder, true), 204);
    }

    /** A method a path does not take is the document's 405 with Allow, on every path of the document. */
    @Test
    void wrongMethodsAreAnsweredAsTheDocumentSays() {
        refused("listDeadLetters", "GET", "/admin/dead-letters", "DELETE", "GET, HEAD, OPTIONS");
        refused("retryAllDeadLetters", "POST", "/admin/dead-letters/retry", "GET", "POST, OPTIONS");
        refused("retryDeadLetter", "POST", "/admin/dead-letters/abc/retry", "PUT", "POST, OPTIONS");
        refused("resyncRequest", "POST", "/admin/requests/abc/resync", "GET", "POST, OPTIONS");
        refused("getMappings", "GET", "/admin/mappings", "POST", "GET, HEAD, OPTIONS");
        refused("reloadMappings", "POST", "/admin/mappings/reload", "GET", "POST, OPTIONS");
        refused("pushCrmChange", "POST", "/v1/backend/crm/notifications", "GET", "POST, OPTIONS");
        refused("pushAspaChange", "POST", "/v1/backend/aspa/notifications", "PUT", "POST, OPTIONS");
        assertThat(refusedPaths).containsExactlyInAnyOrderElementsOf(() -> document.path("paths").fieldNames());
    }

    private void refused(String operationId, String documented, String path, String method, String allow) {
        HttpAnswer answer = admin(method, path);
        check(operationId, documented, path, answer, 405);
        assertThat(answer.raw().headers().firstValue("Allow")).as(method + " " + path).contains(allow);
        refusedPaths.add(path.replace("/abc/", "/{service_request_id}/"));
    }

    @AfterAll
    void everyOperationOfTheDocumentWasChecked() {
        if (checked.isEmpty()) {
            return; // a single test was run on its own
        }
        Set<String> operations = new TreeSet<>();
        document.path("paths").forEach(item -> item.forEach(operation -> operations.add(operation.path("operationId").asText())));
        assertThat(checked).containsAll(operations);
    }

    private String post() {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "description",
                "Kuoppa integraatiotestissä", "lat", "60.17", "long", "24.94", "attribute[size]", "small");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private HttpAnswer admin(String method, String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpAnswer push(String path, String body, boolean signed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signed) {
            request.header(Notifications.SIGNATURE_HEADER, "sha256=" + Notifications.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    private void check(String operationId, String method, String path, HttpAnswer answer, int status) {
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        if (!answer.body().isEmpty()) {
            response.withContentType(answer.contentType()).withBody(answer.body());
        }
        // the headers the document names (Allow, WWW-Authenticate, Retry-After) by their schemas
        answer.raw().headers().map().forEach(response::withHeader);
        if (status != 204) {
            assertThat(answer.raw().headers().firstValue("Cache-Control")).as(method + " " + path + " " + status).contains("no-store");
        }
        assertThat(validator.validateResponse(path, Request.Method.valueOf(method), response.build()).getMessages())
                .as(method + " " + path + " " + status + " against the document").isEmpty();
        checked.add(operationId);
    }
}

package org.open311.gateway.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Real requests to every operation of the public API, and its error answers, each checked against
 * the OpenAPI document the gateway itself serves: status, content type, the headers the document names
 * (ETag, Cache-Control, Last-Modified, Allow, Retry-After) and JSON body by the Atlassian validator (and
 * each successful GET's query parameters); XML bodies by {@link XmlShapeCheck} against the same schemas.
 * Every operation of the document must have been checked, and every path's 405.
 */
class OpenApiContractTest extends GatewayTestSupport {

    private static final String KEY = "openapi-test-key";
    private static final byte[] PNG = org.open311.gateway.TestImages.png();

    private OpenApiInteractionValidator validator;
    private JsonNode document;
    private final Set<String> checked = new TreeSet<>();
    private final Set<String> refusedMethods = new TreeSet<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.sync.interval-ms", "100");
        return settings;
    }

    /** Read once from the running gateway (which Camel's test support starts before each test, not before all). */
    private void readTheServedDocument() throws Exception {
        if (validator != null) {
            return;
        }
        HttpAnswer yaml = get("/v1/openapi.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        document = new YAMLMapper().readTree(yaml.body());
        assertThat(document.path("openapi").asText()).startsWith("3.0");
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("http://localhost:" + port() + "/v1");
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(yaml.body()).build();
    }

    @BeforeEach
    void validatorFromTheServedDocument() throws Exception {
        readTheServedDocument();
    }

    @Test
    void theJsonDocumentIsTheSameAsTheYamlOne() throws Exception {
        HttpAnswer json = check("getOpenApiJson", "GET", "/v1/openapi.json", get("/v1/openapi.json"));
        assertThat(new ObjectMapper().readTree(json.body())).isEqualTo(document);
        check("getOpenApiYaml", "GET", "/v1/openapi.yaml", get("/v1/openapi.yaml"));
    }

    @Test
    void catalogueAnswersMatchTheDocument() {
        for (String format : List.of("json", "xml")) {
            check("getDiscovery", "GET", "/v1/discovery." + format, get("/v1/discovery." + format));
            check("listServices", "GET", "/v1/services." + format, get("/v1/services." + format + "?locale=fi"));
            check("getServiceDefinition", "GET", "/v1/services/171." + format, get("/v1/services/171." + format + "?locale=sv_SE"));
            check("getServiceDefinition", "GET", "/v1/services/no-such." + format, get("/v1/services/no-such." + format), 404);
        }
        check("listServices", "GET", "/v1/services.html", get("/v1/services.html"), 400);
    }

    @Test
    void postedReadAndListedRequestsMatchTheDocument() {
        String id = null;
        for (String format : List.of("json", "xml")) {
            HttpAnswer posted = check("postRequest", "POST", "/v1/requests." + format, postForm("/v1/requests." + format,
                    "api_key", KEY, "service_code", "171", "description", "Syvä kuoppa pyörätiellä", "lat", "60.1841",
                    "long", "24.9519", "attribute[size]", "large", "email", "resident@example.org"));
            id = format.equals("json") ? posted.json().get(0).path("service_request_id").asText()
                    : posted.xpath("/service_requests/request/service_request_id").get(0);
        }
        String posted = id;
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(posted).isPresent());
        crm.publish(crm.caseByReference(posted).orElseThrow().path("case_id").asText(), true);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !get("/v1/requests/" + posted + ".json?extensions=true").json().get(0)
                        .path("extended_attributes").path("tasks").isEmpty()
                        && get("/v1/requests.json").json().size() == 1);

        for (String format : List.of("json", "xml")) {
            String path = "/v1/requests/" + posted + "." + format;
            HttpAnswer read = check("getRequest", "GET", path, get(path));
            List<String> addressIdAndZipCode = format.equals("json")
                    ? List.of(read.json().get(0).path("address_id").asText("missing"), read.json().get(0).path("zip_code").asText("missing"))
                    : List.of(read.xpath("/service_requests/request/address_id").get(0), read.xpath("/service_requests/request/zip_code").get(0));
            assertThat(addressIdAndZipCode).containsExactly("", "");
            check("getRequest", "GET", path, get(path + "?extensions=true&locale=fi"));
            String list = "/v1/requests." + format;
            assertThat(check("listRequests", "GET", list, get(list + "?extensions=true")).body()).contains(posted);
            check("listRequests", "GET", list, get(list + "?status=open&service_code=171&lat=60.18&long=24.95&radius=500"));
            // W3C date profiles, and lat/long without radius filtering nothing
            java.time.LocalDate today = java.time.LocalDate.now();
            assertThat(check("listRequests", "GET", list, get(list + "?start_date=" + today.minusDays(1).toString().substring(0, 7)
                    + "&end_date=" + today.plusDays(2) + "&updated_after=2000&lat=10&long=10")).body()).contains(posted);
            check("listRequests", "GET", list, get(list + "?start_date=2026-05-01T11:02"), 400);
            check("listRequests", "GET", list, get(list + "?radius=500"), 400);
            check("listRequests", "GET", list, get(list + "?service_code=999"), 404);
            check("listRequests", "GET", list, get(list + "?page_size=5000&status=unknown"), 400);
            check("getRequest", "GET", "/v1/requests/nosuchrequest." + format, get("/v1/requests/nosuchrequest." + format), 404);
            check("getToken", "GET", "/v1/tokens/abc." + format, get("/v1/tokens/abc." + format), 404);
        }

        // the published request's updates (mySociety's extension)
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/servicerequestupdates.json").body().contains(posted));
        for (String format : List.of("json", "xml")) {
            String updates = "/v1/servicerequestupdates." + format;
            assertThat(check("listServiceRequestUpdates", "GET", updates, get(updates + "?jurisdiction_id=helsinki")).body())
                    .contains(posted);
            notModified("listServiceRequestUpdates", updates, "?jurisdiction_id=helsinki");
            check("listServiceRequestUpdates", "GET", updates, get(updates + "?start_date=2026-01-01T08:00:00Z&end_date=2026-01-02T10:00:00Z"
                    + "&page_size=10&page=2&api_key=" + KEY));
            check("listServiceRequestUpdates", "GET", updates, get(updates + "?start_date=2026-01-01&end_date=2026-03-01"), 400);
        }
    }

    @Test
    void multipartPostsAndTheirPhotosMatchTheDocument() {
        HttpAnswer posted = check("postRequest", "POST", "/v1/requests.json", postMultipart("/v1/requests.json", List.of(
                field("api_key", KEY), field("service_code", "190"), field("description", "Töhryjä sillan kaiteessa"),
                field("lat", "60.17"), field("long", "24.94"), field("attribute[offensive]", "no"),
                file("media[]", "photo.png", PNG))));
        String id = posted.json().get(0).path("service_request_id").asText();
        String url = get("/v1/requests/" + id + ".json?extensions=true").json().get(0)
                .path("extended_attributes").path("media_urls").get(0).asText();
        String mediaPath = url.substring(url.indexOf("/v1/media/"));

        HttpAnswer photo = check("getMedia", "GET", mediaPath, get(mediaPath));
        assertThat(photo.contentType()).isEqualTo("image/png");
        check("getMedia", "GET", "/v1/media/0123456789abcdef0123456789abcdef.png",
                get("/v1/media/0123456789abcdef0123456789abcdef.png"), 404);
    }

    @Test
    void refusedPostsMatchTheDocument() {
        for (String format : List.of("json", "xml")) {
            String path = "/v1/requests." + format;
            check("postRequest", "POST", path, postForm(path, "service_code", "171", "description", "Missing key here"), 403);
            check("postRequest", "POST", path, postForm(path, "api_key", KEY, "service_code", "171", "description", "short",
                    "lat", "99", "lng", "24.9"), 400);
            check("postRequest", "POST", path, postForm(path, "api_key", KEY, "service_code", "999", "description",
                    "No such service code", "lat", "60.17", "long", "24.94"), 404);
            check("postRequest", "POST", path, send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 415);
        }
    }

    /**
     * media_url values joined by commas, as a client generated without the document's encoding sends an
     * array, pass for one valid URL: refused with a 400 that says what to do, and nothing stored.
     */
    @Test
    void commaJoinedMediaUrlsAreRefusedNotStored() throws Exception {
        for (String format : List.of("json", "xml")) {
            String path = "/v1/requests." + format;
            HttpAnswer refused = check("postRequest", "POST", path, postForm(path, "api_key", KEY, "service_code", "171",
                    "description", "Kuoppa, kaksi kuvaa", "lat", "60.17", "long", "24.94", "attribute[size]", "small",
                    "media_url", "https://photos.example.org/a.jpg,https://photos.example.org/b.jpg"), 400);
            List<String> errors = format.equals("json")
                    ? refused.json().findValuesAsText("description") : refused.xpath("/errors/error/description");
            assertThat(errors).containsExactly("media_url: send one URL per media_url field, not several joined by commas");
        }
        javax.sql.DataSource store = context.getRegistry().lookupByNameAndType("store", javax.sql.DataSource.class);
        try (var connection = store.getConnection(); var query = connection.prepareStatement(
                "SELECT COUNT(*) FROM service_request WHERE description = 'Kuoppa, kaksi kuvaa'");
             var rows = query.executeQuery()) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void idempotentRetriesMatchTheDocument() {
        for (String format : List.of("json", "xml")) {
            String path = "/v1/requests." + format;
            Map<String, String> key = Map.of("Idempotency-Key", "\"openapi-" + format + "\"");
            String[] fields = {"api_key", KEY, "service_code", "171", "description", "Kuoppa, lähetetty kahdesti",
                    "lat", "60.17", "long", "24.94", "attribute[size]", "small"};
            String first = check("postRequest", "POST", path, postForm(path, key, fields)).body();
            assertThat(check("postRequest", "POST", path, postForm(path, key, fields)).body()).isEqualTo(first);
            fields[5] = "Kuoppa, mutta eri teksti";
            check("postRequest", "POST", path, postForm(path, key, fields), 422);
            check("postRequest", "POST", path, postForm(path, Map.of("Idempotency-Key", "not one token"), fields), 400);
        }
    }

    /**
     * Every cacheable GET's ETag, sent back as If-None-Match, gets the document's 304: no body, the same ETag
     * and the Cache-Control of its 200 (and a request's Last-Modified). Photos and this document have no ETag.
     */
    @Test
    void conditionalGetsAreAnsweredAsTheDocumentSays() {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171",
                "description", "Kuoppa, joka ei muutu", "lat", "60.17", "long", "24.94");
        String id = posted.json().get(0).path("service_request_id").asText();
        for (String format : List.of("json", "xml")) {
            notModified("getDiscovery", "/v1/discovery." + format, "");
            notModified("listServices", "/v1/services." + format, "?locale=fi");
            notModified("getServiceDefinition", "/v1/services/171." + format, "?locale=sv");
            HttpAnswer request = notModified("getRequest", "/v1/requests/" + id + "." + format, "?extensions=true");
            assertThat(request.raw().headers().firstValue("Last-Modified")).isPresent();
            notModified("listRequests", "/v1/requests." + format, "?service_request_id=" + id);
            notModified("listRequests", "/v1/requests." + format, "?service_code=172&page_size=5");
        }
        String media = "/v1/media/" + mediaOf(id(postMultipart("/v1/requests.json", List.of(field("api_key", KEY),
                field("service_code", "190"), field("description", "Töhryjä sillan kaiteessa"), field("lat", "60.17"),
                field("long", "24.94"), file("media", "photo.png", PNG)))));
        for (String noValidator : List.of(media, "/v1/openapi.yaml", "/v1/openapi.json")) {
            HttpAnswer answer = get(noValidator, "If-None-Match", "*");
            assertThat(answer.status()).as(noValidator).isEqualTo(200);
            assertThat(answer.raw().headers().firstValue("ETag")).as(noValidator).isEmpty();
        }
        assertThat(check("getMedia", "GET", media, get(media)).raw().headers().firstValue("Cache-Control"))
                .contains("public, max-age=31536000, immutable");
    }

    @Test
    void postedUpdatesMatchTheDocument() {
        HttpAnswer request = check("postRequest", "POST", "/v1/requests.json", postForm("/v1/requests.json",
                "api_key", KEY, "service_code", "171", "description", "Syvä kuoppa pyörätiellä", "lat", "60.1841",
                "long", "24.9519", "attribute[size]", "large"));
        String id = id(request);
        for (String format : List.of("json", "xml")) {
            String path = "/v1/servicerequestupdates." + format;
            check("postServiceRequestUpdate", "POST", path, postForm(path, "api_key", KEY, "service_request_id", id,
                    "update_id", "contract-" + format, "status", "OPEN", "updated_datetime", "2026-05-01T10:00:00+03:00",
                    "description", "Kuoppa on isompi", "email", "resident@example.org"));
            check("postServiceRequestUpdate", "POST", path, postForm(path, "api_key", KEY, "service_request_id", id), 400);
            check("postServiceRequestUpdate", "POST", path, postForm(path, "service_request_id", id), 403);
            check("postServiceRequestUpdate", "POST", path, postForm(path, "api_key", KEY, "service_request_id",
                    "0000000000000000000a", "update_id", "contract-unknown", "status", "OPEN", "updated_datetime",
                    "2026-05-01T10:00:00Z", "description", ""), 404);
        }
    }

    /** A method a path does not take is the document's 405 (Allow, the error shape), on every path of the document. */
    @Test
    void wrongMethodsAreAnsweredAsTheDocumentSays() {
        for (String format : List.of("json", "xml")) {
            refused("getDiscovery", "/v1/discovery." + format, "POST", "GET, HEAD, OPTIONS");
            refused("listServices", "/v1/services." + format, "DELETE", "GET, HEAD, OPTIONS");
            refused("getServiceDefinition", "/v1/services/171." + format, "PUT", "GET, HEAD, OPTIONS");
            refused("listRequests", "/v1/requests." + format, "PUT", "GET, HEAD, POST, OPTIONS");
            refused("getRequest", "/v1/requests/abc." + format, "POST", "GET, HEAD, OPTIONS");
            refused("getToken", "/v1/tokens/abc." + format, "DELETE", "GET, HEAD, OPTIONS");
            refused("listServiceRequestUpdates", "/v1/servicerequestupdates." + format, "PUT", "GET, HEAD, POST, OPTIONS");
        }
        refused("getMedia", "/v1/media/0123456789abcdef0123456789abcdef.png", "POST", "GET, HEAD, OPTIONS");
        refused("getOpenApiYaml", "/v1/openapi.yaml", "PUT", "GET, HEAD, OPTIONS");
        refused("getOpenApiJson", "/v1/openapi.json", "POST", "GET, HEAD, OPTIONS");

        HttpAnswer options = send(HttpRequest.newBuilder(uri("/v1/requests.json"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.raw().headers().firstValue("Allow")).contains("GET, HEAD, POST, OPTIONS");
    }

    /** The ETag of a first answer, sent back, is a 304 both answers of which match the document (retried while the request settles). */
    private HttpAnswer notModified(String operationId, String path, String query) {
        AtomicReference<HttpAnswer> first = new AtomicReference<>();
        AtomicReference<HttpAnswer> again = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            first.set(get(path + query));
            again.set(get(path + query, "If-None-Match", first.get().raw().headers().firstValue("ETag").orElse("none")));
            return again.get().status() == 304;
        });
        check(operationId, "GET", path, first.get());
        check(operationId, "GET", path, again.get(), 304);
        assertThat(again.get().body()).isEmpty();
        for (String header : List.of("ETag", "Cache-Control", "Last-Modified")) {
            assertThat(again.get().raw().headers().firstValue(header)).as(path + " 304 " + header)
                    .isEqualTo(first.get().raw().headers().firstValue(header));
        }
        return again.get();
    }

    /** The answer to {@code method} on a path the document has under another operation, checked against that operation's 405. */
    private void refused(String operationId, String path, String method, String allow) {
        HttpAnswer answer = send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build());
        String documented = operationId.equals("postRequest") ? "POST" : "GET";
        check(operationId, documented, path, answer, 405);
        assertThat(answer.raw().headers().firstValue("Allow")).as(method + " " + path).contains(allow);
        refusedMethods.add(documentedPath(operationId));
    }

    private static String id(HttpAnswer posted) {
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.json().get(0).path("service_request_id").asText();
    }

    private String mediaOf(String id) {
        String url = get("/v1/requests/" + id + ".json?extensions=true").json().get(0)
                .path("extended_attributes").path("media_urls").get(0).asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private String documentedPath(String operationId) {
        for (var paths = document.path("paths").fields(); paths.hasNext(); ) {
            var item = paths.next();
            for (JsonNode operation : item.getValue()) {
                if (operation.path("operationId").asText().equals(operationId)) {
                    return item.getKey();
                }
            }
        }
        throw new AssertionError("No operation " + operationId);
    }

    @AfterAll
    void everyOperationOfTheDocumentWasChecked() {
        if (checked.isEmpty()) {
            return; // a single test was run on its own
        }
        Set<String> operations = new TreeSet<>();
        document.path("paths").forEach(item -> item.forEach(operation -> operations.add(operation.path("operationId").asText())));
        assertThat(checked).containsAll(operations);
        if (!refusedMethods.isEmpty()) {
            Set<String> paths = new TreeSet<>();
            document.path("paths").fieldNames().forEachRemaining(paths::add);
            assertThat(refusedMethods).containsAll(paths);
        }
    }

    private HttpAnswer check(String operationId, String method, String path, HttpAnswer answer) {
        return check(operationId, method, path, answer, 200);
    }

    /** Asserts the status, then validates the answer against the document and records the operation. */
    private HttpAnswer check(String operationId, String method, String path, HttpAnswer answer, int status) {
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        if (!answer.contentType().isEmpty()) {
            response.withContentType(answer.contentType());
        }
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        // the headers the document names are checked (present when required, values by their schemas)
        answer.raw().headers().map().forEach(response::withHeader);
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        assertThat(report.getMessages()).as(method + " " + path + " " + status + " against the document").isEmpty();
        if (status == 200 && method.equals("GET")) {
            // the query the client sent, as the document describes it (refused requests break it on
            // purpose; POST bodies are left out: the validator guesses form values' types, "171" as a number)
            assertThat(validator.validateRequest(request(answer)).getMessages())
                    .as(method + " " + answer.raw().request().uri() + " as the document's request").isEmpty();
        }
        if (answer.contentType().startsWith("text/xml")) {
            assertXmlShape(operationId, status, answer);
        }
        checked.add(operationId);
        return answer;
    }

    /** The request the client sent: its path and query parameters. */
    private static Request request(HttpAnswer answer) {
        HttpRequest sent = answer.raw().request();
        URI uri = sent.uri();
        SimpleRequest.Builder request = new SimpleRequest.Builder(sent.method(), uri.getPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                request.withQueryParam(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                        nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
            }
        }
        return request.build();
    }

    /** The XML body has the shape of the document's schema (names, fields, required ones, types). */
    private void assertXmlShape(String operationId, int status, HttpAnswer answer) {
        JsonNode schema = responseOf(operationId, status).path("content").path("text/xml").path("schema");
        assertThat(XmlShapeCheck.problems(document, schema, answer.xml().getDocumentElement()))
                .as(operationId + " " + status + " XML against the document").isEmpty();
    }

    private JsonNode responseOf(String operationId, int status) {
        for (JsonNode item : document.path("paths")) {
            for (JsonNode operation : item) {
                if (operation.path("operationId").asText().equals(operationId)) {
                    return resolve(operation.path("responses").path(String.valueOf(status)));
                }
            }
        }
        throw new AssertionError("No operation " + operationId);
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.isEmpty() ? node : resolve(document.at(ref.substring(1)));
    }
}

package org.open311.gateway.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP conventions a public web API is expected to follow (issue #16): HEAD on every GET path, 405 with
 * Allow for a wrong method, CORS for browser apps, gzip when asked, and ETag/If-None-Match/Cache-Control.
 */
class HttpConventionsHttpTest extends GatewayTestSupport {

    private static final String KEY = "conventions-key";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String requestId;

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", KEY);
        return settings;
    }

    @BeforeEach
    void postOnce() throws Exception {
        if (requestId != null) {
            return;
        }
        requestId = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Roskia puistossa penkin vieressä", "lat", "60.17", "long", "24.94").json().get(0)
                .path("service_request_id").asText();
        try (Connection connection = store().getConnection();
             PreparedStatement publish = connection.prepareStatement("UPDATE service_request SET published = TRUE WHERE id = ?")) {
            publish.setString(1, requestId);
            publish.executeUpdate();
        }
    }

    // HEAD

    @Test
    void headAnswersEveryGetPathWithTheGetsStatusAndHeadersAndNoBody() throws Exception {
        for (String path : List.of("/v1/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z",
                "/v1/servicerequestupdates.xml", "/v1/servicerequestupdates.json?start_date=never",
                "/v1/discovery.json", "/v1/discovery.xml", "/v1/services.json", "/v1/services.xml?locale=fi",
                "/v1/services/100.json", "/v1/services/100.xml", "/v1/requests.json", "/v1/requests.xml?extensions=true",
                "/v1/requests/" + requestId + ".json", "/v1/requests/" + requestId + ".xml", "/v1/openapi.yaml", "/v1/openapi.json",
                "/v1/tokens/abc.json", "/v1/services/999.xml", "/v1/requests.json?status=pending", "/v1/no-such-path.json")) {
            // a HEAD between two GETs that got the same answer: forwarding may change the request meanwhile
            HttpResponse<byte[]> get;
            HttpResponse<byte[]> head;
            int tries = 0;
            do {
                get = call("GET", path);
                head = call("HEAD", path);
            } while (!Arrays.equals(get.body(), call("GET", path).body()) && ++tries < 5);

            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            for (String header : List.of("Content-Type", "Content-Length", "ETag", "Cache-Control", "Last-Modified", "Allow")) {
                assertThat(head.headers().firstValue(header)).as(path + " " + header).isEqualTo(get.headers().firstValue(header));
            }
            assertThat(get.headers().firstValue("Content-Length")).as(path).contains(String.valueOf(get.body().length));
        }
    }

    @Test
    void headOfACatalogueAnswerTheRoutesGiveIsAnsweredToo() throws Exception {
        // a locale sent as a header is the routes' to answer, not the fast path's
        HttpResponse<byte[]> get = call("GET", "/v1/services.json", "locale", "fi");
        HttpResponse<byte[]> head = call("HEAD", "/v1/services.json", "locale", "fi");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).isEqualTo(get.headers().firstValue("Content-Length"));
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void aPhotoAnswersHeadIsKeptForAYearAndIsNeverGzipped() throws Exception {
        HttpAnswer posted = postMultipart("/v1/requests.json", List.of(Part.field("api_key", KEY), Part.field("service_code", "200"),
                Part.field("description", "Roskia puistossa, kuva liitteenä"), Part.field("lat", "60.17"), Part.field("long", "24.94"),
                Part.file("media", "roskat.png", TestImages.png())));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        String url = get("/v1/requests/" + id + ".json").json().get(0).path("media_url").asText();
        String path = java.net.URI.create(url).getPath();

        HttpResponse<byte[]> get = call("GET", path, "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = call("HEAD", path);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Encoding").filter(coding -> !coding.equals("identity"))).isEmpty();
        assertThat(get.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(get.body().length));
    }

    // 405 with Allow

    @Test
    void aWrongMethodOnAPathTheApiHasIsA405NamingTheMethodsInTheErrorShape() throws Exception {
        HttpResponse<byte[]> json = call("DELETE", "/v1/services.json");
        assertThat(json.statusCode()).isEqualTo(405);
        assertThat(json.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(json.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        HttpAnswer parsed = answer(json);
        assertThat(parsed.json().get(0).path("code").asInt()).isEqualTo(405);
        assertThat(parsed.json().get(0).path("description").asText()).contains("DELETE").contains("GET, HEAD, OPTIONS");

        HttpResponse<byte[]> xml = call("PUT", "/v1/requests.xml");
        assertThat(xml.statusCode()).isEqualTo(405);
        assertThat(xml.headers().firstValue("Allow")).contains("GET, HEAD, POST, OPTIONS");
        assertThat(answer(xml).xpath("/errors/error/code")).containsExactly("405");

        assertThat(call("POST", "/v1/services/100.json").headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(call("PATCH", "/v1/requests/" + requestId + ".json").statusCode()).isEqualTo(405);
        HttpResponse<byte[]> updates = call("DELETE", "/v1/servicerequestupdates.xml");
        assertThat(updates.statusCode()).isEqualTo(405);
        assertThat(updates.headers().firstValue("Allow").orElse("")).startsWith("GET, HEAD");
        assertThat(answer(updates).xpath("/errors/error/code")).containsExactly("405");
        HttpResponse<byte[]> push = call("GET", "/v1/backend/crm/notifications");
        assertThat(push.statusCode()).isEqualTo(405);
        assertThat(push.headers().firstValue("Allow")).contains("POST, OPTIONS");
    }

    @Test
    void aPathTheApiDoesNotHaveStaysA404AndOptionsListsTheMethods() throws Exception {
        assertThat(call("DELETE", "/v1/nothing-here.json").statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/nothing-here.json").headers().firstValue("Allow")).isEmpty();

        HttpResponse<byte[]> options = call("OPTIONS", "/v1/requests.json");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).contains("GET, HEAD, POST, OPTIONS");
    }

    // CORS (any origin by default)

    @Test
    void aBrowserPageOfAnotherOriginMayPreflightAPostAndReadTheAnswer() throws Exception {
        HttpResponse<byte[]> preflight = call("OPTIONS", "/v1/requests.json", "Origin", "https://palaute.example.fi",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "idempotency-key");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(list(preflight.headers(), "Access-Control-Allow-Methods")).contains("POST", "GET");
        assertThat(list(preflight.headers(), "Access-Control-Allow-Headers")).map(String::toLowerCase).contains("idempotency-key");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).isPresent();

        HttpResponse<byte[]> read = call("GET", "/v1/requests/" + requestId + ".json", "Origin", "https://palaute.example.fi");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(list(read.headers(), "Access-Control-Expose-Headers")).contains("X-Correlation-Id", "Retry-After", "ETag");
    }

    @Test
    void theAdminApiHasNoCors() throws Exception {
        HttpResponse<byte[]> preflight = call("OPTIONS", "/admin/mappings", "Origin", "https://palaute.example.fi",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // compression

    @Test
    void answersAreGzippedWhenTheClientAsksAndOnlyThen() throws Exception {
        for (String path : List.of("/v1/requests.json?extensions=true", "/v1/services.xml", "/v1/requests/" + requestId + ".xml")) {
            HttpResponse<byte[]> plain = call("GET", path);
            HttpResponse<byte[]> gzipped = call("GET", path, "Accept-Encoding", "gzip");

            assertThat(plain.headers().firstValue("Content-Encoding")).as(path).isEmpty();
            assertThat(gzipped.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
            assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()).as(path).isEqualTo(plain.body());
            // a shared cache must not give the gzipped answer to a client that did not ask for it
            assertThat(list(plain.headers(), "Vary")).as(path).contains("Accept-Encoding");
            assertThat(list(gzipped.headers(), "Vary")).as(path).contains("Accept-Encoding");
        }
    }

    // caching

    @Test
    void theCatalogueIsCacheableAndRevalidatedWithA304() throws Exception {
        for (String path : List.of("/v1/services.json", "/v1/services.xml?locale=sv", "/v1/services/100.json", "/v1/discovery.xml")) {
            HttpResponse<byte[]> first = call("GET", path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.headers().firstValue("Cache-Control")).as(path).contains("public, max-age=300");

            HttpResponse<byte[]> again = call("GET", path, "If-None-Match", etag);
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.headers().firstValue("ETag")).contains(etag);
            assertThat(again.headers().firstValue("Cache-Control")).contains("public, max-age=300");
            assertThat(call("GET", path, "If-None-Match", "W/\"other\"").statusCode()).isEqualTo(200);
        }
        // the routes (a locale header) and the fast path give the same answer the same ETag
        assertThat(call("GET", "/v1/services.json", "locale", "en").headers().firstValue("ETag"))
                .isEqualTo(call("GET", "/v1/services.json").headers().firstValue("ETag"));
        assertThat(call("GET", "/v1/services.json", "locale", "en", "If-None-Match",
                call("GET", "/v1/services.json").headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(304);
        assertThat(call("GET", "/v1/services.json").headers().firstValue("ETag"))
                .isNotEqualTo(call("GET", "/v1/services.xml").headers().firstValue("ETag"));
    }

    @Test
    void aRequestHasAnETagLastModifiedAndAShortLifeAndChangesShowAsNewETags() throws Exception {
        String path = "/v1/requests/" + requestId + ".json?extensions=true";
        HttpResponse<byte[]> first = call("GET", path);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("W/\"");
        assertThat(first.headers().firstValue("Cache-Control")).contains("public, max-age=10");
        assertThat(first.headers().firstValue("Last-Modified")).hasValueSatisfying(date -> assertThat(date).endsWith(" GMT"));

        HttpResponse<byte[]> unchanged = call("GET", path, "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).contains(etag);
        assertThat(call("GET", "/v1/requests/" + requestId + ".xml?extensions=true", "If-None-Match", etag).statusCode())
                .as("the XML answer is another answer").isEqualTo(200);
        assertThat(call("GET", "/v1/requests/" + requestId + ".json", "If-None-Match", etag).statusCode())
                .as("without extensions, another answer").isEqualTo(200);

        // a change that does not move updated_at still changes what the answer shows, so its ETag
        update("UPDATE service_request SET status_notes = 'Työ on tilattu' WHERE id = ?");
        HttpResponse<byte[]> changed = call("GET", path, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(answer(changed).json().get(0).path("status_notes").asText()).isEqualTo("Työ on tilattu");
        assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    void aListIsRevalidatedWithA304UntilARequestIsAddedOrChanged() throws Exception {
        for (String path : List.of("/v1/requests.json?service_code=200", "/v1/requests.xml?service_code=200&extensions=true")) {
            HttpResponse<byte[]> first = call("GET", path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.headers().firstValue("Cache-Control")).contains("public, max-age=10");
            assertThat(first.headers().firstValue("Last-Modified")).as("a list has no meaningful date").isEmpty();
            assertThat(call("GET", path, "If-None-Match", etag).statusCode()).isEqualTo(304);
            assertThat(call("GET", path, "If-None-Match", "\"a\", " + etag).statusCode()).isEqualTo(304);
        }
        String etag = call("GET", "/v1/requests.json?service_code=200").headers().firstValue("ETag").orElseThrow();
        String another = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Toinen ilmoitus roskista puistossa", "lat", "60.17", "long", "24.94").json().get(0)
                .path("service_request_id").asText();
        try (Connection connection = store().getConnection();
             PreparedStatement publish = connection.prepareStatement("UPDATE service_request SET published = TRUE WHERE id = ?")) {
            publish.setString(1, another);
            publish.executeUpdate();
        }
        HttpResponse<byte[]> grown = call("GET", "/v1/requests.json?service_code=200", "If-None-Match", etag);
        assertThat(grown.statusCode()).isEqualTo(200);
        assertThat(answer(grown).jsonField("service_request_id")).contains(another);
    }

    @Test
    void postsAndErrorsAreNeverKept() throws Exception {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Kolmas ilmoitus roskista puistossa", "lat", "60.17", "long", "24.94");
        assertThat(posted.raw().headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(call("GET", "/v1/requests/nosuchrequest.json").headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(call("GET", "/v1/requests.json?status=pending").headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(call("GET", "/v1/requests.json?status=pending").headers().firstValue("ETag")).isEmpty();
    }

    private HttpResponse<byte[]> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpAnswer answer(HttpResponse<byte[]> response) {
        return new HttpAnswer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                new String(response.body(), StandardCharsets.UTF_8), null);
    }

    private static List<String> list(HttpHeaders headers, String name) {
        return headers.allValues(name).stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).toList();
    }

    private void update(String sql) throws Exception {
        try (Connection connection = store().getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, requestId);
            update.executeUpdate();
        }
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }
}

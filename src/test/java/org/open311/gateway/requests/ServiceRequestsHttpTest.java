package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.open311.gateway.CapturedLog;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.store.ApiKeyAdmin;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** POST requests and GET requests/{id} over real HTTP, with the rows checked in the database itself. */
abstract class ServiceRequestsHttpTest extends GatewayTestSupport {

    static final String DEMO_KEY = "test-demo-key";
    static final String EMAIL = "maija.meikalainen@example.fi";
    static final String FIRST_NAME = "Maija";
    static final String LAST_NAME = "Meikäläinen";
    static final String PHONE = "+358401234567";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", DEMO_KEY);
        return settings;
    }

    static Map<String, String> validForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("api_key", DEMO_KEY);
        form.put("service_code", "100");
        form.put("description", "Syvä kuoppa pyörätiellä Hämeentien kohdalla");
        form.put("lat", "60.1841");
        form.put("long", "24.9519");
        form.put("attribute[size]", "large");
        return form;
    }

    HttpAnswer post(String format, Map<String, String> form, String... extra) {
        List<String> pairs = new ArrayList<>();
        form.forEach((name, value) -> {
            pairs.add(name);
            pairs.add(value);
        });
        pairs.addAll(Arrays.asList(extra));
        return postForm("/v1/requests." + format, pairs.toArray(String[]::new));
    }

    @Test
    void postedRequestIsStoredAndReturnedByIdAtOnceInBothFormats() throws Exception {
        HttpAnswer posted = post("json", validForm(), "title", "Kuoppa", "address_string", "Hämeentie 1",
                "media_url", "https://example.org/kuoppa.jpg", "media_url", "http://example.org/video.mp4",
                "attribute[depth]", "12", "locale", "fi");

        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.contentType()).isEqualTo("application/json; charset=utf-8");
        JsonNode answer = posted.json();
        assertThat(answer.isArray()).isTrue();
        assertThat(answer).hasSize(1);
        String id = answer.get(0).path("service_request_id").asText();
        assertThat(id).matches("[0-9a-v]{20}");
        assertThat(answer.get(0).path("service_notice").asText()).isEmpty();

        Map<String, Object> row = row(id);
        assertThat(row.get("service_code")).isEqualTo("100");
        assertThat(row.get("description")).isEqualTo("Syvä kuoppa pyörätiellä Hämeentien kohdalla");
        assertThat(row.get("published")).isEqualTo(false);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(row.get("attributes").toString()))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"depth\":\"12\",\"size\":\"large\"}"));

        HttpAnswer json = get("/v1/requests/" + id + ".json?extensions=true&locale=fi");
        assertThat(json.status()).isEqualTo(200);
        JsonNode request = json.json().get(0);
        assertThat(json.json()).hasSize(1);
        assertThat(request.path("service_request_id").asText()).isEqualTo(id);
        assertThat(request.path("status").asText()).isEqualTo("open");
        assertThat(request.path("service_code").asText()).isEqualTo("100");
        assertThat(request.path("service_name").asText()).isEqualTo("Kuoppa kadussa");
        assertThat(request.path("address").asText()).isEqualTo("Hämeentie 1");
        assertThat(request.path("lat").asDouble()).isEqualTo(60.1841);
        assertThat(request.path("long").asDouble()).isEqualTo(24.9519);
        assertThat(request.path("media_url").asText()).isEqualTo("https://example.org/kuoppa.jpg");
        assertThat(request.path("requested_datetime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d");
        JsonNode extended = request.path("extended_attributes");
        assertThat(extended.path("title").asText()).isEqualTo("Kuoppa");
        assertThat(extended.path("detailed_status").asText()).isEqualTo("RECEIVED");
        assertThat(extended.path("media_urls")).hasSize(2);
        assertThat(extended.path("tasks").isArray()).isTrue();

        HttpAnswer xml = get("/v1/requests/" + id + ".xml?extensions=true");
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo("text/xml; charset=utf-8");
        assertThat(xml.xpath("/service_requests/request/service_request_id")).containsExactly(id);
        assertThat(xml.xpath("/service_requests/request/service_name")).containsExactly("Pothole");
        assertThat(xml.xpath("/service_requests/request/extended_attributes/media_urls/media_url"))
                .containsExactly("https://example.org/kuoppa.jpg", "http://example.org/video.mp4");
    }

    @Test
    void postAnswersInXmlToo() {
        HttpAnswer posted = post("xml", validForm());

        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.contentType()).isEqualTo("text/xml; charset=utf-8");
        List<String> ids = posted.xpath("/service_requests/request/service_request_id");
        assertThat(ids).hasSize(1);
        assertThat(posted.xpath("/service_requests/request/service_notice")).containsExactly("");
        assertThat(get("/v1/requests/" + ids.get(0) + ".json").status()).isEqualTo(200);
    }

    @Test
    void withoutExtensionsThereAreNoExtendedAttributes() {
        String id = post("json", validForm()).json().get(0).path("service_request_id").asText();

        JsonNode request = get("/v1/requests/" + id + ".json").json().get(0);
        assertThat(request.has("extended_attributes")).isFalse();
        assertThat(request.has("media_url")).isFalse();
        JsonNode extended = get("/v1/requests/" + id + ".json?extensions=true").json().get(0).path("extended_attributes");
        assertThat(extended.path("title").asText()).isEqualTo("Syvä kuoppa pyörätiellä Hämeentien kohdalla");
        assertThat(extended.path("media_urls")).isEmpty();
    }

    @Test
    void serviceObjectIsALocation() {
        Map<String, String> form = validForm();
        form.remove("lat");
        form.remove("long");
        form.put("service_object_id", "10844");
        form.put("service_object_type", "http://www.hel.fi/servicemap/v2");
        String id = post("json", form).json().get(0).path("service_request_id").asText();

        JsonNode extended = get("/v1/requests/" + id + ".json?extensions=true").json().get(0).path("extended_attributes");
        assertThat(extended.path("service_object_id").asText()).isEqualTo("10844");
        assertThat(extended.path("service_object_type").asText()).isEqualTo("http://www.hel.fi/servicemap/v2");
    }

    @Test
    void multiValueAttributesArePostedWithBrackets() throws Exception {
        Map<String, String> form = validForm();
        form.put("service_code", "400");
        form.remove("attribute[size]");
        String id = post("json", form, "attribute[damage][]", "seat", "attribute[damage][]", "legs")
                .json().get(0).path("service_request_id").asText();

        assertThat(row(id).get("attributes").toString()).isEqualTo("{\"damage\":[\"seat\",\"legs\"]}");
    }

    @Test
    void missingUnknownOrRevokedKeyIsForbiddenAndStoresNothing() throws Exception {
        long before = count();
        Map<String, String> noKey = validForm();
        noKey.remove("api_key");
        Map<String, String> unknownKey = validForm();
        unknownKey.put("api_key", "not-a-key");
        ApiKeyAdmin admin = new ApiKeyAdmin(store());
        String revoked = admin.add("revoked app");
        admin.revoke(admin.list().stream().filter(k -> k.name().equals("revoked app")).findFirst().orElseThrow().id());
        Map<String, String> revokedKey = validForm();
        revokedKey.put("api_key", revoked);

        for (Map<String, String> form : List.of(noKey, unknownKey, revokedKey)) {
            HttpAnswer json = post("json", form);
            assertThat(json.status()).isEqualTo(403);
            assertThat(json.json().get(0).path("code").asInt()).isEqualTo(403);
            assertThat(json.json().get(0).path("description").asText()).contains("api_key");
            HttpAnswer xml = post("xml", form);
            assertThat(xml.status()).isEqualTo(403);
            assertThat(xml.xpath("/errors/error/code")).containsExactly("403");
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void newKeyFromTheAdminToolWorksAtOnce() throws Exception {
        Map<String, String> form = validForm();
        form.put("api_key", new ApiKeyAdmin(store()).add("city map portal"));

        assertThat(post("json", form).status()).isEqualTo(200);
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("service_code", "", "service_code: required"),
                Arguments.of("description", "", "description: required"),
                Arguments.of("description", "too short", "description: must be 10 to 5000"),
                Arguments.of("description", "x".repeat(5001), "description: must be 10 to 5000"),
                Arguments.of("description", "Kuoppa <script>alert(1)</script>", "description: must be plain text"),
                Arguments.of("description", "Kuoppa <b>tässä</b> kadulla", "description: must be plain text"),
                Arguments.of("lat", "", "lat: required with long"),
                Arguments.of("long", "", "long: required with lat"),
                Arguments.of("lat", "91", "lat: must be a number from -90 to 90"),
                Arguments.of("lat", "north", "lat: must be a number from -90 to 90"),
                Arguments.of("long", "-180.5", "long: must be a number from -180 to 180"),
                Arguments.of("lon", "24.9", "lon: not a parameter of this API: send the longitude as 'long'"),
                Arguments.of("lng", "24.9", "lng: not a parameter of this API: send the longitude as 'long'"),
                Arguments.of("service_object_id", "10844", "service_object_type: required with service_object_id"),
                Arguments.of("email", "not-an-email", "email: not a valid email address"),
                Arguments.of("email", "a@b", "email: not a valid email address"),
                Arguments.of("media_url", "ftp://example.org/a.jpg", "media_url: 'ftp://example.org/a.jpg' must be an http or https URL"),
                Arguments.of("media_url", "https://example.org/page.html", "media_url: 'https://example.org/page.html' must be"),
                Arguments.of("title", "t".repeat(201), "title: at most 200 characters"),
                Arguments.of("address_string", "a".repeat(501), "address_string: at most 500 characters"),
                Arguments.of("first_name", "f".repeat(101), "first_name: at most 100 characters"),
                Arguments.of("last_name", "l".repeat(101), "last_name: at most 100 characters"),
                Arguments.of("phone", "1".repeat(51), "phone: at most 50 characters"),
                Arguments.of("attribute[size]", "", "attribute[size]: required"),
                Arguments.of("attribute[size]", "huge", "attribute[size]: must be one of large, small"),
                Arguments.of("attribute[depth]", "deep", "attribute[depth]: must be a number"),
                Arguments.of("attribute[colour", "red", "attribute[colour: not an attribute field"),
                Arguments.of("attribute[" + "c".repeat(65) + "]", "red", "attribute[" + "c".repeat(64) + "…]: an attribute code of at most 64"),
                Arguments.of("attribute[colour]", "r".repeat(5001), "attribute[colour]: at most 5000 characters"),
                Arguments.of("attribute[colour]", "r\u0007ed", "attribute[colour]: must not contain control characters"));
    }

    @ParameterizedTest(name = "{0}={1} → {2}")
    @MethodSource("invalidRequests")
    void invalidFieldIsA400NamingTheFieldAndStoresNothing(String field, String value, String expected) throws Exception {
        long before = count();
        Map<String, String> form = validForm();
        if (value.isEmpty()) {
            form.remove(field);
        } else {
            form.put(field, value);
        }

        HttpAnswer json = post("json", form);
        HttpAnswer xml = post("xml", form);

        assertThat(json.status()).isEqualTo(400);
        assertThat(json.jsonField("description")).anySatisfy(d -> assertThat(d).startsWith(expected));
        assertThat(json.jsonField("code")).containsOnly("400");
        assertThat(xml.status()).isEqualTo(400);
        assertThat(xml.xpath("/errors/error/description")).anySatisfy(d -> assertThat(d).startsWith(expected));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void allProblemsAreListedInOneAnswer() {
        Map<String, String> form = validForm();
        form.put("description", "short");
        form.put("lat", "100");
        form.put("email", "nope");

        HttpAnswer answer = post("json", form);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).hasSize(3);
    }

    @Test
    void missingLocationIsAnError() {
        Map<String, String> form = validForm();
        form.remove("lat");
        form.remove("long");

        assertThat(post("json", form).jsonField("description")).anySatisfy(d -> assertThat(d).contains("a location is required"));
    }

    @Test
    void unknownOrRetiredServiceIs404() throws Exception {
        long before = count();
        for (String code : List.of("999", "300")) {
            Map<String, String> form = validForm();
            form.put("service_code", code);
            HttpAnswer answer = post("json", form);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get(0).path("description").asText()).contains(code);
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void unknownIdIs404InBothFormats() {
        HttpAnswer json = get("/v1/requests/0000000000000000zzzz.json");
        HttpAnswer xml = get("/v1/requests/no-such-request.xml");

        assertThat(json.status()).isEqualTo(404);
        assertThat(json.json().get(0).path("code").asInt()).isEqualTo(404);
        assertThat(xml.status()).isEqualTo(404);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("404");
    }

    @Test
    void aBodyThatIsNotAFormIs415() throws Exception {
        long before = count();
        for (String type : List.of("application/json", "text/xml", "text/plain")) {
            HttpAnswer answer = send(java.net.http.HttpRequest.newBuilder(uri("/v1/requests.json"))
                    .header("Content-Type", type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + DEMO_KEY + "\"}")).build());
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.json().get(0).path("code").asInt()).isEqualTo(415);
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void harmlessExtraParametersAreAccepted() {
        HttpAnswer posted = postForm("/v1/requests.json?locale=fi_FI&jurisdiction_id=helsinki.fi",
                "api_key", DEMO_KEY, "service_code", "100", "description", "Kuoppa pyörätiellä taas",
                "lat", "60.17", "long", "24.94", "attribute[size]", "small", "jurisdiction_id", "helsinki.fi",
                "client_version", "2.3.1");

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    }

    @Test
    void contactDataAndKeysNeverReachTheLog() {
        CapturedLog log = CapturedLog.at(ch.qos.logback.classic.Level.DEBUG);
        try (log) {
            String id = post("json", validForm(), "email", EMAIL, "first_name", FIRST_NAME, "last_name", LAST_NAME, "phone", PHONE)
                    .json().get(0).path("service_request_id").asText();
            get("/v1/requests/" + id + ".json?extensions=true");
            post("json", validForm(), "email", EMAIL, "first_name", FIRST_NAME, "phone", PHONE, "description", "bad");
            post("json", validForm(), "email", "not an email " + EMAIL, "api_key", "wrong-" + DEMO_KEY);
        }
        log.assertNoneContains(EMAIL, FIRST_NAME, LAST_NAME, PHONE, DEMO_KEY);
    }

    @Test
    void contactDataIsStoredButNeverAnswered() throws Exception {
        HttpAnswer posted = post("json", validForm(), "email", EMAIL, "first_name", FIRST_NAME,
                "last_name", LAST_NAME, "phone", PHONE);
        String id = posted.json().get(0).path("service_request_id").asText();

        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("email", EMAIL).containsEntry("first_name", FIRST_NAME)
                .containsEntry("last_name", LAST_NAME).containsEntry("phone", PHONE);
        List<HttpAnswer> answers = List.of(posted,
                get("/v1/requests/" + id + ".json?extensions=true"), get("/v1/requests/" + id + ".xml?extensions=true"),
                post("json", validForm(), "email", EMAIL, "first_name", FIRST_NAME, "description", "bad"));
        for (HttpAnswer answer : answers) {
            assertThat(answer.body()).doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE, DEMO_KEY);
            assertThat(answer.raw().headers().map().toString()).doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE, DEMO_KEY);
        }
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    private long count() throws Exception {
        try (Connection connection = store().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM service_request")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Map<String, Object> row(String id) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM service_request WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("row of " + id).isTrue();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnLabel(i).toLowerCase(), rows.getObject(i));
                }
                return row;
            }
        }
    }
}

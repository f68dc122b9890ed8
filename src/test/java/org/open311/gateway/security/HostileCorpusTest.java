package org.open311.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends well over a thousand malformed requests, built here from hostile values (SQL injection, path
 * traversal, markup, template and format strings, control and exotic characters, absurd numbers and
 * dates, overlong text) placed in every parameter and path segment of every endpoint, in both formats.
 * Every answer must be a 4xx in GeoReport v2's error shape in the format the path asks for, with no
 * internals; nothing is stored; the gateway is ready afterwards. The counts go to the test output and
 * to target/hostile-corpus.txt.
 */
abstract class HostileCorpusTest extends GatewayTestSupport {

    static final String KEY = "hostile-corpus-key";
    /** Words that would betray internals (stack traces, class names, a server's HTML page). */
    static final List<String> LEAKS = List.of("Exception", "org.open311", "java.", "<html", "<!DOCTYPE html", "\tat ",
            "Caused by", "SQLState", "jdbc:");

    static final List<String> HOSTILE = List.of(
            "' OR '1'='1", "1' OR 1=1; --", "\"; DROP TABLE service_request; --",
            "1 UNION SELECT email, phone FROM service_request --", "'); DELETE FROM api_key; --",
            "%27%20OR%201%3D1", "1;SELECT pg_sleep(10)", "admin'--",
            "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "....//....//etc/passwd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/etc/passwd%00.jpg", "file:///etc/passwd", "..", ".",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "${jndi:ldap://127.0.0.1/a}", "#{7*7}", "{{7*7}}", "%s%s%s%n", "%x%x%x%x",
            "\u0000", "line\r\nSet-Cookie: x=1", "\t\n\u000b", "\uFEFFbom", "\uD835\uDD4F\uD835\uDD50", "\u202Eevil",
            "نص عربي", "\uD83D\uDE00\uD83D\uDE00", "A".repeat(2000), "9".repeat(400),
            "-1", "1e309", "NaN", "-Infinity", "0x7FFFFFFF", "99999999999999999999",
            "+99999-12-31T23:59:59Z", "2026-13-45T25:61:61Z", "null", "[]", "{\"$gt\":\"\"}", "*", "%", ";", "|", "$(id)");

    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int sent;

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        // every hostile value is also tried as an api_key: the failed-authentication limit would refuse the rest of the corpus
        settings.put("gateway.rate-limit.auth-failures-per-address", "100000");
        return settings;
    }

    @Test
    void everyMalformedRequestIsA4xxInTheErrorShapeAndTheGatewayStaysReady() throws Exception {
        long started = System.nanoTime();
        int storedBefore = listed();
        for (int i = 0; i < HOSTILE.size(); i++) {
            String value = HOSTILE.get(i);
            String format = i % 2 == 0 ? "json" : "xml";
            String other = i % 2 == 0 ? "xml" : "json";
            reads(value, format, other);
            posts(value, format, other);
            elsewhere(value, format);
        }
        invalidUtf8();

        int fiveHundreds = byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        String counts = "hostile corpus on " + database() + ": sent " + sent + ", by status " + byStatus + ", 5xx " + fiveHundreds
                + ", " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s";
        System.out.println(counts);
        Files.writeString(Path.of("target", "hostile-corpus-" + database().name().toLowerCase(Locale.ROOT) + ".txt"), counts + "\n");

        assertThat(failures).as(counts).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(1000);
        assertThat(fiveHundreds).isZero();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + "/observe/health/ready"))
                .GET().build()).status()).isEqualTo(200);
        assertThat(get("/v1/services.json").status()).isEqualTo(200);
        assertThat(listed()).isEqualTo(storedBefore);
    }

    /** The unauthenticated GETs: each path segment and each list parameter gets the value. */
    private void reads(String value, String format, String other) {
        String v = encode(value);
        check(get("/v1/discovery." + v), "GET discovery");
        check(get("/v1/services." + v + "?locale=" + v), "GET services");
        check(get("/v1/services/" + v + "." + format + "?locale=" + v), "GET service definition");
        check(get("/v1/services/" + v + "." + other), "GET service definition");
        check(get("/v1/requests/" + v + "." + format + "?extensions=" + v), "GET request");
        check(get("/v1/requests/" + v + "." + other), "GET request");
        check(get("/v1/tokens/" + v + "." + format), "GET token");
        check(get("/v1/tokens/" + v + "." + other), "GET token");
        check(get("/v1/media/" + v), "GET media");
        check(get("/v1/media/" + v + ".png"), "GET media");
        // page=0 makes each list request malformed whatever the value; the value is still checked beside it
        for (String parameter : List.of("start_date", "end_date", "updated_after", "updated_before", "page_size", "bbox",
                "status", "service_code", "service_request_id", "service_object_id", "radius")) {
            String fmt = parameter.length() % 2 == 0 ? format : other;
            check(get("/v1/requests." + fmt + "?page=0&" + parameter + "=" + v), "GET requests " + parameter);
        }
        check(get("/v1/requests." + format + "?lat=" + v + "&long=24.9&radius=" + v + "&locale=" + v), "GET requests near");
    }

    /** POSTs: the value in each field of an otherwise valid request, which a second problem (lat or long 999) always makes malformed. */
    private void posts(String value, String format, String other) {
        check(postForm("/v1/requests." + format, "api_key", value, "service_code", "171", "description", "Kuoppa pyörätiellä",
                "lat", "60.17", "long", "24.94", "attribute[size]", "small"), "POST api_key");
        for (String field : List.of("service_code", "description", "lat", "long", "email", "first_name", "phone",
                "attribute[size]", "media_url", "address_string", "title", "service_object_id", value)) {
            String fmt = field.length() % 2 == 0 ? format : other;
            List<String> form = new ArrayList<>(List.of("api_key", KEY, "service_code", "171", "description",
                    "Kuoppa pyörätiellä, syvä", "long", field.equals("lat") ? "999" : "24.94", "attribute[size]", "small"));
            form.addAll(List.of("lat", field.equals("lat") ? value : "999"));
            if (!field.equals("lat")) {
                int at = form.indexOf(field);
                if (at >= 0 && at % 2 == 0) {
                    form.set(at + 1, value);
                } else {
                    form.addAll(List.of(field, value));
                }
            }
            check(postForm("/v1/requests." + fmt, form.toArray(String[]::new)), "POST " + (field.equals(value) ? "as a field name" : field));
        }
        check(postMultipart("/v1/requests." + format, List.of(Part.field("api_key", KEY), Part.field("service_code", "171"),
                Part.field("description", "Kuoppa pyörätiellä, kuva"), Part.field("lat", "999"), Part.field("long", "24.94"),
                Part.field("attribute[size]", "small"), Part.file("media", value, value.getBytes(StandardCharsets.UTF_8)))),
                "POST media file name");
        for (String contentType : List.of("text/plain", "application/json", "text/xml")) {
            check(send(HttpRequest.newBuilder(uri("/v1/requests." + other)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=" + KEY + "&description=" + value)).build()),
                    "POST " + contentType);
        }
        check(send(HttpRequest.newBuilder(uri("/v1/backend/crm/notifications")).header("Content-Type", "application/json")
                .header("X-Signature", "sha256=" + encode(value)).POST(HttpRequest.BodyPublishers.ofString(value)).build()),
                "POST crm notification");
        check(send(HttpRequest.newBuilder(uri("/v1/backend/aspa/notifications")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(value)).build()), "POST aspa notification");
    }

    /** Unknown paths and methods. */
    private void elsewhere(String value, String format) {
        String v = encode(value);
        check(get("/v1/" + v + "." + format), "GET unknown");
        check(get("/" + v), "GET unknown");
        check(send(HttpRequest.newBuilder(uri("/v1/requests/" + v + "." + format)).DELETE().build()), "DELETE request");
        check(send(HttpRequest.newBuilder(uri("/v1/services." + format)).PUT(HttpRequest.BodyPublishers.ofString(value)).build()),
                "PUT services");
    }

    /** Percent-encoding that is not UTF-8, in paths and queries of every endpoint. */
    private void invalidUtf8() {
        // (malformed escapes such as %ZZ cannot be sent by java.net.URI; LimitsTest covers them)
        for (String bad : List.of("%FF", "%C3%28", "%E2%82", "%ED%A0%80", "%F8%88%80%80%80", "%C0%AF", "%80")) {
            for (String format : List.of("json", "xml")) {
                check(get("/v1/services/" + bad + "." + format), "GET bad UTF-8 path");
                check(get("/v1/requests." + format + "?service_code=" + bad), "GET bad UTF-8 query");
                check(get("/v1/services." + format + "?locale=" + bad), "GET bad UTF-8 query");
                check(postForm("/v1/requests." + format + "?locale=" + bad, "api_key", KEY), "POST bad UTF-8 query");
            }
        }
    }

    private void check(HttpAnswer answer, String what) {
        sent++;
        byStatus.merge(answer.status(), 1, Integer::sum);
        String path = answer.raw().request().uri().getRawPath();
        boolean xml = path.toLowerCase(Locale.ROOT).endsWith(".xml");
        String problem = problem(answer, xml);
        if (problem != null && failures.size() < 30) {
            failures.add(what + " " + answer.raw().request().method() + " " + abbreviate(answer.raw().request().uri().toString())
                    + " -> " + answer.status() + ": " + problem + ": " + abbreviate(answer.body()));
        }
    }

    private static String problem(HttpAnswer answer, boolean xml) {
        if (answer.status() < 400 || answer.status() > 499) {
            return "not a 4xx";
        }
        for (String leak : LEAKS) {
            if (answer.body().contains(leak)) {
                return "leaks '" + leak + "'";
            }
        }
        try {
            if (xml) {
                if (!answer.contentType().startsWith("text/xml")) {
                    return "not XML";
                }
                List<String> codes = answer.xpath("/errors/error/code");
                List<String> descriptions = answer.xpath("/errors/error/description");
                if (codes.isEmpty() || codes.size() != descriptions.size()
                        || !codes.stream().allMatch(c -> c.equals(String.valueOf(answer.status())))) {
                    return "not the XML error shape";
                }
            } else {
                if (!answer.contentType().startsWith("application/json")) {
                    return "not JSON";
                }
                JsonNode errors = answer.json();
                if (!errors.isArray() || errors.isEmpty()) {
                    return "not a JSON error array";
                }
                for (JsonNode error : errors) {
                    if (error.path("code").asInt() != answer.status() || !error.path("description").isTextual()
                            || error.path("description").asText().isBlank()) {
                        return "not the JSON error shape";
                    }
                }
            }
        } catch (AssertionError e) {
            return "unparseable";
        }
        return null;
    }

    /** Requests in the store, published or not. */
    private int listed() throws Exception {
        var store = context.getRegistry().lookupByNameAndType("store", javax.sql.DataSource.class);
        try (var connection = store.getConnection(); var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM service_request")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}

package org.open311.gateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.requests.InputLimits;
import org.open311.gateway.security.Variants.Expect;
import org.open311.gateway.security.Variants.Variant;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.security.Variants.Expect.ACCEPTED;
import static org.open311.gateway.security.Variants.Expect.ANSWERED;
import static org.open311.gateway.security.Variants.Expect.REFUSED;

/**
 * A corpus of requests generated from the description of every endpoint's parameters and their limits
 * ({@link ApiParameters}, with the gateway's own {@code InputLimits}; attribute answers from the served
 * catalogue): for each parameter, values at each limit (must be accepted), just and far past it, of the
 * wrong type, empty, left out and repeated ({@link Variants}), posted in both formats and both body
 * encodings over HTTP/1.1 and HTTP/2; uploads at and past their count and size; malformed multipart
 * framings; then hostile values (SQL injection, path traversal, markup, template and format strings,
 * control and exotic characters, absurd numbers and dates) in every parameter and path segment, and
 * unknown paths, methods, content types and bad percent-encodings. No answer may be a 5xx; every 4xx is
 * in GeoReport v2's error shape in the format the path asks for, without internals; every 200 parses in
 * that format; refused POSTs store nothing; no ERROR and no stack trace reaches the log; the gateway is
 * ready afterwards. The counts go to the test output and to target/hostile-corpus-{h2,postgres}.txt.
 */
abstract class HostileCorpusTest extends GatewayTestSupport {

    static final String KEY = "hostile-corpus-key";
    static final String SERVICE = "171";
    /** Codes of the shipped catalogue the list may be asked for (any other is a 404). */
    static final List<String> LISTED_CODES = List.of(SERVICE, "172", "190");
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
            "نص عربي", "\uD83D\uDE00\uD83D\uDE00", "A".repeat(2000), "9".repeat(400), "x".repeat(63) + Variants.EMOJI + "y",
            "-1", "1e309", "NaN", "-Infinity", "0x7FFFFFFF", "99999999999999999999",
            "+99999-12-31T23:59:59Z", "2026-13-45T25:61:61Z", "null", "[]", "{\"$gt\":\"\"}", "*", "%", ";", "|", "$(id)");

    private static final byte[] PNG = TestImages.png();
    private static final HttpClient HTTP_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final HttpClient HTTP_2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Requests in flight at once: the store's pool (10) and the machine stay far from busy. */
    private static final int CLIENTS = 4;
    /** Format and body encoding of a POST: the first two, and the last two, each cover both formats and both encodings. */
    private static final List<Combo> COMBOS = List.of(new Combo("json", false), new Combo("xml", true),
            new Combo("xml", false), new Combo("json", true));

    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Map<String, String> bySection = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    /** Requests generated for the section being built, and the answers they must get. */
    private final List<Probe> probes = new ArrayList<>();
    private int sent;
    private int acceptedPosts;
    private String storedId;
    private String storedMedia;
    private Path mediaDir;

    private record Combo(String format, boolean multipart) {
    }

    /** A generated request and the answer it must get. */
    private record Probe(HttpRequest request, Expect expect, String what) {
    }

    /** A form field, in order; names may repeat. */
    private record Field(String name, String value) {
    }

    /** A file of a multipart POST. */
    private record FilePart(String field, String fileName, byte[] content) {
    }

    @Override
    protected Properties settings() {
        try {
            mediaDir = Files.createTempDirectory("corpus-media");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.media.dir", mediaDir.toString());
        // a file at the size limit is the test image itself, one byte more is over it
        settings.put("gateway.media.max-file-bytes", String.valueOf(PNG.length));
        // thousands of requests from one address and one key: the limits are tested elsewhere
        settings.put("gateway.rate-limit.enabled", "false");
        // accepted requests stay in the store; forwarding them is tested elsewhere
        settings.put("gateway.forwarding.interval-ms", "3600000");
        settings.put("gateway.sync.interval-ms", "3600000");
        return settings;
    }

    @Test
    void everyLimitOfEveryParameterAndEveryHostileValueIsAnsweredWithoutA5xx() throws Exception {
        long started = System.nanoTime();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        int storedBefore = stored();
        try {
            storedId();
            storedMedia();
            postFields();
            run("POST fields at and past their limits");
            attributeAnswers();
            run("POST attribute answers at and past their limits");
            uploads();
            run("POST uploads at and past their limits");
            multipartFramings();
            run("POST multipart framings");
            listParameters();
            run("GET list parameters at and past their limits");
            updateParameters();
            run("GET servicerequestupdates parameters at and past their limits");
            pathParameters();
            run("GET path and query parameters at and past their limits");
            for (int i = 0; i < HOSTILE.size(); i++) {
                hostile(i, HOSTILE.get(i));
            }
            run("hostile values in every parameter and path");
            elsewhere();
            invalidUtf8();
            run("unknown paths, methods, content types, bad UTF-8");
        } finally {
            root.detachAppender(log);
        }

        int fiveHundreds = byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        String counts = "hostile corpus on " + database() + ": sent " + sent + ", by status " + byStatus + ", 5xx " + fiveHundreds
                + ", accepted posts " + acceptedPosts + ", " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s"
                + "\nby section " + bySection;
        System.out.println(counts);
        Files.writeString(Path.of("target", "hostile-corpus-" + database().name().toLowerCase(Locale.ROOT) + ".txt"), counts + "\n");

        assertThat(failures).as(counts).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(4000);
        assertThat(fiveHundreds).isZero();
        assertThat(stored()).as("rows added: exactly the accepted posts").isEqualTo(storedBefore + acceptedPosts);
        assertThat(log.list.stream().filter(HostileCorpusTest::isFailureLogged)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())).as("failures logged").isEmpty();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + "/observe/health/ready"))
                .GET().build()).status()).isEqualTo(200);
        assertThat(get("/v1/services.json").status()).isEqualTo(200);
    }

    // ---- generated from the parameters' limits ----

    /** Each field of the form, each value posted into an otherwise valid request. */
    private void postFields() {
        List<Field> base = baseForm(SERVICE, List.of(new Field("attribute[size]", "small")));
        for (Parameter field : ApiParameters.postForm(KEY, SERVICE)) {
            postVariants(base, field);
        }
    }

    /** One attribute of each datatype the catalogue uses, in a request of its own service. */
    private void attributeAnswers() {
        Map<String, Parameter> byDatatype = new LinkedHashMap<>();
        Map<String, List<Field>> bases = new LinkedHashMap<>();
        for (JsonNode service : get("/v1/services.json").json()) {
            if (!service.path("metadata").asBoolean()) {
                continue;
            }
            String code = service.path("service_code").asText();
            JsonNode attributes = get("/v1/services/" + code + ".json").json().path("attributes");
            List<Field> required = new ArrayList<>();
            Map<String, Parameter> answers = new LinkedHashMap<>();
            for (JsonNode attribute : attributes) {
                if (attribute.path("variable").asBoolean()) {
                    Parameter answer = ApiParameters.answer(attribute);
                    answers.putIfAbsent(attribute.path("datatype").asText(), answer);
                    if (answer.required()) {
                        required.add(new Field(answer.name(), ApiParameters.validAnswer(answer)));
                    }
                }
            }
            answers.forEach((datatype, answer) -> {
                if (!byDatatype.containsKey(datatype)) {
                    byDatatype.put(datatype, answer);
                    bases.put(datatype, baseForm(code, required));
                }
            });
        }
        assertThat(byDatatype.keySet()).as("the catalogue's datatypes").contains("singlevaluelist", "string");
        byDatatype.forEach((datatype, answer) -> postVariants(bases.get(datatype), answer));
        List<Field> base = bases.values().iterator().next();
        extraAttributes(base);
    }

    /** Attributes the service does not define (FixMyStreet's attribute[uprn]): kept for the CRM within their caps. */
    private void extraAttributes(List<Field> base) {
        postVariants(base, Parameter.of("attribute[uprn]", Parameter.Kind.TEXT, 0, InputLimits.ATTRIBUTE_VALUE_MAX));
        int most = InputLimits.EXTRA_ATTRIBUTES_MAX;
        List<Field> mostExtras = new ArrayList<>(base);
        IntStream.range(0, most).forEach(i -> mostExtras.add(new Field("attribute[extra_" + i + "]", "x")));
        List<Field> oneTooMany = new ArrayList<>(mostExtras);
        oneTooMany.add(new Field("attribute[extra_" + most + "]", "x"));
        String longestCode = "c".repeat(InputLimits.EXTRA_ATTRIBUTE_NAME_MAX);
        for (Combo combo : COMBOS) {
            probe(post(combo, with(base, "attribute[no_such_question]", List.of("x")), List.of()), ACCEPTED,
                    "POST an attribute the service does not have");
            probe(post(combo, mostExtras, List.of()), ACCEPTED, "POST the most attributes the service does not have");
            probe(post(combo, oneTooMany, List.of()), REFUSED, "POST one attribute the service does not have too many");
            probe(post(combo, with(base, "attribute[" + longestCode + "]", List.of("x")), List.of()), ACCEPTED,
                    "POST an undefined attribute's code at its longest");
            probe(post(combo, with(base, "attribute[" + longestCode + "c]", List.of("x")), List.of()), REFUSED,
                    "POST an undefined attribute's code too long");
            probe(post(combo, with(base, "attribute[broken", List.of("x")), List.of()), REFUSED, "POST a malformed attribute field");
        }
    }

    /** Each value twice: in JSON and XML, urlencoded and multipart, all four pairings alternating over the values. */
    private void postVariants(List<Field> base, Parameter field) {
        List<Variant> variants = Variants.of(field, false);
        for (int i = 0; i < variants.size(); i++) {
            Variant variant = variants.get(i);
            List<Field> form = with(base, field, variant.values());
            for (Combo combo : i % 2 == 0 ? COMBOS.subList(0, 2) : COMBOS.subList(2, 4)) {
                probe(post(combo, form, List.of()), variant.expect(), "POST " + field.name() + " " + variant.label());
            }
        }
    }

    /** Photos (media, media[] or photo1, photo2, …): together up to gateway.media.max-files of gateway.media.max-file-bytes each. */
    private void uploads() {
        List<Field> base = baseForm(SERVICE, List.of(new Field("attribute[size]", "small")));
        List<Field> withMostUrls = with(base, "media_url", IntStream.range(0, InputLimits.MEDIA_URLS_MAX)
                .mapToObj(i -> Variants.url(InputLimits.MEDIA_URL_MAX, i)).toList());
        int most = Integer.parseInt(context.getPropertiesComponent().resolveProperty("gateway.media.max-files").orElseThrow());
        List<Upload> cases = List.of(
                new Upload("the most files, each at the size limit", ACCEPTED, base, files("media[]", most, PNG)),
                new Upload("the most files beside the most media_url values at their longest", ACCEPTED, withMostUrls,
                        files("media[]", most, PNG)),
                new Upload("one file too many", REFUSED, base, files("media[]", most + 1, PNG)),
                new Upload("one byte over the size limit", REFUSED, base, files("media", 1, Arrays.copyOf(PNG, PNG.length + 1))),
                new Upload("an empty file", REFUSED, base, files("media", 1, new byte[0])),
                new Upload("not an image", REFUSED, base, files("media", 1, "<html>".getBytes(StandardCharsets.UTF_8))),
                new Upload("in another field", REFUSED, base, files("photo", 1, PNG)),
                new Upload("in photo1, photo2, … as FixMyStreet sends them, the most files", ACCEPTED, base, photos(most)),
                new Upload("in photo1, photo2, … one file too many", REFUSED, base, photos(most + 1)),
                new Upload("in photo0 or photo100, not FixMyStreet's names", REFUSED, base,
                        List.of(new FilePart("photo0", "a.png", PNG), new FilePart("photo100", "b.png", PNG))),
                new Upload("in media[] and photo1 together, one too many", REFUSED, base,
                        java.util.stream.Stream.concat(files("media[]", most, PNG).stream(), photos(1).stream()).toList()),
                new Upload("in media and media[] at once", ACCEPTED, base,
                        List.of(new FilePart("media", "a.png", PNG), new FilePart("media[]", "b.png", PNG))),
                new Upload("with a file name far past any length", ANSWERED, base,
                        List.of(new FilePart("media", "p".repeat(Variants.FAR_IN_FORM) + ".png", PNG))),
                new Upload("with an emoji file name", ACCEPTED, base, List.of(new FilePart("media", Variants.EMOJI + ".png", PNG))));
        for (Upload upload : cases) {
            for (String format : List.of("json", "xml")) {
                probe(post(new Combo(format, true), upload.form(), upload.files()), upload.expect(), "POST media " + upload.label());
            }
        }
    }

    private record Upload(String label, Expect expect, List<Field> form, List<FilePart> files) {
    }

    private static List<FilePart> files(String field, int count, byte[] content) {
        return IntStream.range(0, count).mapToObj(i -> new FilePart(field, "photo" + i + ".png", content)).toList();
    }

    /** FixMyStreet's names: photo1 to photoN, one file each. */
    private static List<FilePart> photos(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> new FilePart("photo" + i, "photo" + i + ".jpeg", PNG)).toList();
    }

    /** The boundary of a multipart body (RFC 2046: 1-70 characters), its charset, and bodies its parts break. */
    private void multipartFramings() {
        List<Field> form = baseForm(SERVICE, List.of(new Field("attribute[size]", "small")));
        String valid = multipartBody("b", form, List.of()).toString(StandardCharsets.UTF_8);
        String seventy = "b".repeat(70);
        String part = "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" + KEY + "\r\n";
        String[][] framings = {
                {"ACCEPTED", "a boundary of one character", "multipart/form-data; boundary=b", valid},
                {"ACCEPTED", "a boundary of 70 characters", "multipart/form-data; boundary=" + seventy,
                        multipartBody(seventy, form, List.of()).toString(StandardCharsets.UTF_8)},
                {"ACCEPTED", "a quoted boundary with a space", "multipart/form-data; boundary=\"b c\"",
                        multipartBody("b c", form, List.of()).toString(StandardCharsets.UTF_8)},
                {"ACCEPTED", "upper case", "Multipart/Form-Data; Boundary=b", valid},
                {"ACCEPTED", "charset UTF-8", "multipart/form-data; boundary=b; charset=UTF-8", valid},
                {"ACCEPTED", "the boundary after two other parameters", "multipart/form-data; charset=utf-8; x=y; boundary=b", valid},
                {"ANSWERED", "a preamble and an epilogue", "multipart/form-data; boundary=b", "preamble\r\n" + valid + "epilogue\r\n"},
                {"REFUSED", "a boundary of 71 characters", "multipart/form-data; boundary=" + seventy + "b",
                        multipartBody(seventy + "b", form, List.of()).toString(StandardCharsets.UTF_8)},
                {"REFUSED", "no boundary", "multipart/form-data", valid},
                {"REFUSED", "an empty boundary", "multipart/form-data; boundary=", valid},
                {"REFUSED", "an empty quoted boundary", "multipart/form-data; boundary=\"\"", valid},
                {"REFUSED", "a lone quote as boundary", "multipart/form-data; boundary=\"", valid},
                {"REFUSED", "a boundary ending in a space", "multipart/form-data; boundary=\"b \"", valid},
                {"REFUSED", "a boundary with a quote inside", "multipart/form-data; boundary=b\"c", valid},
                {"REFUSED", "two boundaries", "multipart/form-data; boundary=b; boundary=c", valid},
                {"REFUSED", "an unknown charset", "multipart/form-data; boundary=b; charset=no-such-charset", valid},
                {"REFUSED", "an illegal charset name", "multipart/form-data; boundary=b; charset=!!", valid},
                {"ANSWERED", "no final delimiter", "multipart/form-data; boundary=b", part},
                {"REFUSED", "no delimiter at all", "multipart/form-data; boundary=b", "api_key=" + KEY},
                {"REFUSED", "an empty body", "multipart/form-data; boundary=b", ""},
                {"REFUSED", "a part without Content-Disposition", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "a part without a name", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "a part header without a colon", "multipart/form-data; boundary=b", "--b\r\ngarbage\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "a part in an unknown charset", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain; charset=nope\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "a file in an unknown transfer encoding", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\nContent-Transfer-Encoding: nope\r\n\r\nx\r\n--b--\r\n"},
                {"ANSWERED", "a field in base64", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n--b--\r\n"},
                {"ANSWERED", "nested multipart/mixed files", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"media\"\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
                                + "--c\r\nContent-Disposition: file; filename=\"a.png\"\r\n\r\nx\r\n--c--\r\n--b--\r\n"},
                {"ANSWERED", "nested multipart/mixed without a boundary", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"media\"\r\nContent-Type: multipart/mixed\r\n\r\nx\r\n--b--\r\n"},
                {"ANSWERED", "bare LF line ends", "multipart/form-data; boundary=b", valid.replace("\r\n", "\n")},
                {"REFUSED", "300 parts", "multipart/form-data; boundary=b", IntStream.range(0, 300)
                        .mapToObj(i -> "--b\r\nContent-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nx\r\n").collect(Collectors.joining()) + "--b--\r\n"},
                {"REFUSED", "a part name over the field limit", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"" + "n".repeat(Variants.OVER_FIELD_LIMIT) + "\"\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "a part header over the field limit", "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Long: " + "h".repeat(Variants.OVER_FIELD_LIMIT) + "\r\n\r\nx\r\n--b--\r\n"},
                {"REFUSED", "300 urlencoded fields", "application/x-www-form-urlencoded",
                        IntStream.range(0, 300).mapToObj(i -> "f" + i + "=x").collect(Collectors.joining("&"))},
                {"ANSWERED", "bad percent-encoding in the body", "application/x-www-form-urlencoded", "api_key=" + KEY + "&title=%ZZ%"},
                {"ANSWERED", "an unknown charset in urlencoded", "application/x-www-form-urlencoded; charset=nope", "api_key=" + KEY},
        };
        for (String[] framing : framings) {
            for (String format : List.of("json", "xml")) {
                HttpRequest request = HttpRequest.newBuilder(uri("/v1/requests." + format)).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", framing[2]).POST(HttpRequest.BodyPublishers.ofString(framing[3])).build();
                probe(request, Expect.valueOf(framing[0]), "POST framing: " + framing[1]);
            }
        }
    }

    /** Each query parameter of the list, each value in both formats. */
    private void listParameters() {
        for (Parameter parameter : ApiParameters.list(LISTED_CODES)) {
            for (Variant variant : Variants.of(parameter, true)) {
                String query = query(parameter, variant.values());
                for (String format : List.of("json", "xml")) {
                    probe(read("/v1/requests." + format + query), variant.expect(),
                            "GET requests " + parameter.name() + " " + variant.label());
                }
            }
        }
        // the corners of the world, where a radius search's box and grid cells are computed
        for (String lat : List.of("-90", "90")) {
            for (String lon : List.of("-180", "180")) {
                for (String radius : List.of("0", "100000")) {
                    probe(read("/v1/requests.json?lat=" + lat + "&long=" + lon + "&radius=" + radius), ACCEPTED,
                            "GET requests near a corner of the world");
                }
            }
        }
        probe(read("/v1/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z"), ACCEPTED,
                "GET requests over the longest span");
        probe(read("/v1/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z"), REFUSED,
                "GET requests over a span just too long");
        probe(read("/v1/requests.json?page=" + 1_000_000 + "&page_size=1000"), ACCEPTED, "GET requests at the last page");
    }

    /** The update feed's window and paging, as FixMyStreet and anyone else may send them. */
    private void updateParameters() {
        for (Parameter parameter : ApiParameters.updates()) {
            for (Variant variant : Variants.of(parameter, true)) {
                String query = query(parameter, variant.values());
                for (String format : List.of("json", "xml")) {
                    probe(read("/v1/servicerequestupdates." + format + query), variant.expect(),
                            "GET servicerequestupdates " + parameter.name() + " " + variant.label());
                }
            }
        }
        probe(read("/v1/servicerequestupdates.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-01-08T00:00:00Z"), ACCEPTED,
                "GET servicerequestupdates over the longest span");
        probe(read("/v1/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-08T00:00:01Z"), REFUSED,
                "GET servicerequestupdates over a span just too long");
    }

    /** Ids, codes, tokens and media names in paths; the format suffix; the other GETs' query parameters. */
    private void pathParameters() {
        String id = storedId();
        // before, the valid segment, after; a token is never found
        String[][] paths = {
                {"/v1/requests/", id, ".json"}, {"/v1/services/", SERVICE, ".xml"}, {"/v1/media/", storedMedia, ""},
                {"/v1/requests/" + id + ".", "json", ""}, {"/v1/services.", "xml", ""}, {"/v1/tokens/", null, ".json"},
        };
        for (String[] path : paths) {
            boolean neverFound = path[1] == null;
            Parameter segment = Parameter.of("segment", Parameter.Kind.REFERENCE, 0, InputLimits.CODE_MAX)
                    .oneOf(List.of(neverFound ? "t0ken" : path[1]));
            for (Variant variant : Variants.of(segment, true)) {
                if (variant.values().size() != 1) {
                    continue; // a path segment is neither repeated nor left out
                }
                String value = variant.values().get(0);
                // an empty segment makes another path (e.g. /v1/services/.xml)
                Expect expect = value.isEmpty() ? ANSWERED : neverFound ? REFUSED : variant.expect();
                probe(read(path[0] + encode(value) + path[2]), expect, "GET " + path[0] + "… " + variant.label());
            }
        }
        for (String base : List.of("/v1/requests/" + id + ".json", "/v1/services.xml", "/v1/services/" + SERVICE + ".json",
                "/v1/discovery.xml")) {
            for (Parameter parameter : ApiParameters.otherQueries()) {
                for (Variant variant : Variants.of(parameter, true)) {
                    probe(read(base + query(parameter, variant.values())), variant.expect(),
                            "GET " + base + " " + parameter.name() + " " + variant.label());
                }
            }
        }
    }

    // ---- hostile values ----

    /** One hostile value in every parameter and path segment; POSTs rotate over formats and encodings. */
    private void hostile(int index, String value) {
        String format = index % 2 == 0 ? "json" : "xml";
        String other = index % 2 == 0 ? "xml" : "json";
        String v = encode(value);
        probe(read("/v1/discovery." + v), ANSWERED, "GET discovery");
        probe(read("/v1/services." + v + "?locale=" + v), ANSWERED, "GET services");
        probe(read("/v1/services/" + v + "." + format + "?locale=" + v), ANSWERED, "GET service definition");
        probe(read("/v1/services/" + v + "." + other), ANSWERED, "GET service definition");
        probe(read("/v1/requests/" + v + "." + format + "?extensions=" + v), ANSWERED, "GET request");
        probe(read("/v1/requests/" + v + "." + other), ANSWERED, "GET request");
        probe(read("/v1/tokens/" + v + "." + format), ANSWERED, "GET token");
        probe(read("/v1/media/" + v), ANSWERED, "GET media");
        probe(read("/v1/media/" + v + ".png"), ANSWERED, "GET media");
        probe(read("/v1/servicerequestupdates." + v), ANSWERED, "GET servicerequestupdates");
        List<Parameter> updates = ApiParameters.updates();
        for (int i = 0; i < updates.size(); i++) {
            probe(read("/v1/servicerequestupdates." + (i % 2 == 0 ? format : other) + query(updates.get(i), List.of(value))),
                    ANSWERED, "GET servicerequestupdates " + updates.get(i).name() + " hostile");
        }
        List<Parameter> list = ApiParameters.list(LISTED_CODES);
        for (int i = 0; i < list.size(); i++) {
            Parameter parameter = list.get(i);
            probe(read("/v1/requests." + (i % 2 == 0 ? format : other) + query(parameter, List.of(value))), ANSWERED,
                    "GET requests " + parameter.name() + " hostile");
        }
        List<Field> base = baseForm(SERVICE, List.of(new Field("attribute[size]", "small")));
        List<String> fields = new ArrayList<>(ApiParameters.postForm(KEY, SERVICE).stream().map(Parameter::name).toList());
        fields.addAll(List.of("attribute[size]", "attribute[depth_cm]"));
        for (int i = 0; i < fields.size(); i++) {
            Combo combo = COMBOS.get((index + i) % COMBOS.size());
            probe(post(combo, with(base, fields.get(i), List.of(value)), List.of()), ANSWERED, "POST " + fields.get(i) + " hostile");
        }
        List<Field> named = new ArrayList<>(base);
        named.add(new Field(value, "x"));
        probe(post(COMBOS.get(index % COMBOS.size()), named, List.of()), ANSWERED, "POST hostile as a field name");
        probe(post(new Combo(format, true), base, List.of(new FilePart("media", value, value.getBytes(StandardCharsets.UTF_8)))),
                ANSWERED, "POST hostile media file name");
        for (String contentType : List.of("text/plain", "application/json", "text/xml")) {
            probe(HttpRequest.newBuilder(uri("/v1/requests." + other)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=" + KEY + "&description=" + value)).build(),
                    REFUSED, "POST " + contentType);
        }
        probe(HttpRequest.newBuilder(uri("/v1/backend/crm/notifications")).header("Content-Type", "application/json")
                .header("X-Signature", "sha256=" + v).POST(HttpRequest.BodyPublishers.ofString(value)).build(),
                REFUSED, "POST crm notification");
        probe(HttpRequest.newBuilder(uri("/v1/backend/aspa/notifications")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(value)).build(), REFUSED, "POST aspa notification");
        probe(read("/v1/" + v + "." + format), REFUSED, "GET unknown");
        probe(read("/" + v), REFUSED, "GET unknown");
        probe(HttpRequest.newBuilder(uri("/v1/requests/" + v + "." + format)).DELETE().build(), REFUSED, "DELETE request");
        probe(HttpRequest.newBuilder(uri("/v1/services." + format)).PUT(HttpRequest.BodyPublishers.ofString(value)).build(),
                REFUSED, "PUT services");
    }

    /** Methods and paths the API does not have. */
    private void elsewhere() {
        for (String method : List.of("DELETE", "PUT", "PATCH", "OPTIONS")) {
            for (String path : List.of("/v1/requests.json", "/v1/services.xml", "/v1/requests/" + storedId() + ".json")) {
                // OPTIONS on a path the API has lists its methods (204 with Allow); the others are 405
                probe(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                        method.equals("OPTIONS") ? ANSWERED : REFUSED, method + " " + path);
            }
        }
    }

    /** Percent-encoding that is not UTF-8, in paths and queries of every endpoint. */
    private void invalidUtf8() {
        // (malformed escapes such as %ZZ cannot be sent by java.net.URI; LimitsTest covers them)
        for (String bad : List.of("%FF", "%C3%28", "%E2%82", "%ED%A0%80", "%F8%88%80%80%80", "%C0%AF", "%80")) {
            for (String format : List.of("json", "xml")) {
                probe(read("/v1/services/" + bad + "." + format), REFUSED, "GET bad UTF-8 path");
                probe(read("/v1/requests." + format + "?service_code=" + bad), REFUSED, "GET bad UTF-8 query");
                probe(read("/v1/services." + format + "?locale=" + bad), REFUSED, "GET bad UTF-8 query");
                probe(post(new Combo(format, false), List.of(new Field("api_key", KEY)), List.of(), "?locale=" + bad),
                        REFUSED, "POST bad UTF-8 query");
            }
        }
    }

    // ---- building and sending requests ----

    private List<Field> baseForm(String serviceCode, List<Field> answers) {
        List<Field> form = new ArrayList<>(List.of(new Field("api_key", KEY), new Field("service_code", serviceCode),
                new Field("description", "Syvä kuoppa pyörätiellä"), new Field("lat", ApiParameters.LAT),
                new Field("long", ApiParameters.LONG)));
        form.addAll(answers);
        return form;
    }

    /** The form with the parameter's values (none: left out) and the companions it needs. */
    private static List<Field> with(List<Field> base, Parameter parameter, List<String> values) {
        List<Field> form = new ArrayList<>(base);
        parameter.companions().forEach((name, value) -> {
            form.removeIf(f -> f.name().equals(name));
            form.add(new Field(name, value));
        });
        form.removeIf(f -> f.name().equals(parameter.name()));
        values.forEach(value -> form.add(new Field(parameter.name(), value)));
        return form;
    }

    private static List<Field> with(List<Field> base, String name, List<String> values) {
        return with(base, Parameter.of(name, Parameter.Kind.FREE, 0, 0), values);
    }

    private static String query(Parameter parameter, List<String> values) {
        List<String> pairs = new ArrayList<>();
        parameter.companions().forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        values.forEach(value -> pairs.add(encode(parameter.name()) + "=" + encode(value)));
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private HttpRequest post(Combo combo, List<Field> form, List<FilePart> files) {
        return post(combo, form, files, "");
    }

    private HttpRequest post(Combo combo, List<Field> form, List<FilePart> files, String query) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/requests." + combo.format() + query)).timeout(Duration.ofSeconds(20));
        if (combo.multipart() || !files.isEmpty()) {
            String boundary = "corpus-boundary-" + sent;
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(boundary, form, files).toByteArray()));
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.stream()
                            .map(f -> encode(f.name()) + "=" + encode(f.value())).collect(Collectors.joining("&"))));
        }
        return request.build();
    }

    private static ByteArrayOutputStream multipartBody(String boundary, List<Field> form, List<FilePart> files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Field field : form) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.name() + "\"\r\n\r\n"
                    + field.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (FilePart file : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.field() + "\"; filename=\""
                    + file.fileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body;
    }

    private HttpRequest read(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET().build();
    }

    /** Over HTTP/1.1 or HTTP/2 (the server's form decoding differs between them). */
    private static HttpAnswer send(HttpRequest request, boolean http1) {
        try {
            HttpResponse<String> response = (http1 ? HTTP_1 : HTTP_2).send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpAnswer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + abbreviate(request.uri().toString()), e);
        }
    }

    /** A request the corpus posted and the gateway accepted, for the paths that read one. */
    private String storedId() {
        if (storedId == null) {
            HttpAnswer posted = send(post(COMBOS.get(0), baseForm(SERVICE, List.of(new Field("attribute[size]", "small"))), List.of()), true);
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            acceptedPosts++;
            storedId = posted.json().get(0).path("service_request_id").asText();
        }
        return storedId;
    }

    /** The stored name of a photo the corpus uploaded, for GET media/{name}. */
    private String storedMedia() {
        if (storedMedia == null) {
            HttpAnswer posted = send(post(new Combo("json", true), baseForm(SERVICE, List.of(new Field("attribute[size]", "small"))),
                    files("media", 1, PNG)), false);
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            acceptedPosts++;
            String id = posted.json().get(0).path("service_request_id").asText();
            String url = get("/v1/requests/" + id + ".json?extensions=true").json().get(0)
                    .path("extended_attributes").path("media_urls").get(0).asText();
            storedMedia = url.substring(url.lastIndexOf('/') + 1);
        }
        return storedMedia;
    }

    // ---- checking answers ----

    private void probe(HttpRequest request, Expect expect, String what) {
        probes.add(new Probe(request, expect, what));
    }

    /** Sends the requests generated so far, a few at a time, over HTTP/1.1 and HTTP/2 in turn, and checks each answer. */
    private void run(String section) throws Exception {
        long started = System.nanoTime();
        List<Probe> batch = List.copyOf(probes);
        probes.clear();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> answered = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Probe probe = batch.get(i);
                boolean http1 = i % 2 == 0;
                answered.add(clients.submit(() -> check(send(probe.request(), http1), probe.expect(), probe.what())));
            }
            for (Future<?> each : answered) {
                each.get();
            }
        } finally {
            clients.shutdownNow();
        }
        bySection.put(section, batch.size() + " in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    private synchronized void check(HttpAnswer answer, Expect expect, String what) {
        sent++;
        byStatus.merge(answer.status(), 1, Integer::sum);
        boolean post = answer.raw().request().method().equals("POST") && answer.raw().request().uri().getPath().startsWith("/v1/requests.");
        if (post && answer.status() == 200) {
            acceptedPosts++;
        }
        String problem = problem(answer, expect);
        if (problem != null && failures.size() < 40) {
            failures.add(what + ": " + answer.raw().request().method() + " " + abbreviate(answer.raw().request().uri().toString())
                    + " (HTTP " + (answer.raw().version() == HttpClient.Version.HTTP_1_1 ? "1.1" : "2") + ") -> "
                    + answer.status() + ": " + problem + ": " + abbreviate(answer.body()));
        }
    }

    private static String problem(HttpAnswer answer, Expect expect) {
        int status = answer.status();
        if (status >= 500) {
            return "a 5xx";
        }
        if (expect == ACCEPTED && status != 200) {
            return "not accepted";
        }
        if (expect == REFUSED && status < 400) {
            return "not refused";
        }
        if (status >= 300 && status < 400) {
            return "a redirect";
        }
        if (status == 204) {
            // OPTIONS on a path the API has: no body, the methods it takes in Allow
            return answer.body().isEmpty() && answer.raw().headers().firstValue("Allow").isPresent() ? null : "a 204 with a body or no Allow";
        }
        String path = answer.raw().request().uri().getRawPath();
        boolean xml = path.toLowerCase(Locale.ROOT).endsWith(".xml");
        return status >= 400 ? errorShapeProblem(answer, xml) : parseProblem(answer, path, xml);
    }

    /** A 200 must be a whole answer in its format (media files are what was uploaded). */
    private static String parseProblem(HttpAnswer answer, String path, boolean xml) {
        if (path.startsWith("/v1/media/")) {
            return null;
        }
        try {
            if (xml) {
                answer.xml();
            } else {
                answer.json();
            }
            return null;
        } catch (AssertionError e) {
            return "a 200 that does not parse";
        }
    }

    private static String errorShapeProblem(HttpAnswer answer, boolean xml) {
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

    /**
     * A stack trace at any level, or an ERROR of the gateway or its HTTP server (Vert.x logs a request's
     * unexpected exception as "Unhandled exception"). Camel's error handler is left out: once, among some
     * 4,700 requests, it logged at ERROR (without a trace) an ApiException the routes' onException answered.
     */
    private static boolean isFailureLogged(ILoggingEvent event) {
        boolean ours = event.getLoggerName().startsWith("org.open311") || event.getLoggerName().startsWith("io.vertx")
                || event.getLoggerName().startsWith("io.netty");
        return event.getThrowableProxy() != null || (ours && event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    /** Requests in the store, published or not. */
    private int stored() throws Exception {
        DataSource store = context.getRegistry().lookupByNameAndType("store", DataSource.class);
        try (var connection = store.getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM service_request")) {
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

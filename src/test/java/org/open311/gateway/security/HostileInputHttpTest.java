package org.open311.gateway.security;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Hostile input over real HTTP: bodies over the size limit, slow and truncated uploads, invalid UTF-8,
 * XML with entities, absurd and injecting values. Each gets a 4xx in GeoReport v2's error shape and
 * changes nothing.
 */
class HostileInputHttpTest extends GatewayTestSupport {

    static final String KEY = "hostile-input-key";
    static final long MAX_BODY = 100_000;
    static final byte[] PNG = org.open311.gateway.TestImages.png();

    private Path uploadsInProgress;
    private Path mediaDir;
    private String dbUrl;
    private HttpServer entityTarget;
    private final AtomicInteger entityReads = new AtomicInteger();

    @Override
    protected Properties settings() {
        try {
            uploadsInProgress = Files.createTempDirectory("uploads-in-progress");
            mediaDir = Files.createTempDirectory("media");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.media.dir", mediaDir.toString());
        settings.put("camel.server.file-upload-directory", uploadsInProgress.toString());
        settings.put("camel.server.max-body-size", String.valueOf(MAX_BODY));
        settings.put("gateway.http.body-timeout-ms", "1000");
        return settings;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = super.useOverridePropertiesWithPropertiesComponent();
        dbUrl = properties.getProperty("gateway.db.url");
        return properties;
    }

    @AfterAll
    void stopEntityTarget() {
        if (entityTarget != null) {
            entityTarget.stop(0);
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413InTheAskedFormat() throws Exception {
        int before = storedRequests();
        String json = rawExchange("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n", new byte[0], false);
        String xml = rawExchange("POST /v1/requests.xml HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 999999999\r\n\r\n", new byte[0], false);

        assertThat(json).startsWith("HTTP/1.1 413");
        assertThat(body(json)).startsWith("[{\"code\":413,\"description\":\"The request body is larger than");
        assertThat(xml).startsWith("HTTP/1.1 413");
        assertThat(body(xml)).contains("<errors><error><code>413</code>");
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void aStreamedBodyOverTheLimitIs413InTheErrorShape() throws Exception {
        long media = filesIn(mediaDir);
        String boundary = "streamed";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"big.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(PNG);
        body.writeBytes(new byte[(int) MAX_BODY * 2]);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        // a chunked body declares no length: the server counts as it reads
        HttpAnswer answer = send(HttpRequest.newBuilder(uri("/v1/requests.xml"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.toByteArray()))).build());

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.xpath("/errors/error/code")).containsExactly("413");
        assertThat(answer.body()).doesNotContain("Exception", "org.", "<html");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(filesIn(uploadsInProgress)).isZero());
        assertThat(filesIn(mediaDir)).isEqualTo(media);
    }

    @Test
    void aLongFinnishDescriptionWithinTheApiLimitIsAcceptedInEitherEncoding() {
        // 5,000 characters of two UTF-8 bytes each: 30,000 bytes percent-encoded, over the server's default 8 KB per field
        String description = "ä".repeat(5000);
        HttpAnswer form = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "small",
                "lat", "60.17", "long", "24.94", "description", description);
        HttpAnswer multipart = postMultipart("/v1/requests.json", List.of(field("api_key", KEY), field("service_code", "171"),
                field("attribute[size]", "small"), field("lat", "60.17"), field("long", "24.94"), field("description", description)));

        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(multipart.status()).as(multipart.body()).isEqualTo(200);
        String id = form.json().get(0).path("service_request_id").asText();
        assertThat(get("/v1/requests/" + id + ".json").json().get(0).path("description").asText()).isEqualTo(description);
    }

    @Test
    void aFormFieldOverTheServersFieldLimitIs400InTheErrorShape() {
        HttpAnswer answer = postForm("/v1/requests.json", "api_key", KEY, "description", "a".repeat(70_000));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).containsExactly("The request could not be read");
    }

    /**
     * Request smuggling's shape: a proxy in front that goes by Content-Length passes the whole body on, a
     * server that goes by Transfer-Encoding ends the body at "0" and reads the rest as a second request.
     */
    @Test
    void aRequestWithBothContentLengthAndChunkedIs400AndTheRequestHiddenInItsBodyIsNeverAnswered() throws Exception {
        int before = storedRequests();
        String form = "api_key=" + KEY + "&service_code=171&attribute[size]=small&lat=60.17&long=24.94&description=Smuggled+in+a+body";
        String hidden = "POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + form.length() + "\r\n\r\n" + form;
        String body = "0\r\n\r\n" + hidden;
        String answer;
        boolean closed = true;
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            }
            answer = read.toString(StandardCharsets.UTF_8);
        }

        assertThat(answer.split("HTTP/1\\.1 ", -1)).as("answers on the connection: " + answer).hasSize(2);
        assertThat(closed).as("connection closed after the answer").isTrue();
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(body(answer)).isEqualTo("[{\"code\":400,\"description\":\"The request's length is ambiguous: "
                + "Send either Content-Length or Transfer-Encoding, not both\"}]");
        assertThat(answer).contains("X-Content-Type-Options: nosniff");
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void aStalledUploadIsAnswered408AndItsConnectionClosed() throws Exception {
        int before = storedRequests();
        String answer = rawExchange("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n",
                ("api_key=" + KEY + "&description=only+the+start").getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(body(answer)).startsWith("[{\"code\":408,\"description\":\"The request body did not arrive");
        assertThat(storedRequests()).isEqualTo(before);
        assertThat(get("/v1/discovery.json").status()).isEqualTo(200);
    }

    @Test
    void aTruncatedMultipartUploadStoresNothingAndLeavesNoTemporaryFile() throws Exception {
        int before = storedRequests();
        long media = filesIn(mediaDir);
        String boundary = "truncated";
        byte[] start = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" + KEY + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        partial.writeBytes(start);
        partial.writeBytes(PNG);
        partial.writeBytes(new byte[20_000]);
        rawExchange("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 90000\r\n\r\n",
                partial.toByteArray(), true);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(filesIn(uploadsInProgress)).isZero());
        assertThat(filesIn(mediaDir)).isEqualTo(media);
        assertThat(storedRequests()).isEqualTo(before);
        HttpAnswer ready = send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + managementPort()
                + "/observe/health/ready")).GET().build());
        assertThat(ready.status()).isEqualTo(200);
    }

    @Test
    void completedUploadsLeaveNoTemporaryFile() throws Exception {
        long media = filesIn(mediaDir);
        HttpAnswer posted = postMultipart("/v1/requests.json", List.of(field("api_key", KEY), field("service_code", "171"),
                field("description", "Kuoppa pyörätiellä, kuva liitteenä"), field("lat", "60.17"), field("long", "24.94"),
                field("attribute[size]", "small"), file("media", "photo.png", PNG)));
        HttpAnswer refused = postMultipart("/v1/requests.json", List.of(field("api_key", KEY),
                file("media", "photo.png", "<html>".getBytes(StandardCharsets.UTF_8))));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(filesIn(uploadsInProgress)).isZero());
        assertThat(filesIn(mediaDir)).isEqualTo(media + 1);
    }

    @Test
    void invalidUtf8InFormFieldsAndQueryValuesIs400AndNothingIsStored() throws Exception {
        int before = storedRequests();
        HttpAnswer form = send(HttpRequest.newBuilder(uri("/v1/requests.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + KEY + "&service_code=171&attribute[size]=small"
                        + "&lat=60.17&long=24.94&description=Kuoppa+%FF%FE+py%C3%B6r%C3%A4tiell%C3%A4+syv%C3%A4")).build());
        ByteArrayOutputStream description = new ByteArrayOutputStream();
        description.writeBytes("Kuoppa ".getBytes(StandardCharsets.UTF_8));
        description.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        description.writeBytes(" pyörätiellä syvä".getBytes(StandardCharsets.UTF_8));
        HttpAnswer multipart = postMultipart("/v1/requests.xml", List.of(field("api_key", KEY), field("service_code", "171"),
                field("attribute[size]", "small"), field("lat", "60.17"), field("long", "24.94"),
                new Part("description", null, description.toByteArray())));
        HttpAnswer query = get("/v1/requests.json?service_code=%C3%28");
        HttpAnswer path = get("/v1/requests/%FF%FE.xml");

        assertThat(form.status()).isEqualTo(400);
        assertThat(form.jsonField("description")).containsExactly("description: not valid UTF-8 text");
        assertThat(multipart.status()).isEqualTo(400);
        assertThat(multipart.xpath("/errors/error/description")).containsExactly("description: not valid UTF-8 text");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.jsonField("description")).containsExactly("The path or query is not valid UTF-8 percent-encoding");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.xpath("/errors/error/code")).containsExactly("400");
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void bodiesThatAreNotFormsAre415() throws Exception {
        int before = storedRequests();
        String json = "{\"api_key\":\"" + KEY + "\",\"service_code\":\"171\"}";
        for (String contentType : List.of("text/xml", "application/xml", "application/json", "text/plain")) {
            HttpAnswer answer = send(HttpRequest.newBuilder(uri("/v1/requests.json")).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build());
            assertThat(answer.status()).as(contentType).isEqualTo(415);
            assertThat(answer.jsonField("code")).containsExactly("415");
        }
        HttpAnswer none = send(HttpRequest.newBuilder(uri("/v1/requests.xml"))
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + KEY)).build());
        assertThat(none.status()).isEqualTo(415);
        assertThat(none.xpath("/errors/error/code")).containsExactly("415");
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void xmlWithEntitiesIsRefusedUnreadOnEveryPostPath() throws Exception {
        int before = storedRequests();
        entityTarget = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        entityTarget.createContext("/", exchange -> {
            entityReads.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        entityTarget.start();
        String external = "http://127.0.0.1:" + entityTarget.getAddress().getPort() + "/xxe";
        List<String> bodies = List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + external + "\">]><r>&x;</r>",
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"" + external + "\"> %p;]><r/>",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><l>&d;</l>");
        List<String> paths = List.of("/v1/requests.json", "/v1/requests.xml",
                "/v1/backend/crm/notifications", "/v1/backend/aspa/notifications");
        int answered = 0;
        for (String path : paths) {
            for (String body : bodies) {
                for (String contentType : List.of("text/xml", "application/xml", "application/xhtml+xml")) {
                    HttpAnswer answer = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                    assertThat(answer.status()).as(path + " " + contentType).isEqualTo(415);
                    assertThat(answer.body()).doesNotContain("aaaaaaaaaa", "Exception");
                    answered++;
                }
            }
        }
        assertThat(answered).isEqualTo(36);
        assertThat(entityReads).hasValue(0);
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void absurdQueryValuesAre400NamingTheParameter() {
        String[][] cases = {
                {"page_size=100000000", "page_size:"}, {"page_size=-1", "page_size:"}, {"page=0", "page:"},
                {"lat=60.1&long=24.9&radius=-5", "radius:"}, {"lat=60.1&long=24.9&radius=1e12", "radius:"},
                {"lat=91&long=24.9&radius=10", "lat:"}, {"lat=NaN&long=24.9&radius=10", "lat:"},
                {"lat=60.1&long=Infinity&radius=10", "long:"}, {"start_date=99999-01-01T00:00:00Z", "start_date:"},
                {"start_date=%2B99999-01-01T00:00:00Z", "start_date:"}, {"end_date=0000-01-01T00:00:00Z", "end_date:"},
                {"bbox=1,2,3", "bbox:"}, {"status=" + "x".repeat(3000), "status:"},
                {"service_code=" + "7".repeat(3000), "service_code:"},
                {"service_request_id=" + "a".repeat(3000), "service_request_id:"},
                {"service_object_type=" + "t".repeat(3000) + "&service_object_id=1", "service_object_type:"},
        };
        for (String[] query : cases) {
            HttpAnswer answer = get("/v1/requests.json?" + query[0]);
            assertThat(answer.status()).as(query[0]).isEqualTo(400);
            assertThat(answer.jsonField("description")).as(query[0]).anySatisfy(d -> assertThat(d).startsWith(query[1]));
        }
    }

    @Test
    void injectionAndTraversalStringsChangeNothing() throws Exception {
        List<String> hostile = List.of("' OR '1'='1", "1; DROP TABLE service_request; --", "\" OR 1=1 --",
                "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "${jndi:ldap://x/a}");
        for (String value : hostile) {
            String encoded = java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
            HttpAnswer list = get("/v1/requests.json?service_code=" + encoded + "&status=open");
            // no such service: the document's 404, in the error shape
            assertThat(list.status()).as(value).isEqualTo(404);
            assertThat(list.json().get(0).path("code").asInt()).as(value).isEqualTo(404);
            assertThat(get("/v1/requests/" + encoded + ".json").status()).as(value).isEqualTo(404);
            assertThat(get("/v1/media/" + encoded).status()).as(value).isEqualTo(404);
            HttpAnswer post = postForm("/v1/requests.json", "api_key", value, "service_code", value);
            assertThat(post.status()).as(value).isEqualTo(403);
        }
        HttpAnswer upload = postMultipart("/v1/requests.json", List.of(field("api_key", KEY), field("service_code", "171"),
                field("description", "Kuoppa pyörätiellä, syvä ja vaarallinen"), field("lat", "60.17"), field("long", "24.94"),
                field("attribute[size]", "small"), file("media", "../../../../tmp/evil'; DROP TABLE api_key;--.png", PNG)));
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        try (var files = Files.list(mediaDir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).allMatch(n -> n.matches("[0-9a-f]{32}\\.png"));
        }
        try (var connection = DriverManager.getConnection(dbUrl, "sa", "");
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM api_key")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    /** Sends a raw request; with {@code abort} closes the socket right after, else reads the answer until the server closes. */
    private String rawExchange(String head, byte[] body, boolean abort) throws Exception {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (abort) {
                return "";
            }
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String rawAnswer) {
        return rawAnswer.substring(rawAnswer.indexOf("\r\n\r\n") + 4);
    }

    private int storedRequests() throws Exception {
        try (var connection = DriverManager.getConnection(dbUrl, "sa", "");
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM service_request")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static long filesIn(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}

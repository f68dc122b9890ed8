package org.open311.gateway.limits;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.backends.Notifications;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Each endpoint's body limit ({@link BodyLimits}) is enforced before the body is read, with the server's
 * default limit of 55 MB: an unsigned 50 MB push to the notification endpoint (256 KB) is refused before
 * the client has sent it, declared or chunked, and its connection closed; valid pushes and posts go on.
 */
class BodyLimitHttpTest extends GatewayTestSupport {

    private static final String KEY = "body-limit-key";
    private static final String SECRET = "body-limit-push-secret";
    private static final String ADMIN_TOKEN = "body-limit-admin-token";
    private static final long FIFTY_MB = 50L * 1024 * 1024;
    /** What a client writes before it stops and reads: far over each small limit, far under 50 MB. */
    private static final int SENT_BEFORE_READING = 2 * 1024 * 1024;

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.backend.crm.notification-secret", SECRET);
        settings.put("gateway.admin.token", ADMIN_TOKEN);
        return settings;
    }

    @Test
    void aDeclared50MbPushIs413BeforeItsBodyIsSentAndTheConnectionClosed() throws Exception {
        String answer = sendThenRead("POST /v1/backend/crm/notifications HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(body(answer)).isEqualTo("[{\"code\":413,\"description\":\"The request body is larger than 262144 bytes\"}]");
    }

    @Test
    void aChunked50MbPushIsCutOffAsItPassesTheLimit() throws Exception {
        String answer = sendThenRead("POST /v1/backend/crm/notifications HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", true);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(body(answer)).isEqualTo("[{\"code\":413,\"description\":\"The request body is too large\"}]");
    }

    @Test
    void otherSmallEndpointsRefuseLargeBodiesBeforeReadingThem() throws Exception {
        String[] requests = {
                // the urlencoded form: 1 MB (gateway.http.max-form-body-bytes)
                "POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                // the admin API reads no body
                "POST /admin/mappings/reload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\n",
                // nor does a GET (here one the catalogue's fast path answers)
                "GET /v1/services.json HTTP/1.1\r\nHost: localhost\r\n",
                "PUT /v1/unknown.xml HTTP/1.1\r\nHost: localhost\r\n",
        };
        for (String head : requests) {
            String declared = sendThenRead(head + "Content-Length: " + FIFTY_MB + "\r\n\r\n", false);
            String chunked = sendThenRead(head + "Transfer-Encoding: chunked\r\n\r\n", true);

            assertThat(declared).as(head).startsWith("HTTP/1.1 413");
            assertThat(chunked).as(head).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aMultipartPostMayStillUseTheServersLimit() {
        byte[] large = new byte[3 * 1024 * 1024];
        HttpAnswer answer = postMultipart("/v1/requests.json", List.of(field("api_key", KEY), field("service_code", "171"),
                field("description", "Kuoppa pyörätiellä, kuva liitteenä"), file("photo", "large.bin", large)));

        // read in full (over the form's 1 MB) and judged by the API
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).contains("photo: files are accepted only in field media, media[] or photo1, photo2, …");
    }

    /** A small body is read after the multipart framing is checked (an empty boundary broke the form decoder: a 500). */
    @Test
    void aMalformedMultipartBodyToASmallEndpointIs400() {
        for (String path : List.of("/v1/backend/crm/notifications", "/admin/mappings/reload", "/v1/unknown.json")) {
            HttpAnswer answer = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "multipart/form-data; boundary=")
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("--\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n----\r\n"))
                    .build());

            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.jsonField("code")).as(path).containsExactly("400");
        }
    }

    @Test
    void aValidSignedPushNearTheLimitIsApplied() {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "small",
                "description", "Kuoppa pyörätiellä Kalliossa", "lat", "60.18", "long", "24.95");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        // padded to 200 KB by a field the change does not use
        String change = "{\"case_id\":\"C-77\",\"reference\":\"" + id + "\",\"state\":\"ESCALATED\",\"published\":true,"
                + "\"status_notes\":\"Tutkitaan\",\"version\":1000000,\"updated_at\":\"2026-11-27T12:00:00Z\","
                + "\"padding\":\"" + "x".repeat(200 * 1024) + "\"}";
        byte[] bytes = change.getBytes(StandardCharsets.UTF_8);

        HttpAnswer pushed = send(HttpRequest.newBuilder(uri("/v1/backend/crm/notifications"))
                .header("Content-Type", "application/json")
                .header(Notifications.SIGNATURE_HEADER, "sha256=" + Notifications.sign(SECRET, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());

        assertThat(pushed.status()).as(pushed.body()).isEqualTo(204);
        assertThat(get("/v1/requests/" + id + ".json").json().get(0).path("status_notes").asText()).isEqualTo("Tutkitaan");
    }

    /**
     * Sends the head, then up to {@link #SENT_BEFORE_READING} bytes of body (as chunks if asked) while the
     * server reads, stops (a write may fail once the server has closed), and reads the answer until the
     * server closes the connection. A server that waited for the whole body would never answer: the read
     * times out and the test fails.
     */
    private String sendThenRead(String head, boolean chunked) throws IOException {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            // one form field a piece, within the server's limits of field size and count: only the body limit is passed
            byte[] piece = ("a=" + "x".repeat(32 * 1024 - 3) + "&").getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int sent = 0; sent < SENT_BEFORE_READING; sent += piece.length) {
                    if (chunked) {
                        out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(piece);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                }
            } catch (IOException closedByTheServer) {
                // the server answered and closed while this client was still sending: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("No answer, or the connection kept open: " + read.toString(StandardCharsets.UTF_8), e);
            } catch (IOException reset) {
                // a reset after the answer: the server closed with the rest of the body unread
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }
}

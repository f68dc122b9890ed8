package org.open311.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.open311.gateway.api.ApiResponder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpFront} and {@link RequestFraming} on real Vert.x servers created the way Camel creates its
 * own (through the tuned Vert.x, the router set as the request handler): the start-up gate before and
 * after the ready signal, the router's own fallbacks, and requests whose length is ambiguous.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpFrontTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})");

    private final Vertx real = Vertx.vertx();
    private final int apiPort = AvailablePortFinder.getNextAvailable();
    private final int managementPort = AvailablePortFinder.getNextAvailable();
    private final HttpFront front = new HttpFront(new ApiResponder(), apiPort);

    @BeforeAll
    void startServers() throws Exception {
        Vertx tuned = ServerTuning.vertx(real, 60, 65536, 0, front);
        Router api = Router.router(real);
        Router routes = Router.router(real);
        // as Camel mounts its routes: a sub-router under the server's root router
        api.route("/*").subRouter(routes);
        routes.get("/v1/discovery.json").handler(context -> context.response().end("{}"));
        routes.get("/v1/boom.json").handler(context -> {
            throw new IllegalStateException("internal detail");
        });
        routes.post("/v1/echo.json").handler(BodyHandler.create(false))
                .handler(context -> context.response().end("read " + context.body().length()));
        listen(tuned, api, apiPort);
        Router management = Router.router(real);
        management.get("/observe/health/live").handler(context -> context.response().end("UP"));
        listen(tuned, management, managementPort);
    }

    private static void listen(Vertx vertx, Router router, int port) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions());
        server.requestHandler(router).listen(port, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        real.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** First: the gate opens only with the ready signal, which cannot be taken back. */
    @Test
    @Order(1)
    void theApiAnswers503UntilReadyAndNeverHtml() throws Exception {
        String starting = exchange(apiPort, "GET /v1/discovery.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String startingXml = exchange(apiPort, "GET /v1/services.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String startingPost = exchange(apiPort, "POST /v1/requests.json HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\napi_key=k");
        String health = exchange(managementPort, "GET /observe/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(statuses(starting)).containsExactly(503);
        assertThat(header(starting, "Retry-After")).isEqualTo(HttpFront.STARTING_RETRY_AFTER);
        assertThat(header(starting, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(errorCodes(starting)).containsExactly(503);
        assertThat(statuses(startingXml)).containsExactly(503);
        assertThat(body(startingXml)).startsWith("<?xml").contains("<errors><error><code>503</code>");
        // a body that would follow is not waited for: answered and closed at once
        assertThat(statuses(startingPost)).containsExactly(503);
        assertThat(header(startingPost, "Connection")).isEqualTo("close");
        assertThat(statuses(health)).as("the management port is not gated").containsExactly(200);

        front.ready();

        String ready = exchange(apiPort, "GET /v1/discovery.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(statuses(ready)).containsExactly(200);
        assertThat(body(ready)).isEqualTo("{}");
        assertThat(header(ready, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header(health, "X-Content-Type-Options")).isEqualTo("nosniff");

        // the router's own fallbacks, which Vert.x answers in HTML or plain text by default
        String unknown = exchange(apiPort, "GET /v1/nothing.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String unknownXml = exchange(apiPort, "GET /v1/nothing.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String wrongMethod = exchange(apiPort, "DELETE /v1/discovery.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String failure = exchange(apiPort, "GET /v1/boom.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String managementUnknown = exchange(managementPort, "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(statuses(unknown)).containsExactly(404);
        assertThat(errorCodes(unknown)).containsExactly(404);
        assertThat(body(unknownXml)).contains("<errors><error><code>404</code>");
        assertThat(statuses(wrongMethod)).containsExactly(405);
        assertThat(errorCodes(wrongMethod)).containsExactly(405);
        assertThat(statuses(failure)).containsExactly(500);
        assertThat(errorCodes(failure)).containsExactly(500);
        assertThat(statuses(managementUnknown)).containsExactly(404);
        assertThat(errorCodes(managementUnknown)).containsExactly(404);
        for (String answer : new String[]{unknown, unknownXml, wrongMethod, failure, managementUnknown}) {
            assertThat(answer).doesNotContainIgnoringCase("<html").doesNotContain("internal detail", "Exception");
            assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void aValidChunkedBodyIsRead() throws Exception {
        front.ready();
        String answer = exchange(apiPort, "POST /v1/echo.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        assertThat(statuses(answer)).containsExactly(200);
        assertThat(body(answer)).isEqualTo("read 5");
    }

    /**
     * Each shape can hide a second request in the first one's body (the server would read the body
     * differently from a proxy in front): one 400 in the error shape, the connection closed, the hidden
     * request never answered.
     */
    @Test
    void requestsWhoseLengthIsAmbiguousAre400AndTheirConnectionClosed() throws Exception {
        front.ready();
        String hidden = "GET /v1/discovery.json HTTP/1.1\r\nHost: x\r\n\r\n";
        String[] heads = {
                "Content-Length: " + ("0\r\n\r\n" + hidden).length() + "\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                "Transfer-Encoding: gzip\r\n",
                "Transfer-Encoding: gzip, chunked\r\n",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                "Transfer-Encoding: xchunked\r\n",
                "Content-Length: 5\r\nContent-Length: 6\r\n",
                "Content-Length: 5, 6\r\n",
                "Content-Length: 5\r\nContent-Length: 5\r\n",
                "Content-Length: +5\r\n",
        };
        for (String head : heads) {
            String answer = exchange(apiPort, "POST /v1/echo.json HTTP/1.1\r\nHost: x\r\n" + head + "\r\n0\r\n\r\n" + hidden);

            assertThat(statuses(answer)).as(head).containsExactly(400);
            assertThat(errorCodes(answer)).as(head).containsExactly(400);
            assertThat(header(answer, "X-Content-Type-Options")).as(head).isEqualTo("nosniff");
        }
        String http10 = exchange(apiPort, "POST /v1/echo.json HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden);
        assertThat(statuses(http10)).containsExactly(400);
        String both = exchange(apiPort, "POST /v1/echo.xml HTTP/1.1\r\nHost: x\r\n" + heads[0] + "\r\n0\r\n\r\n" + hidden);
        assertThat(body(both)).contains("<errors><error><code>400</code><description>The request's length is ambiguous: "
                + "Send either Content-Length or Transfer-Encoding, not both</description>");
    }

    @Test
    void requestsTheServerCannotReadAreAnsweredInTheErrorShapeAndClosed() throws Exception {
        front.ready();
        String longLine = exchange(apiPort, "GET /v1/discovery.json?q=" + "a".repeat(ServerTuning.MAX_REQUEST_LINE_BYTES)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String longHeaders = exchange(apiPort, "GET /v1/discovery.json HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
        String garbage = exchange(apiPort, "\u0001\u0002 nonsense\r\n\r\n");
        String withinTheLine = exchange(apiPort, "GET /v1/discovery.json?q=" + "a".repeat(20_000)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(statuses(longLine)).containsExactly(414);
        assertThat(errorCodes(longLine)).containsExactly(414);
        assertThat(statuses(longHeaders)).containsExactly(431);
        assertThat(errorCodes(longHeaders)).containsExactly(431);
        assertThat(statuses(garbage)).containsExactly(400);
        assertThat(errorCodes(garbage)).containsExactly(400);
        assertThat(statuses(withinTheLine)).as("a long query the API judges itself").containsExactly(200);
    }

    /** Sends the bytes and reads until the server closes the connection (fails if it keeps it open). */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The connection was kept open; read so far: " + read.toString(StandardCharsets.UTF_8), e);
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    /** The status of every answer on the connection (a hidden second request would add one). */
    static List<Integer> statuses(String raw) {
        List<Integer> statuses = new ArrayList<>();
        Matcher matcher = STATUS_LINE.matcher(raw);
        while (matcher.find()) {
            statuses.add(Integer.parseInt(matcher.group(1)));
        }
        return statuses;
    }

    static String header(String raw, String name) {
        for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase().startsWith(name.toLowerCase() + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    static String body(String raw) {
        return raw.substring(raw.indexOf("\r\n\r\n") + 4);
    }

    private static List<Integer> errorCodes(String raw) throws IOException {
        JsonNode errors = JSON.readTree(body(raw));
        List<Integer> codes = new ArrayList<>();
        errors.forEach(error -> codes.add(error.path("code").asInt()));
        return codes;
    }
}

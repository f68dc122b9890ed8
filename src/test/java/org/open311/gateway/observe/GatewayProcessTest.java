package org.open311.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.ExternalBackends;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as its own process, as operators run it, with JSON logs on standard output: a request's
 * access-log line carries the correlation id the answer showed (and the CRM received), and no contact
 * data or key; and a SIGTERM while a post is still uploading lets that post finish and be kept.
 */
class GatewayProcessTest {

    private static final String KEY = "process-test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> gateways = new ArrayList<>();
    private final List<Integer> managementPorts = new ArrayList<>();
    /** Settings a test adds to the next starts. */
    private final Map<String, String> extraSettings = new java.util.LinkedHashMap<>();

    @AfterEach
    void stopGateways() {
        gateways.forEach(Process::destroyForcibly);
    }

    @Test
    void theAccessLogLineCarriesTheCorrelationIdTheClientAndTheBackEndsSawAndNoContactData() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            Path log = launch(port, crm, aspa);
            String correlationId = "ops-test-correlation-0001";
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri(port, "/v1/requests.json"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Correlation-Id", correlationId)
                    .POST(HttpRequest.BodyPublishers.ofString("api_key=" + KEY + "&service_code=171&attribute[size]=large"
                            + "&description=Kuoppa+py%C3%B6r%C3%A4tiell%C3%A4+Kalliossa&lat=60.18&long=24.95"
                            + "&email=matti.meikalainen%40example.org&first_name=Matti&last_name=Meikalainen&phone=0401234567"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(posted.headers().firstValue("X-Correlation-Id")).contains(correlationId);
            String id = ExternalBackends.requestId(posted);

            await().atMost(Duration.ofSeconds(60)).until(() -> crm.correlationIdOf(id).isPresent() && aspa.correlationIdOf(id).isPresent());
            assertThat(crm.correlationIdOf(id)).contains(correlationId);
            assertThat(aspa.correlationIdOf(id)).contains(correlationId);
            assertThat(storedCorrelationId(id)).isEqualTo(correlationId);

            JsonNode access = await().atMost(Duration.ofSeconds(10)).until(() -> accessLine(log, correlationId), line -> line != null);
            assertThat(access.path("http_method").asText()).isEqualTo("POST");
            assertThat(access.path("endpoint").asText()).isEqualTo("/v1/requests.{format}");
            assertThat(access.path("path").asText()).isEqualTo("/v1/requests.json");
            assertThat(access.path("status").asInt()).isEqualTo(200);
            assertThat(access.path("format").asText()).isEqualTo("json");
            assertThat(access.path("duration_ms").isNumber()).isTrue();
            assertThat(access.path("client").asText()).isNotBlank();
            String everything = Files.readString(log);
            assertThat(everything).doesNotContain("matti.meikalainen", "Meikalainen", "0401234567", KEY);
            assertThat(jsonLines(log)).as("every log line is one JSON object").isNotEmpty();
        }
    }

    /**
     * On PostgreSQL, the production store: embedded H2 closes itself in its own JVM shutdown hook at
     * SIGTERM, so there a post still finishing gets a 503 (not stored, nothing half-written) instead.
     */
    @Test
    void aPostStillUploadingWhenTheGatewayIsStoppedIsAnsweredAndKept() throws Exception {
        assumeThat(TestDatabase.postgresUsable()).as("PostgreSQL reachable").isTrue();
        Properties store = TestDatabase.POSTGRES.freshStore();
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            Path log = launch(port, crm, aspa, store);
            Process gateway = gateways.get(0);
            int managementPort = managementPorts.get(0);
            byte[] body = multipart("slowboundary", Map.of("api_key", KEY, "service_code", "191",
                    "description", "Roskis on täynnä torin laidalla", "lat", "60.17", "long", "24.94"));
            int half = body.length / 2;

            try (Socket client = new Socket("localhost", port)) {
                client.setSoTimeout(30_000);
                OutputStream out = client.getOutputStream();
                out.write(("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=slowboundary\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, half);
                out.flush();
                // in flight once the server has its headers (on a busy machine that is not at once)
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        PrometheusText.scrape(managementPort).sum("open311_http_server_requests_in_flight") == 1);

                gateway.destroy(); // SIGTERM, as an orchestrator stops a container
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("new requests are answered 503"));
                HttpResponse<String> during = http.send(HttpRequest.newBuilder(uri(port, "/v1/discovery.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(during.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(during.body()).get(0).path("code").asInt()).isEqualTo(503);
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);

                out.write(body, half, body.length - half);
                out.flush();
                String answer = readAnswer(client.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 200");
                String id = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get(0).path("service_request_id").asText();
                assertThat(id).isNotBlank();

                assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("gateway stopped").isTrue();
                assertThat(Files.readString(log)).contains("No request in flight: stopping the routes");

                launch(port, crm, aspa, store);
                HttpResponse<String> kept = http.send(HttpRequest.newBuilder(uri(port, "/v1/requests/" + id + ".json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(kept.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(kept.body()).get(0).path("description").asText()).isEqualTo("Roskis on täynnä torin laidalla");
                await().atMost(Duration.ofSeconds(60)).until(() -> crm.caseByReference(id).isPresent());
                assertThat(crm.putCount(id)).isEqualTo(1);
            }
        }
    }

    /**
     * The first phase of a stop: readiness is down at once while requests are still served (for the readiness
     * delay), each answer closing its connection so a client reconnects through the balancer; only then 503s.
     */
    @Test
    void duringTheReadinessDelayReadinessIsDownWhileRequestsAreStillServedClosingTheirConnections() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            extraSettings.put("gateway.shutdown.readiness-delay-ms", "8000");
            extraSettings.put("gateway.shutdown.grace-period-seconds", "50"); // 8 + 25 + 10 + 3 s
            int port = AvailablePortFinder.getNextAvailable();
            Path log = launch(port, crm, aspa);
            Process gateway = gateways.get(0);
            int managementPort = managementPorts.get(0);

            gateway.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("readiness is down; still serving for 8000 ms"));
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                    + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            String answer = exchange(port, "GET /v1/discovery.json HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(answer).as("served, and the connection closed by the server (a kept-alive one would block this read)")
                    .startsWith("HTTP/1.1 200").containsIgnoringCase("\r\nconnection: close\r\n");
            assertThat(Files.readString(log)).doesNotContain("new requests are answered 503");

            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("gateway stopped").isTrue();
            assertThat(Files.readString(log)).contains("new requests are answered 503", "No request in flight: stopping the routes");
        }
    }

    /**
     * A client polling from the first moment the port accepts connections (a start-up probe, an app retrying)
     * gets 503 with Retry-After in the error shape until the gateway is ready, then its post is served: never
     * the server's own 404 (or HTML) of the moment its routes were still starting, which clients take as final.
     */
    @Test
    void whileStartingEveryAnswerIs503WithRetryAfterUntilThePostIsServed() throws Exception {
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.CRM_TOKEN);
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), ExternalBackends.ASPA_KEY)) {
            int port = AvailablePortFinder.getNextAvailable();
            start(port, crm, aspa, h2Store());
            Process gateway = gateways.get(0);
            String form = "api_key=" + KEY + "&service_code=171&attribute[size]=small&lat=60.18&long=24.95"
                    + "&description=Kuoppa+py%C3%B6r%C3%A4tiell%C3%A4+Kalliossa";
            String post = "POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form;
            List<String> beforeReady = new ArrayList<>();
            String served = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (served == null) {
                assertThat(gateway.isAlive()).as("gateway process alive").isTrue();
                assertThat(System.nanoTime()).as("served within 120 s").isLessThan(deadline);
                String answer = exchange(port, post);
                if (answer == null) {
                    Thread.sleep(5); // not listening yet
                } else if (answer.startsWith("HTTP/1.1 200")) {
                    served = answer;
                } else {
                    beforeReady.add(answer);
                }
            }

            System.out.println("Answers before ready: " + beforeReady.size());
            for (String answer : beforeReady) {
                assertThat(answer).startsWith("HTTP/1.1 503");
                assertThat(answer).containsIgnoringCase("\r\nRetry-After: ").containsIgnoringCase("\r\nX-Content-Type-Options: nosniff");
                JsonNode errors = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertThat(errors.get(0).path("code").asInt()).isEqualTo(503);
            }
            assertThat(JSON.readTree(served.substring(served.indexOf("\r\n\r\n") + 4)).get(0).path("service_request_id").asText())
                    .isNotBlank();
        }
    }

    /** One request on a new connection, read until the server closes it; null if nothing listens yet. */
    private static String exchange(int port, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 1000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (ConnectException e) {
            return null;
        }
    }

    private String storedCorrelationId(String id) throws Exception {
        try (var connection = DriverManager.getConnection(storeUrl(), "sa", "");
             PreparedStatement statement = connection.prepareStatement("SELECT correlation_id FROM service_request WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private String storeUrl() {
        return "jdbc:h2:file:" + dir.resolve("open311") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /** Every non-empty line parsed as a JSON object (fails on any that is not). */
    private static List<JsonNode> jsonLines(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                lines.add(node);
            }
        }
        return lines;
    }

    private static JsonNode accessLine(Path log, String correlationId) throws Exception {
        return jsonLines(log).stream()
                .filter(line -> HttpObserver.ACCESS_LOG.equals(line.path("logger_name").asText()))
                .filter(line -> correlationId.equals(line.path("correlation_id").asText()))
                .findFirst().orElse(null);
    }

    private static byte[] multipart(String boundary, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one HTTP/1.1 answer with a Content-Length. */
    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int contentLength = -1;
        int headersEnd = -1;
        byte[] buffer = new byte[4096];
        while (headersEnd < 0 || read.size() < headersEnd + contentLength) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            read.write(buffer, 0, n);
            String text = read.toString(StandardCharsets.UTF_8);
            if (headersEnd < 0 && text.contains("\r\n\r\n")) {
                headersEnd = text.indexOf("\r\n\r\n") + 4;
                for (String header : text.substring(0, headersEnd).split("\r\n")) {
                    if (header.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(header.substring(15).trim());
                    }
                }
            }
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Starts the gateway as its own process with JSON logs to a file, and waits until it serves. */
    private Path launch(int port, CrmSimulator crm, AspaSimulator aspa) throws Exception {
        return launch(port, crm, aspa, h2Store());
    }

    private Properties h2Store() {
        Properties store = new Properties();
        store.put("gateway.db.url", storeUrl());
        store.put("gateway.db.user", "sa");
        store.put("gateway.db.password", "");
        return store;
    }

    private Path launch(int port, CrmSimulator crm, AspaSimulator aspa, Properties store) throws Exception {
        Path log = start(port, crm, aspa, store);
        Process process = gateways.get(gateways.size() - 1);
        // generous: other test suites may share the machine's cores
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("gateway process alive").isTrue();
            try {
                return http.send(HttpRequest.newBuilder(uri(port, "/v1/discovery.json")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return log;
    }

    /** Starts the gateway as its own process with JSON logs to a file, without waiting for it. */
    private Path start(int port, CrmSimulator crm, AspaSimulator aspa, Properties store) throws Exception {
        Path log = dir.resolve("gateway-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.open311.gateway.Application")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> settings = ExternalBackends.settings(port, KEY, crm, aspa);
        managementPorts.add(Integer.parseInt(settings.get("gateway.management-port")));
        store.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        settings.put("gateway.media.dir", dir.resolve("media").toString());
        // the stop waits for the slow upload longer than the default, for a busy test machine
        settings.put("gateway.shutdown.drain-timeout-ms", "25000");
        settings.put("gateway.shutdown.grace-period-seconds", "40");
        settings.putAll(extraSettings);
        builder.environment().putAll(ExternalBackends.asEnvironment(settings));
        builder.environment().put("GATEWAY_LOG_FORMAT", "json");
        gateways.add(builder.start());
        return log;
    }
}

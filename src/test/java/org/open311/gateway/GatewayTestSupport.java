package org.open311.gateway;

import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Starts the real gateway (Camel Main, routes/ from the file system, the embedded HTTP server) on a
 * free port and calls it over HTTP as a client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayTestSupport extends CamelMainTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Chosen lazily: Camel's test support asks for the settings before this class's fields are set. */
    private int port;

    private int managementPort;

    protected int managementPort() {
        if (managementPort == 0) {
            managementPort = AvailablePortFinder.getNextAvailable();
        }
        return managementPort;
    }

    protected int port() {
        if (port == 0) {
            port = AvailablePortFinder.getNextAvailable();
        }
        return port;
    }

    /**
     * Stops this class's gateway once its tests are done: camel-test left each test class's gateway
     * running (its store pool, servers and simulators) until the JVM ended, so that the suite's
     * PostgreSQL classes together ran out of the server's 100 connections.
     */
    @AfterAll
    void stopTheGateway() {
        if (context() != null) {
            context().stop();
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("gateway.port", String.valueOf(port()));
        properties.put("gateway.management-port", String.valueOf(managementPort()));
        // every test gateway gets its own simulators on free ports
        properties.put("gateway.simulators.crm-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        properties.put("gateway.simulators.aspa-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        properties.put("gateway.simulators.open311-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        // simulators start empty for each test class (a test that restarts them sets a directory of its own)
        properties.put("gateway.simulators.state-dir", "");
        properties.putAll(database().freshStore());
        properties.put("gateway.mappings.last-good-dir", freshDirectory("open311-mappings-last-good").toString());
        properties.putAll(settings());
        return properties;
    }

    /** A new empty directory of this test's own (e.g. for the last good copy of the mappings). */
    protected static Path freshDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database of the store; each test class gets a fresh, empty one. */
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    /** Settings a test class changes, on top of application.properties. */
    protected Properties settings() {
        return new Properties();
    }

    /** Settings of a test that follows requests through the simulators: {@code apiKey} accepted, polls every 100 ms. */
    protected static Properties polledEvery100Ms(String apiKey) {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", apiKey);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.sync.interval-ms", "100");
        return settings;
    }

    /** As {@link #polledEvery100Ms}, with retries within half a second and a circuit open for a second. */
    protected static Properties retriedFast(String apiKey) {
        Properties settings = polledEvery100Ms(apiKey);
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "500");
        settings.put("gateway.circuit.open-seconds", "1");
        return settings;
    }

    protected HttpAnswer get(String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /** POSTs an urlencoded form; each pair is name, value (names may repeat). */
    protected HttpAnswer postForm(String pathAndQuery, String... nameValues) {
        return postForm(pathAndQuery, java.util.Map.of(), nameValues);
    }

    /** POSTs an urlencoded form with these request headers. */
    protected HttpAnswer postForm(String pathAndQuery, java.util.Map<String, String> headers, String... nameValues) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&")
                    .append(java.net.URLEncoder.encode(nameValues[i], java.nio.charset.StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(nameValues[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** One part of a multipart POST: a field, or a file when {@code fileName} is set. */
    public record Part(String name, String fileName, byte[] content) {
        public static Part field(String name, String value) {
            return new Part(name, null, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, content);
        }
    }

    /** POSTs multipart/form-data, as mobile apps send requests with photos. */
    protected HttpAnswer postMultipart(String pathAndQuery, java.util.List<Part> parts) {
        return postMultipart(pathAndQuery, java.util.Map.of(), parts);
    }

    /** POSTs multipart/form-data with these request headers. */
    protected HttpAnswer postMultipart(String pathAndQuery, java.util.Map<String, String> headers, java.util.List<Part> parts) {
        String boundary = "----open311test" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\"");
            if (part.fileName() != null) {
                head.append("; filename=\"").append(part.fileName()).append("\"\r\nContent-Type: application/octet-stream");
            }
            head.append("\r\n\r\n");
            body.writeBytes(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        headers.forEach(request::header);
        return send(request.build());
    }

    protected HttpAnswer send(HttpRequest request) {
        try {
            return HttpAnswer.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + request.uri(), e);
        }
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port() + pathAndQuery);
    }
}

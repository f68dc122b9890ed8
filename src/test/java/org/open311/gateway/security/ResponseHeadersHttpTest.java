package org.open311.gateway.security;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of answer carries {@code X-Content-Type-Options: nosniff}, so no browser reads an answer
 * (an error echoing a value, a JSON list with residents' text) as another type than it says: answers of
 * the catalogue's fast path and of the routes, errors of the routes and of the HTTP server's own limits,
 * the catch-all 404, the admin API, the OpenAPI document, and the management port.
 */
class ResponseHeadersHttpTest extends GatewayTestSupport {

    private static final String KEY = "headers-test-key";
    private static final String ADMIN_TOKEN = "headers-test-admin-token";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.admin.token", ADMIN_TOKEN);
        return settings;
    }

    @Test
    void everyKindOfAnswerCarriesNosniff() throws Exception {
        Map<String, HttpAnswer> answers = new LinkedHashMap<>();
        answers.put("fast path 200", get("/v1/services.json"));
        answers.put("route 200 xml", get("/v1/requests.xml"));
        answers.put("post 200", postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "small",
                "description", "Kuoppa pyörätiellä Kalliossa", "lat", "60.18", "long", "24.95"));
        answers.put("route 404", get("/v1/services/999.json"));
        answers.put("route 403", postForm("/v1/requests.xml", "api_key", "wrong", "service_code", "171"));
        answers.put("catch-all 404", get("/v1/no/such/path.xml"));
        answers.put("guard 400", get("/v1/requests.json?service_code=%FF"));
        answers.put("admin 200", get("/admin/dead-letters", "Authorization", "Bearer " + ADMIN_TOKEN));
        answers.put("admin 401", get("/admin/dead-letters"));
        answers.put("openapi", get("/v1/openapi.yaml"));
        answers.put("management", send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort()
                + "/observe/health/live")).GET().build()));

        answers.forEach((kind, answer) ->
                assertThat(answer.raw().headers().allValues("X-Content-Type-Options")).as(kind + " " + answer.status())
                        .containsExactly("nosniff"));
        assertThat(answers.get("fast path 200").status()).isEqualTo(200);
        assertThat(answers.get("post 200").status()).isEqualTo(200);
        assertThat(answers.get("admin 200").status()).isEqualTo(200);
        assertThat(answers.get("openapi").raw().headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; sandbox");
    }

    @Test
    void theServersOwnLimitAnswersCarryNosniff() throws Exception {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 999999999\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 413").contains("\r\nX-Content-Type-Options: nosniff\r\n");
        }
    }
}

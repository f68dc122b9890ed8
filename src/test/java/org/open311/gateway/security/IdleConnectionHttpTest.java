package org.open311.gateway.security;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections that stall before their headers are complete, or sit idle, are closed by the server. */
class IdleConnectionHttpTest extends GatewayTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.http.idle-timeout-seconds", "1");
        return settings;
    }

    @Test
    void aClientStallingInItsHeadersIsDisconnected() throws Exception {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /v1/discovery.json HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
        }
        assertThat(get("/v1/discovery.json").status()).isEqualTo(200);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterItsAnswer() throws Exception {
        try (Socket socket = new Socket("localhost", port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /v1/discovery.json HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();

            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(answer).contains("\"endpoints\"").doesNotContain("Connection: close");
        }
    }
}

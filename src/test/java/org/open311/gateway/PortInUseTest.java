package org.open311.gateway;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A port the gateway cannot bind stops the start naming the port and its setting (in this JVM; the process: GatewayFailFastProcessTest). */
class PortInUseTest {

    @TempDir
    Path dir;

    @Test
    void anApiPortInUseStopsTheStartNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = takePort()) {
            Main main = gateway(taken.getLocalPort(), AvailablePortFinder.getNextAvailable());
            try {
                assertThatThrownBy(main::start).satisfies(failure -> assertThat(Application.findOperatorMistake(failure))
                        .hasMessageContaining("API server failed to start: port " + taken.getLocalPort())
                        .hasMessageContaining("was already in use")
                        .hasMessageContaining("gateway.port, environment variable GATEWAY_PORT"));
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void aManagementPortInUseStopsTheStartNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = takePort()) {
            Main main = gateway(AvailablePortFinder.getNextAvailable(), taken.getLocalPort());
            try {
                assertThatThrownBy(main::start).satisfies(failure -> assertThat(Application.findOperatorMistake(failure))
                        .hasMessageContaining("Management server failed to start: port " + taken.getLocalPort())
                        .hasMessageContaining("gateway.management-port, environment variable GATEWAY_MANAGEMENT_PORT"));
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void theServersListenOnTheirBindAddresses() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        int managementPort = AvailablePortFinder.getNextAvailable();
        Main main = gateway(port, managementPort);
        main.addOverrideProperty("gateway.bind-address", "127.0.0.1");
        main.addOverrideProperty("gateway.management-bind-address", "127.0.0.1");
        try {
            main.start();
            assertThat(main.getCamelContext().hasServices(VertxPlatformHttpServer.class))
                    .filteredOn(server -> server.getPort() == port || server.getPort() == managementPort)
                    .extracting(VertxPlatformHttpServer::getHost).containsExactly("127.0.0.1", "127.0.0.1");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            main.stop();
        }
    }

    private Main gateway(int port, int managementPort) {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(port));
        main.addOverrideProperty("gateway.management-port", String.valueOf(managementPort));
        main.addOverrideProperty("gateway.simulators.crm-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.aspa-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.open311-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        return main;
    }

    /** A port held the way another program would hold it (on every address, as the gateway binds). */
    static ServerSocket takePort() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("0.0.0.0", 0));
        return socket;
    }
}

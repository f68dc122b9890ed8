package org.open311.gateway.simulator;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both simulators and a Camel Main app with its own platform-http server share one JVM without clashing. */
class SimulatorsInOneJvmTest {

    @Test
    void eachServerServesOnlyItsOwnRoutes() throws Exception {
        int gatewayPort = AvailablePortFinder.getNextAvailable();
        Main gateway = new Main();
        // A bare app: not the gateway's application.properties, which routes/ and its beans need.
        gateway.setDefaultPropertyPlaceholderLocation("false");
        gateway.addInitialProperty("camel.server.enabled", "true");
        gateway.addInitialProperty("camel.server.port", String.valueOf(gatewayPort));
        // As the gateway's Main(Application.class) does: scan for RouteBuilders, here in the simulators' package.
        gateway.configure().withBasePackageScan(getClass().getPackageName());
        gateway.configure().addLambdaRouteBuilder(routes -> routes.from("platform-http:/v1/ping")
                .setBody(routes.constant("{\"pong\":true}")));
        gateway.start();
        try (CrmSimulator crm = CrmSimulator.start(AvailablePortFinder.getNextAvailable(), "t");
             AspaSimulator aspa = AspaSimulator.start(AvailablePortFinder.getNextAvailable(), "k")) {
            SimulatorHttp onGateway = new SimulatorHttp("http://localhost:" + gatewayPort);
            SimulatorHttp onCrm = new SimulatorHttp("http://localhost:" + crm.port());
            SimulatorHttp onAspa = new SimulatorHttp("http://localhost:" + aspa.port());

            assertThat(crm.port()).isNotEqualTo(aspa.port()).isNotEqualTo(gatewayPort);
            assertThat(onGateway.get("/v1/ping").body()).isEqualTo("{\"pong\":true}");
            assertThat(onCrm.put("/crm/api/v1/cases/r1", "{\"reference\": \"r1\", \"category\": \"C\"}",
                    "Authorization", "Bearer t").status()).isEqualTo(201);
            assertThat(onAspa.put("/aspa/api/v1/work-orders/r1", "{\"reference\": \"r1\", \"work_type\": \"W\"}",
                    "X-Api-Key", "k").status()).isEqualTo(201);

            assertThat(onGateway.get("/crm/api/v1/operator/cases").status()).isEqualTo(404);
            assertThat(onAspa.get("/crm/api/v1/operator/cases").status()).isEqualTo(404);
            assertThat(onCrm.get("/aspa/api/v1/operator/work-orders").status()).isEqualTo(404);
            assertThat(onCrm.get("/v1/ping").status()).isEqualTo(404);
            assertThat(gateway.getCamelContext().getRoutes()).singleElement()
                    .satisfies(route -> assertThat(route.getEndpoint().getEndpointUri()).contains("/v1/ping"));
            assertThat(crm.cases()).hasSize(1);
            assertThat(aspa.records()).hasSize(1);
        } finally {
            gateway.stop();
        }
    }

    @Test
    void refusesToStartOnAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(AvailablePortFinder.getNextAvailable())) {
            assertThatThrownBy(() -> CrmSimulator.start(taken.getLocalPort(), "t"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void aStoppedSimulatorFreesItsPortForANewOne() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        CrmSimulator.start(port, "t").stop();
        try (CrmSimulator again = CrmSimulator.start(port, "t")) {
            assertThat(new SimulatorHttp(again.baseUrl()).get("/operator/cases").body()).isEqualTo("[]");
        }
    }
}

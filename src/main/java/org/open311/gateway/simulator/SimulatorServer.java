package org.open311.gateway.simulator;

import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A simulator's own CamelContext with its own Vert.x HTTP server on its own port. platform-http
 * consumers find their router in their context's registry (bound there by this server), so the
 * simulators and the gateway's Camel Main server each serve only their own routes in one JVM.
 */
final class SimulatorServer implements AutoCloseable {

    private final DefaultCamelContext context;
    private final int port;

    private SimulatorServer(DefaultCamelContext context, int port) {
        this.context = context;
        this.port = port;
    }

    /**
     * Starts the routes on {@code port}, failing if the port is taken. Routes are given as a
     * lambda on purpose: the gateway's Camel Main scans its packages for RoutesBuilder classes and
     * would pick up a RouteBuilder subclass of this package into the gateway's own context.
     */
    static SimulatorServer start(String name, int port, LambdaRouteBuilder routes) throws Exception {
        requireFree(name, port);
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindPort(port);
        // loopback only: the operator endpoints need no credentials
        configuration.setBindHost("127.0.0.1");
        VertxPlatformHttpServer server = new VertxPlatformHttpServer(configuration);
        context.addService(server);
        RouteBuilder.addRoutes(context, routes);
        context.start();
        return new SimulatorServer(context, port);
    }

    /** Vert.x only logs a port already in use: a simulator that is not listening must not pass for one. */
    private static void requireFree(String name, int port) {
        try {
            new ServerSocket(port).close();
        } catch (IOException e) {
            throw new IllegalStateException(name + " cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        context.stop();
    }
}

package org.open311.gateway.simulator;

import org.apache.camel.builder.LambdaRouteBuilder;

/** What every simulated back end has: its own HTTP server and CamelContext, and the fault it plays on its API calls. */
public abstract class Simulator implements AutoCloseable {

    final Faults faults = new Faults();
    private SimulatorServer server;

    /** Starts the routes on {@code port}, failing if the port is taken. */
    final void serve(String name, int port, LambdaRouteBuilder routes) throws Exception {
        server = SimulatorServer.start(name, port, faults, routes);
    }

    public int port() {
        return server.port();
    }

    /** {@code none}, {@code down}, {@code slow} (waits {@code delayMs}), {@code error} or {@code garbage}. */
    public void faults(String mode, long delayMs) {
        faults.set(mode, delayMs);
    }

    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        stop();
    }
}

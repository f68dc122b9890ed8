package org.open311.gateway.simulator;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
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
    static SimulatorServer start(String name, int port, Faults faults, LambdaRouteBuilder routes) throws Exception {
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
        delayApiCalls(router(context, port), faults);
        return new SimulatorServer(context, port);
    }

    /** The server's router: bound under its port's name, or the default name. */
    private static VertxPlatformHttpRouter router(DefaultCamelContext context, int port) {
        VertxPlatformHttpRouter router = context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.getRouterNameFromPort(port), VertxPlatformHttpRouter.class);
        return router != null ? router : context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME, VertxPlatformHttpRouter.class);
    }

    /**
     * Fault {@code slow}: each API call (never an operator call) waits on a Vert.x timer before Camel sees
     * it. platform-http runs a route on a Vert.x worker thread (20 of them), so a delay inside the route
     * would block one per call and cap a slow back end at about 20 calls at once; a timer holds none, as a
     * real slow server holds no thread of its client's.
     */
    private static void delayApiCalls(VertxPlatformHttpRouter router, Faults faults) {
        if (router == null) {
            throw new IllegalStateException("the simulator's HTTP router is not bound in its context");
        }
        router.route().order(Integer.MIN_VALUE).handler(call -> {
            long delayMs = faults.delayMs();
            if (delayMs > 0 && !isOperatorCall(call)) {
                // paused, so that the request's end is not read before the body handler after this one listens
                call.request().pause();
                call.vertx().setTimer(delayMs, timer -> call.next());
            } else {
                call.next();
            }
        });
    }

    private static boolean isOperatorCall(RoutingContext call) {
        return call.request().path().contains("/operator/");
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

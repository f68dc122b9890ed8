package org.open311.gateway.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Ready only while the public API serves: not before every route has started (the API answers 503 until then, and a
 * load balancer must not send it requests yet), and not from the first moment of a stop, so that a load balancer
 * sends new requests elsewhere before the drain refuses them.
 */
public final class StoppingHealthCheck extends AbstractHealthCheck {

    private final GracefulShutdown shutdown;
    private volatile boolean serving;

    public StoppingHealthCheck(GracefulShutdown shutdown) {
        super("open311", "stopping");
        this.shutdown = shutdown;
    }

    /** The API serves: every route has started. */
    public void serving() {
        serving = true;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (shutdown.stopping()) {
            builder.down().message("the gateway is stopping");
        } else if (!serving) {
            builder.down().message("the gateway is starting");
        } else {
            builder.up();
        }
    }
}

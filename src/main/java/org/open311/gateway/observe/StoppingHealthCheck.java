package org.open311.gateway.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Not ready from the first moment of a stop, so a load balancer sends new requests elsewhere before the drain refuses them. */
public final class StoppingHealthCheck extends AbstractHealthCheck {

    private final GracefulShutdown shutdown;

    public StoppingHealthCheck(GracefulShutdown shutdown) {
        super("open311", "stopping");
        this.shutdown = shutdown;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (shutdown.stopping()) {
            builder.down().message("the gateway is stopping");
        } else {
            builder.up();
        }
    }
}

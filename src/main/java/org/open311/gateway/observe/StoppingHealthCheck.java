package org.open311.gateway.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Not ready once the gateway is stopping, so a load balancer sends new requests elsewhere during the drain. */
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
        if (shutdown.draining()) {
            builder.down().message("the gateway is stopping");
        } else {
            builder.up();
        }
    }
}

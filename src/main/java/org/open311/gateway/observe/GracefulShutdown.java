package org.open311.gateway.observe;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops the gateway without failing a client (SIGTERM, context stop), in two phases before Camel stops
 * the routes. First readiness goes down while requests are still served (their answers close the
 * connection), for the readiness delay: a load balancer needs a few health checks to take the instance
 * out, and a request it sends meanwhile must not fail. Then the drain: new requests are answered 503 and
 * the stop waits until none is in flight, at most the drain timeout. Camel only knows the requests its
 * routes already handle; a photo still uploading is not one of them yet, so the HTTP server counts every
 * request from its first byte. Then Camel stops the routes, waiting for their own work.
 */
public final class GracefulShutdown extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration readinessDelay;
    private final Duration drainTimeout;
    private volatile boolean stopping;
    private volatile boolean draining;

    public GracefulShutdown(Duration readinessDelay, Duration drainTimeout) {
        this.readinessDelay = readinessDelay;
        this.drainTimeout = drainTimeout;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /** A request begins; false once draining (the caller refuses it). Counted first, so a drain never misses it. */
    boolean enter() {
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A request entered with {@link #enter()} ended (answered, or its connection closed). */
    void leave() {
        inFlight.decrementAndGet();
    }

    /** A stop began: readiness is down (requests may still be served, see {@link #draining()}). */
    public boolean stopping() {
        return stopping;
    }

    /** New requests are refused. */
    public boolean draining() {
        return draining;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) throws InterruptedException {
        leaveLoadBalancers();
        drain();
    }

    /** Readiness down, requests still served: the time a load balancer needs to stop sending any here. */
    void leaveLoadBalancers() throws InterruptedException {
        stopping = true;
        if (readinessDelay.isZero()) {
            return;
        }
        LOG.info("Stopping: readiness is down; still serving for {} ms while load balancers take this instance out",
                readinessDelay.toMillis());
        Thread.sleep(readinessDelay.toMillis());
    }

    /** Refuses new requests and waits for those in flight, at most the drain timeout. */
    void drain() throws InterruptedException {
        stopping = true;
        draining = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        LOG.info("Stopping: new requests are answered 503; waiting for {} in flight (at most {} s)",
                inFlight.get(), drainTimeout.toSeconds());
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (inFlight.get() > 0) {
            LOG.warn("Stopping with {} requests still in flight after {} s", inFlight.get(), drainTimeout.toSeconds());
        } else {
            LOG.info("No request in flight: stopping the routes");
        }
    }
}

package org.open311.gateway.observe;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets requests in flight finish when the gateway stops (SIGTERM, context stop). Camel only knows the
 * requests its routes already handle; a photo still uploading is not one of them yet. So the HTTP
 * server counts every request from its first byte, and when the context starts stopping (before
 * any route or the server stops) new requests are answered 503 and the stop waits until the count
 * is zero, at most the drain timeout. Then Camel stops the routes, waiting for their own work.
 */
public final class GracefulShutdown extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration drainTimeout;
    private volatile boolean draining;

    public GracefulShutdown(Duration drainTimeout) {
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
        drain();
    }

    /** Refuses new requests and waits for those in flight, at most the drain timeout. */
    void drain() throws InterruptedException {
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

package org.open311.gateway.observe;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.open311.gateway.backends.Forwarding;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's own Prometheus series (docs/operations.md lists them), bound as {@code metrics} so
 * routes and other beans can count what they do. Labels are always from small fixed sets.
 */
public final class GatewayMetrics {

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    /** The request timers by their labels: building and looking one up through the registry on every request cost more than the recording. */
    private final ConcurrentMap<HttpLabels, Timer> httpTimers = new ConcurrentHashMap<>();

    private record HttpLabels(String endpoint, String method, String format, int status) {
    }

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One answered HTTP request of the public API, whoever produced the answer (route, body limit, rate limit). */
    public void httpRequest(String endpoint, String method, String format, int status, Duration took) {
        httpTimers.computeIfAbsent(new HttpLabels(endpoint, method, format, status), labels ->
                Timer.builder("open311.http.server.requests")
                        .description("Requests to the public API by route template, method, format and status")
                        .tags("endpoint", endpoint, "method", method, "format", format, "status", String.valueOf(status))
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(took);
    }

    /**
     * An answer of the admin API or to a back end's push, on the API's port but not part of the public API:
     * its own series, so the public API's rates and latencies are the clients' alone.
     */
    public void internalHttpRequest(String surface, String endpoint, String method, int status, Duration took) {
        Timer.builder("open311.http.internal.requests")
                .description("Requests to the admin API (surface admin) and back ends' pushes (surface backend_push)")
                .tags("surface", surface, "endpoint", endpoint, "method", method, "status", String.valueOf(status))
                .register(registry).record(took);
    }

    /**
     * Registers every counter whose labels are known at start at 0, so that rate() and increase() see their
     * first event and an alert on them can be written before anything happened.
     */
    void registerAtZero(java.util.List<String> backends) {
        for (String backend : backends) {
            for (String outcome : java.util.List.of("sent", "retry", "dead")) {
                Counter.builder("open311.forwarding.attempts")
                        .description("Forwarding attempts by back end and outcome: sent, retry (failed, tried again later), dead (given up)")
                        .tags("backend", backend, "outcome", outcome).register(registry);
            }
            Counter.builder("open311.forwarding.skipped")
                    .description("Forwarding not attempted because the back end's circuit is open")
                    .tag("backend", backend).register(registry);
            Counter.builder("open311.feed.poll.failures")
                    .description("Failed reads of a back end's change feed")
                    .tag("backend", backend).register(registry);
            Counter.builder("open311.feed.poll.skipped")
                    .description("Reads of a back end's change feed not made because its circuit is open")
                    .tag("backend", backend).register(registry);
        }
        updatesAccepted();
        for (String scope : java.util.List.of("post", "read", "auth")) {
            Counter.builder("open311.rate.limited")
                    .description("Requests refused by a rate limit, by the limit's scope")
                    .tag("scope", scope).register(registry);
        }
    }

    /** The gateway's version, as {@code open311_build_info{version="…"} 1}: which build each instance runs. */
    void bindBuildInfo(String version) {
        Gauge.builder("open311.build.info", () -> 1)
                .description("The gateway's build: its version as a label, always 1")
                .tag("version", version).strongReference(true).register(registry);
    }

    /** A service request stored (answered with its id). */
    public void accepted(Exchange exchange) {
        String code = exchange.getMessage().getHeader("serviceCode", String.class);
        Counter.builder("open311.service.requests.accepted")
                .description("Service requests accepted and stored, by service code")
                .tag("service_code", code == null ? "unknown" : code)
                .register(registry).increment();
    }

    /** A resident's update stored (answered with its update_id). */
    public void updateAccepted(Exchange exchange) {
        updatesAccepted().increment();
    }

    private Counter updatesAccepted() {
        return Counter.builder("open311.service.request.updates.accepted")
                .description("Residents' updates on service requests accepted and stored (POST servicerequestupdates)")
                .register(registry);
    }

    /**
     * After a forwarding step: a send really made (SENT, RETRY or DEAD) is an attempt; one the open circuit
     * skipped is not (counted apart, also when it leaves the request a dead letter for waiting too long).
     */
    public void forwarded(Exchange exchange, String backend) {
        String outcome = exchange.getProperty(Forwarding.OUTCOME, "UNKNOWN", String.class);
        String label = backend;
        if (!exchange.getProperty(Forwarding.ATTEMPTED, true, Boolean.class)) {
            Counter.builder("open311.forwarding.skipped")
                    .description("Forwarding not attempted because the back end's circuit is open")
                    .tag("backend", label).register(registry).increment();
            return;
        }
        Counter.builder("open311.forwarding.attempts")
                .description("Forwarding attempts by back end and outcome: sent, retry (failed, tried again later), dead (given up)")
                .tags("backend", label, "outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** A request refused by the rate limiter; {@code scope} names the limit (e.g. per key, per address). */
    public void rateLimited(String scope) {
        Counter.builder("open311.rate.limited")
                .description("Requests refused by a rate limit, by the limit's scope")
                .tag("scope", scope == null || scope.isBlank() ? "unknown" : scope)
                .register(registry).increment();
    }

    /** A feed poll that failed: counts toward the outage the operator sees. */
    void feedPollFailed(String backend) {
        Counter.builder("open311.feed.poll.failures")
                .description("Failed reads of a back end's change feed")
                .tag("backend", backend).register(registry).increment();
    }

    /** A feed poll the back end's open circuit skipped: not a read, so not a failed one. */
    void feedPollSkipped(String backend) {
        Counter.builder("open311.feed.poll.skipped")
                .description("Reads of a back end's change feed not made because its circuit is open")
                .tag("backend", backend).register(registry).increment();
    }

    /** Backlog, dead letters and feed lag per back end, read from the store through a short cache (held strongly: only the gauges refer to it). */
    void bindStoreGauges(String backend, StoreSnapshot snapshot) {
        String label = backend;
        Gauge.builder("open311.outbox.unsent", snapshot, s -> s.current().of(backend).unsent())
                .description("Requests not yet delivered to the back end (pending, all instances)")
                .tag("backend", label).strongReference(true).register(registry);
        Gauge.builder("open311.outbox.dead.letters", snapshot, s -> s.current().of(backend).deadLetters())
                .description("Requests the back end gave up on, waiting for an operator")
                .tag("backend", label).strongReference(true).register(registry);
        Gauge.builder("open311.outbox.oldest.unsent.age", snapshot, s -> s.current().of(backend).oldestUnsentAgeSeconds())
                .description("Age of the oldest request not yet delivered to the back end")
                .baseUnit("seconds").tag("backend", label).strongReference(true).register(registry);
        Gauge.builder("open311.feed.lag", snapshot, s -> s.current().of(backend).feedLagSeconds())
                .description("Time since the back end's change feed was last read successfully (by any instance)")
                .baseUnit("seconds").tag("backend", label).strongReference(true).register(registry);
    }

    /** 1 while the back end refuses the gateway's credentials (401/403), else 0: an alert of its own, not a generic outage. */
    void bindCredentialRefusals(String backend, CredentialRefusals credentials) {
        Gauge.builder("open311.backend.credentials.refused", credentials, c -> c.current(backend).isPresent() ? 1 : 0)
                .description("1 while the back end refuses the gateway's credentials (HTTP 401 or 403)")
                .tag("backend", backend).strongReference(true).register(registry);
    }

    /** Times the back end's change feed went backwards and was read again from its start (0 from the start). */
    void bindFeedRewinds(String backend, FeedRewinds rewinds) {
        FunctionCounter.builder("open311.feed.rewinds", rewinds.counter(backend), java.util.concurrent.atomic.AtomicLong::get)
                .description("Times the back end's change feed was found behind the stored cursor (restored or emptied) and read again from its start")
                .tag("backend", backend).register(registry);
    }

    /** Requests the HTTP server is receiving or answering now. */
    void bindInFlight(GracefulShutdown shutdown) {
        Gauge.builder("open311.http.server.requests.in.flight", shutdown, GracefulShutdown::inFlight)
                .description("Requests to the public API being received or answered now")
                .strongReference(true).register(registry);
    }

    /** 1 while the back end's circuit lets calls through, 0 while it is open. */
    void bindCircuit(String backend, CircuitBreaker circuit) {
        Gauge.builder("open311.backend.up", circuit, c -> c.getState() == CircuitBreaker.State.OPEN
                        || c.getState() == CircuitBreaker.State.FORCED_OPEN ? 0 : 1)
                .description("1 while calls to the back end are let through, 0 while its circuit is open")
                .tag("backend", backend).register(registry);
    }
}

package org.open311.gateway.backends;

import java.time.Duration;
import java.util.Set;

/**
 * One configured back end (gateway.backend.&lt;name&gt;.*, docs/configuration.md): everything the route
 * templates, the store and the status merge need to know of it. Its name keys its rows in the store
 * (forward_task, backend_record, feed_cursor, forward_attempt) and its routes' ids.
 *
 * @param services     the service codes it receives; empty: every service its kind's routing field names
 * @param skipServices service codes it never receives at intake (another back end of its kind takes them)
 * @param requestedBy  the back end whose records may ask for this one besides intake (the CRM asking for
 *                     public works); null: none
 * @param vocabulary   the section of mappings/statuses.yaml its states are read with
 * @param concurrency  how many sends to it may be under way at once (per instance)
 * @param remoteServiceCodes the back end's own service code for each of ours that differs (an Open311 server's)
 * @param circuit      its circuit breaker's settings
 * @param updates      whether residents' updates on its requests are sent to it (gateway.backend.&lt;name&gt;.updates)
 */
public record BackendSpec(String name, BackendKind kind, String url, String credential, Duration timeout,
                          String notificationSecret, Set<String> services, Set<String> skipServices, String requestedBy,
                          String vocabulary,
                          int concurrency, java.util.Map<String, String> remoteServiceCodes, Circuit circuit, boolean updates) {

    /** A back end that receives no residents' updates. */
    public BackendSpec(String name, BackendKind kind, String url, String credential, Duration timeout,
                       String notificationSecret, Set<String> services, Set<String> skipServices, String requestedBy,
                       String vocabulary, int concurrency, java.util.Map<String, String> remoteServiceCodes, Circuit circuit) {
        this(name, kind, url, credential, timeout, notificationSecret, services, skipServices, requestedBy, vocabulary,
                concurrency, remoteServiceCodes, circuit, false);
    }

    public BackendSpec {
        services = Set.copyOf(services);
        skipServices = Set.copyOf(skipServices);
        remoteServiceCodes = java.util.Map.copyOf(remoteServiceCodes);
    }

    /**
     * When its circuit opens (this share of the recent calls failed, after at least this many) and how long
     * it stays open before one trial call: gateway.backend.&lt;name&gt;.circuit.*, else gateway.circuit.*.
     */
    public record Circuit(int failureRatePercent, int minimumCalls, Duration openDuration) {
    }

    public StatusMerge.Role role() {
        return kind.role();
    }

    /** Whether requests of this service may go to it at intake (its kind's routing field decides too). */
    public boolean receivesAtIntake(String serviceCode) {
        return (services.isEmpty() || services.contains(serviceCode)) && !skipServices.contains(serviceCode);
    }

    /** The bean name of its circuit breaker, shared by its forwarding, feed and resync. */
    public String circuitBreakerBean() {
        return name + "CircuitBreaker";
    }
}

package org.open311.gateway.backends;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.open311.gateway.SettingsReader;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds the beans the forwarding and feed routes call, from the gateway.forwarding/sync/circuit settings. */
public final class BackendBeans {

    private BackendBeans() {
    }

    /** The back ends' settings: addresses, credentials, forwarding, feeds and circuits (docs/configuration.md). */
    public record Settings(Forwarding.Settings forwarding, Duration feedLease, String crmNotificationSecret,
                           String aspaNotificationSecret, int failureRatePercent, int minimumCalls, Duration openDuration) {
    }

    /**
     * Reads and checks every back-end setting, those the routes use by placeholder too (a bad one would
     * otherwise surface as a route that cannot be created, not naming the setting).
     */
    public static Settings read(SettingsReader settings) {
        settings.httpUrl("gateway.crm.url", "the CRM API's base URL");
        settings.text("gateway.crm.token", "the CRM's bearer token");
        settings.integer("gateway.crm.timeout-ms", 1);
        settings.httpUrl("gateway.aspa.url", "the Aspa API's base URL");
        settings.text("gateway.aspa.api-key", "Aspa's X-Api-Key");
        settings.integer("gateway.aspa.timeout-ms", 1);
        settings.integer("gateway.forwarding.interval-ms", 1);
        settings.integer("gateway.sync.interval-ms", 1);
        settings.integer("gateway.sync.page-size", 1);
        int openSeconds = settings.integer("gateway.circuit.open-seconds", 1);
        Forwarding.Settings forwarding = new Forwarding.Settings(
                settings.integer("gateway.forwarding.batch-size", 1),
                Duration.ofSeconds(settings.integer("gateway.forwarding.claim-seconds", 1)),
                settings.integer("gateway.forwarding.max-attempts", 1),
                Duration.ofMillis(settings.integer("gateway.forwarding.first-retry-ms", 1)),
                Duration.ofMillis(settings.integer("gateway.forwarding.max-retry-ms", 1)),
                Duration.ofSeconds(openSeconds),
                Duration.ofHours(settings.integer("gateway.forwarding.give-up-after-hours", 1)));
        return new Settings(forwarding,
                Duration.ofSeconds(settings.integer("gateway.sync.lease-seconds", 1)),
                settings.optional("gateway.crm.notification-secret"),
                settings.optional("gateway.aspa.notification-secret"),
                settings.integer("gateway.circuit.failure-rate-percent", 1, 100),
                settings.integer("gateway.circuit.minimum-calls", 1),
                Duration.ofSeconds(openSeconds));
    }

    public static void bind(CamelContext context, Settings settings, LiveCatalogue catalogue, Clock clock) {
        Forwarding forwarding = new Forwarding(settings.forwarding(), clock);
        Registry registry = context.getRegistry();
        registry.bind("forwarding", forwarding);
        registry.bind("crmMapping", new CrmMapping(catalogue, forwarding));
        registry.bind("aspaMapping", new AspaMapping(forwarding));
        registry.bind("feedFollower", new FeedFollower(catalogue, settings.feedLease(), clock));
        registry.bind("notifications", new Notifications(Map.of(
                Backend.CRM, settings.crmNotificationSecret(),
                Backend.ASPA, settings.aspaNotificationSecret())));
        registry.bind("crmCircuitBreaker", circuitBreaker("crm", settings));
        registry.bind("aspaCircuitBreaker", circuitBreaker("aspa", settings));
    }

    /** One breaker per back end, shared by its forwarding and its feed, so both see the same outage. */
    private static CircuitBreaker circuitBreaker(String name, Settings settings) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .minimumNumberOfCalls(settings.minimumCalls())
                .slidingWindowSize(Math.max(10, settings.minimumCalls()))
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    }
}

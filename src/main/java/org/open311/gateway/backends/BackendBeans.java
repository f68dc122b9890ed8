package org.open311.gateway.backends;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.open311.gateway.GatewaySettings;
import org.open311.gateway.SettingException;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Builds the beans the forwarding and feed routes call, from the gateway.forwarding/sync/circuit settings. */
public final class BackendBeans {

    private BackendBeans() {
    }

    public static void bind(CamelContext context, LiveCatalogue catalogue, Clock clock) {
        PropertiesComponent properties = context.getPropertiesComponent();
        requireBackendSettings(properties);
        Forwarding forwarding = new Forwarding(new Forwarding.Settings(
                integer(properties, "gateway.forwarding.batch-size"),
                Duration.ofSeconds(integer(properties, "gateway.forwarding.claim-seconds")),
                integer(properties, "gateway.forwarding.max-attempts"),
                Duration.ofMillis(integer(properties, "gateway.forwarding.first-retry-ms")),
                Duration.ofMillis(integer(properties, "gateway.forwarding.max-retry-ms")),
                Duration.ofSeconds(integer(properties, "gateway.circuit.open-seconds")),
                Duration.ofHours(positive(properties, "gateway.forwarding.give-up-after-hours"))), clock);
        Registry registry = context.getRegistry();
        registry.bind("forwarding", forwarding);
        registry.bind("crmMapping", new CrmMapping(catalogue, forwarding));
        registry.bind("aspaMapping", new AspaMapping(forwarding));
        registry.bind("feedFollower", new FeedFollower(catalogue,
                Duration.ofSeconds(integer(properties, "gateway.sync.lease-seconds")), clock));
        registry.bind("notifications", new Notifications(java.util.Map.of(
                Backend.CRM, properties.resolveProperty("gateway.crm.notification-secret").orElse(""),
                Backend.ASPA, properties.resolveProperty("gateway.aspa.notification-secret").orElse(""))));
        registry.bind("crmCircuitBreaker", circuitBreaker("crm", properties));
        registry.bind("aspaCircuitBreaker", circuitBreaker("aspa", properties));
    }

    /** Production has no default back ends: a start without their addresses and credentials stops here. */
    private static void requireBackendSettings(PropertiesComponent properties) {
        for (String key : List.of("gateway.crm.url", "gateway.crm.token", "gateway.aspa.url", "gateway.aspa.api-key")) {
            GatewaySettings.required(properties, key);
        }
    }

    /** One breaker per back end, shared by its forwarding and its feed, so both see the same outage. */
    private static CircuitBreaker circuitBreaker(String name, PropertiesComponent properties) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(integer(properties, "gateway.circuit.failure-rate-percent"))
                .minimumNumberOfCalls(integer(properties, "gateway.circuit.minimum-calls"))
                .slidingWindowSize(Math.max(10, integer(properties, "gateway.circuit.minimum-calls")))
                .waitDurationInOpenState(Duration.ofSeconds(integer(properties, "gateway.circuit.open-seconds")))
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    }

    /** A whole number above 0; anything else stops the start naming the setting. */
    private static int positive(PropertiesComponent properties, String key) {
        String value = GatewaySettings.required(properties, key).trim();
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new SettingException("Setting " + key + " (environment variable " + SettingException.environmentVariable(key)
                + ") must be a whole number above 0, not '" + value + "'");
    }

    private static int integer(PropertiesComponent properties, String key) {
        return Integer.parseInt(GatewaySettings.required(properties, key));
    }
}

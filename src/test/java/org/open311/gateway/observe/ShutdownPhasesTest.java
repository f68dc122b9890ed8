package org.open311.gateway.observe;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingsReader;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stop's phases in order (readiness down while serving, then the drain), and the plan's fit in the grace period. */
class ShutdownPhasesTest {

    @Test
    void readinessGoesDownFirstWhileRequestsAreStillServedThenNewOnesAreRefused() throws Exception {
        GracefulShutdown shutdown = new GracefulShutdown(Duration.ofMillis(700), Duration.ofSeconds(5));
        StoppingHealthCheck readiness = new StoppingHealthCheck(shutdown);
        assertThat(readiness.call().getState().name()).as("not before the API serves").isEqualTo("DOWN");
        readiness.serving();
        assertThat(readiness.call().getState().name()).isEqualTo("UP");

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                shutdown.notify(null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(shutdown::stopping);
        assertThat(readiness.call().getState().name()).isEqualTo("DOWN");
        assertThat(shutdown.enter()).as("a request during the readiness delay is served").isTrue();

        await().atMost(Duration.ofSeconds(5)).until(shutdown::draining);
        assertThat(shutdown.enter()).as("a new request during the drain is refused").isFalse();
        assertThat(stop).as("the drain waits for the request in flight").isNotDone();
        shutdown.leave();
        stop.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void theShippedPlansFitKubernetesDefaultGracePeriod() throws Exception {
        java.util.Properties embedded = shipped("application.properties");
        java.util.Properties prod = shipped("application.properties");
        prod.putAll(shipped("application-prod.properties"));
        assertThat(prod.getProperty(ShutdownPlan.READINESS_DELAY)).as("prod waits for the balancers").isEqualTo("5000");
        assertThat(prod.getProperty(ShutdownPlan.GRACE_PERIOD)).isEqualTo("30");
        assertThat(plan(embedded).problems()).isEmpty();
        assertThat(plan(prod).problems()).isEmpty();
    }

    @Test
    void aPlanLongerThanTheGracePeriodIsRefusedNamingEverySetting() throws Exception {
        SettingsReader settings = plan(Map.of(ShutdownPlan.READINESS_DELAY, "5000", ShutdownPlan.DRAIN_TIMEOUT, "15000"));
        assertThat(settings.problems()).containsExactly("gateway.shutdown.readiness-delay-ms (GATEWAY_SHUTDOWN_READINESS_DELAY_MS) (5000 ms)"
                + " + gateway.shutdown.drain-timeout-ms (GATEWAY_SHUTDOWN_DRAIN_TIMEOUT_MS) (15000 ms)"
                + " + camel.main.shutdown-timeout (CAMEL_MAIN_SHUTDOWN_TIMEOUT) (10 s) + 3 s to exit = 33000 ms:"
                + " more than gateway.shutdown.grace-period-seconds (GATEWAY_SHUTDOWN_GRACE_PERIOD_SECONDS) (30 s),"
                + " the time the platform allows a stop before it kills the process; shorten a phase or raise the grace period");
    }

    @Test
    void aBadValueIsReportedAloneNotAsAMisfit() throws Exception {
        SettingsReader settings = plan(Map.of(ShutdownPlan.DRAIN_TIMEOUT, "ten seconds"));
        assertThat(settings.problems()).containsExactly("gateway.shutdown.drain-timeout-ms (GATEWAY_SHUTDOWN_DRAIN_TIMEOUT_MS)"
                + " = 'ten seconds': expected a whole number of at least 0");
    }

    private static java.util.Properties shipped(String file) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        try (var in = ShutdownPhasesTest.class.getResourceAsStream("/" + file)) {
            properties.load(in);
        }
        return properties;
    }

    /** The embedded run's shipped plan with these settings over it. */
    private static SettingsReader plan(Map<String, String> overrides) throws Exception {
        java.util.Properties values = shipped("application.properties");
        values.putAll(overrides);
        return plan(values);
    }

    private static SettingsReader plan(java.util.Properties values) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(values);
        SettingsReader settings = new SettingsReader(context.getPropertiesComponent(), key -> false, "");
        ShutdownPlan.read(settings);
        return settings;
    }
}

package org.open311.gateway.observe;

import org.open311.gateway.SettingException;
import org.open311.gateway.SettingsReader;

import java.time.Duration;

/**
 * The three phases of a stop and the platform's grace period they must fit in: readiness down while
 * still serving (load balancers take the instance out), the drain of requests in flight, Camel's stop
 * of the routes. A plan that does not fit would be killed mid-stop (SIGKILL), so the start refuses it.
 */
public record ShutdownPlan(Duration readinessDelay, Duration drainTimeout, Duration routesTimeout, Duration gracePeriod) {

    /** Closing the servers and the pool and the JVM's exit, after the routes have stopped. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(3);

    static final String READINESS_DELAY = "gateway.shutdown.readiness-delay-ms";
    static final String DRAIN_TIMEOUT = "gateway.shutdown.drain-timeout-ms";
    static final String ROUTES_TIMEOUT = "camel.main.shutdown-timeout";
    static final String GRACE_PERIOD = "gateway.shutdown.grace-period-seconds";

    /** Reads the plan; one that does not fit the grace period is recorded as a problem naming every setting. */
    public static ShutdownPlan read(SettingsReader settings) {
        int problemsBefore = settings.problems().size();
        ShutdownPlan plan = new ShutdownPlan(
                Duration.ofMillis(settings.wholeNumber(READINESS_DELAY, 0)),
                Duration.ofMillis(settings.wholeNumber(DRAIN_TIMEOUT, 0)),
                Duration.ofSeconds(settings.wholeNumber(ROUTES_TIMEOUT, 1)),
                Duration.ofSeconds(settings.wholeNumber(GRACE_PERIOD, 1)));
        // only a plan read without problems is compared: a bad value was read as a stand-in
        if (settings.problems().size() == problemsBefore && !plan.fits()) {
            settings.problem(plan.misfit());
        }
        return plan;
    }

    /** The longest stop: every phase at its limit, then the exit. */
    public Duration longest() {
        return readinessDelay.plus(drainTimeout).plus(routesTimeout).plus(EXIT_MARGIN);
    }

    public boolean fits() {
        return longest().compareTo(gracePeriod) <= 0;
    }

    private String misfit() {
        return String.format("%s (%s ms) + %s (%s ms) + %s (%s s) + %s s to exit = %s ms: more than %s (%s s),"
                        + " the time the platform allows a stop before it kills the process; shorten a phase or raise the grace period",
                name(READINESS_DELAY), readinessDelay.toMillis(), name(DRAIN_TIMEOUT), drainTimeout.toMillis(),
                name(ROUTES_TIMEOUT), routesTimeout.toSeconds(), EXIT_MARGIN.toSeconds(), longest().toMillis(),
                name(GRACE_PERIOD), gracePeriod.toSeconds());
    }

    private static String name(String key) {
        return key + " (" + SettingException.environmentVariable(key) + ")";
    }
}

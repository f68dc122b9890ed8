package org.open311.gateway.observe;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.open311.gateway.GatewaySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires metrics, the access log, correlation ids and the graceful stop into the gateway:
 * {@code metrics} and {@code feedOutages} beans for the routes, the store gauges, and the
 * {@link HttpObserver} in front of every route of the public HTTP server.
 */
public final class Observability {

    /** The registry Camel's metrics service (camel-micrometer-prometheus) also uses and serves at /observe/metrics. */
    static final String REGISTRY_NAME = "metricsRegistry";

    private Observability() {
    }

    public static GatewayMetrics install(CamelContext context, DataSource store, java.util.List<String> backends) throws Exception {
        Registry registry = context.getRegistry();
        GatewayMetrics metrics = new GatewayMetrics(meterRegistry(registry));
        registry.bind("metrics", metrics);
        CredentialRefusals credentials = registry.lookupByNameAndType("credentialRefusals", CredentialRefusals.class);
        registry.bind("feedOutages", new FeedOutages(metrics, credentials, Clock.systemUTC()));
        StoreSnapshot snapshot = new StoreSnapshot(store, backends, Duration.ofMillis(setting(context, "gateway.metrics.store-refresh-ms")),
                Clock.systemUTC());
        for (String backend : backends) {
            metrics.bindStoreGauges(backend, snapshot);
            metrics.bindCredentialRefusals(backend, credentials);
            metrics.bindFeedRewinds(backend, registry.lookupByNameAndType("feedRewinds", FeedRewinds.class));
        }
        metrics.registerAtZero(backends);
        metrics.bindBuildInfo(BuildInfo.version());
        if (store instanceof HikariDataSource pool) {
            // HikariCP's own binder: hikaricp_connections_{active,idle,pending,max,min,timeout_total,...}{pool="store"}
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        }
        GracefulShutdown shutdown = gracefulShutdown(context, metrics);
        context.addRoutePolicyFactory(new CorrelationMdc());
        observeHttpServer(context, new HttpObserver(metrics, shutdown));
        return metrics;
    }

    /** Drains requests in flight when the context starts stopping, and turns readiness down meanwhile. */
    private static GracefulShutdown gracefulShutdown(CamelContext context, GatewayMetrics metrics) throws Exception {
        GracefulShutdown shutdown = new GracefulShutdown(Duration.ofMillis(setting(context, ShutdownPlan.READINESS_DELAY)),
                Duration.ofMillis(setting(context, ShutdownPlan.DRAIN_TIMEOUT)));
        context.getManagementStrategy().addEventNotifier(shutdown);
        context.addService(shutdown);
        context.getRegistry().bind("stoppingHealth", new StoppingHealthCheck(shutdown));
        metrics.bindInFlight(shutdown);
        return shutdown;
    }

    private static long setting(CamelContext context, String key) {
        return Long.parseLong(GatewaySettings.required(context.getPropertiesComponent(), key));
    }

    /** The gauges of each back end's circuit, once the breakers exist. */
    public static void bindCircuits(GatewayMetrics metrics, Registry registry, java.util.List<String> backends) {
        for (String backend : backends) {
            metrics.bindCircuit(backend, registry.lookupByNameAndType(backend + "CircuitBreaker", CircuitBreaker.class));
        }
    }

    /** Shares one Prometheus registry with Camel's metrics service, whichever of the two is set up first. */
    private static MeterRegistry meterRegistry(Registry registry) {
        PrometheusMeterRegistry existing = registry.lookupByNameAndType(REGISTRY_NAME, PrometheusMeterRegistry.class);
        if (existing != null) {
            existing.config().namingConvention(new LabelStyle(existing.config().namingConvention()));
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        created.config().namingConvention(new LabelStyle(created.config().namingConvention()));
        registry.bind(REGISTRY_NAME, created);
        return created;
    }

    /**
     * The observer goes on the public server's router ahead of every route (order below theirs), so it
     * also sees answers no Camel route writes: the body-size limit's 413, unknown paths, rate limits.
     * The router exists once the server has started, before any route consumes.
     */
    private static void observeHttpServer(CamelContext context, HttpObserver observer) {
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            private boolean installed;

            @Override
            public boolean isEnabled(CamelEvent event) {
                return !installed && (event instanceof CamelEvent.RouteStartingEvent || event instanceof CamelEvent.CamelContextStartedEvent);
            }

            @Override
            public void notify(CamelEvent event) {
                VertxPlatformHttpRouter router = publicRouter(context);
                if (router != null) {
                    observer.install(router);
                    installed = true;
                }
            }
        });
    }

    /** The public server's router: bound under its port's name (the management server has its own). */
    private static VertxPlatformHttpRouter publicRouter(CamelContext context) {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080").trim());
        VertxPlatformHttpRouter router = context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.getRouterNameFromPort(port), VertxPlatformHttpRouter.class);
        return router != null ? router : context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME, VertxPlatformHttpRouter.class);
    }
}

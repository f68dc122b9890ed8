package org.open311.gateway;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.open311.gateway.admin.AdminBeans;
import org.open311.gateway.console.ConsoleBeans;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.CatalogueAnswers;
import org.open311.gateway.api.CatalogueApi;
import org.open311.gateway.api.CatalogueFastPath;
import org.open311.gateway.api.CrossOrigin;
import org.open311.gateway.api.DiscoveryApi;
import org.open311.gateway.api.HttpSettings;
import org.open311.gateway.api.OpenApiDocument;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.open311.gateway.backends.BackendBeans;
import org.open311.gateway.backends.ForwardingLog;
import org.open311.gateway.observe.CredentialRefusals;
import org.open311.gateway.observe.FeedRewinds;
import org.open311.gateway.backends.BackendSpec;
import org.open311.gateway.backends.IntakeTasks;
import org.open311.gateway.health.BackendHealthCheck;
import org.open311.gateway.health.MappingsHealthCheck;
import org.open311.gateway.health.StoreHealthCheck;
import org.open311.gateway.catalogue.CodesInUse;
import org.open311.gateway.catalogue.LastGoodCopy;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.open311.gateway.limits.BodyLimits;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.limits.FormFraming;
import org.open311.gateway.limits.HttpFront;
import org.open311.gateway.limits.HttpGuard;
import org.open311.gateway.limits.LimitSettings;
import org.open311.gateway.limits.RateLimits;
import org.open311.gateway.limits.ServerTuning;
import org.open311.gateway.media.MediaStore;
import org.open311.gateway.media.UploadCapture;
import org.open311.gateway.observe.GatewayMetrics;
import org.open311.gateway.observe.MappingsMetrics;
import org.open311.gateway.observe.Observability;
import org.open311.gateway.observe.SecretSettings;
import org.open311.gateway.observe.StoppingHealthCheck;
import org.open311.gateway.requests.IdempotentPosts;
import org.open311.gateway.requests.RenderedRequests;
import org.open311.gateway.requests.RequestApi;
import org.open311.gateway.updates.UpdatesApi;
import org.open311.gateway.updates.UpdatePosts;
import org.open311.gateway.backends.ResidentUpdates;
import org.open311.gateway.simulator.EmbeddedSimulators;
import org.open311.gateway.requests.RequestRows;
import org.open311.gateway.store.ApiKeyAdmin;
import org.open311.gateway.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Builds the beans the routes call, by name. Invalid mappings or an unusable database stop the start here. */
@Configuration
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        // first: from here on the logs mask each secret setting's value (Camel logs resolved values at DEBUG)
        SecretSettings.watch(context);
        // then every setting at once, before anything starts: a bad one stops here, all of them named
        StartupSettings checked = StartupSettings.check(context, System.getenv());
        GatewaySettings settings = checked.gateway();
        HikariDataSource store = openStore(context, settings);
        // a catalogue that lacks a service code stored requests use is refused, so the store comes first
        LiveCatalogue catalogue = new LiveCatalogue(settings.mappingsDir(), LastGoodCopy.in(settings.mappingsLastGoodDir()),
                new CodesInUse(store));
        Registry registry = context.getRegistry();
        registry.bind("store", store);
        registry.bind("catalogue", catalogue);
        CatalogueApi catalogueApi = new CatalogueApi(catalogue);
        registry.bind("catalogueApi", catalogueApi);
        DiscoveryApi discoveryApi = new DiscoveryApi(settings.discoveryChangeset(), settings.discoveryContact(),
                settings.discoveryKeyService(), settings.publicUrl(), settings.environmentType());
        registry.bind("discoveryApi", discoveryApi);
        HttpSettings http = HttpSettings.from(context.getPropertiesComponent());
        ApiResponder responder = new ApiResponder().catalogueCacheFor(http.catalogueMaxAge());
        registry.bind("responder", responder);
        registry.bind("openApi", OpenApiDocument.publicApi(settings.publicUrl(), catalogue::current));
        registry.bind("openApiIntegration", OpenApiDocument.integration(settings.publicUrl(), settings.basePath()));
        MediaStore media = new MediaStore(settings.mediaDir(), settings.publicUrl(), settings.mediaMaxFiles(),
                settings.mediaMaxFileBytes());
        RenderedRequests renderedRequests = new RenderedRequests(settings.renderedRequestsBytes());
        registry.bind("requestApi", new RequestApi(catalogue, new RequestRows(settings.timeZone()), Clock.systemUTC(),
                captureUploads(context), media, renderedRequests, responder).cacheFor(http.requestsMaxAge()));
        registry.bind("updatesApi", new UpdatesApi(new RequestRows(settings.timeZone()), Clock.systemUTC())
                .cacheFor(http.requestsMaxAge()));
        BackendBeans.bind(context, checked.backends(), store, catalogue, Clock.systemUTC());
        List<String> backendNames = checked.backends().specs().stream().map(BackendSpec::name).toList();
        registry.bind("updatePosts", new UpdatePosts(store, registry.lookupByNameAndType("residentUpdates", ResidentUpdates.class),
                media, settings.timeZone(), Clock.systemUTC()));
        registry.bind("idempotentPosts", new IdempotentPosts(store, registry.lookupByNameAndType("intakeTasks", IntakeTasks.class),
                Clock.systemUTC(), Duration.ofSeconds(checked.idempotencyRetentionSeconds())));
        startSimulators(context);
        CredentialRefusals credentialRefusals = new CredentialRefusals(Clock.systemUTC());
        registry.bind("credentialRefusals", credentialRefusals);
        FeedRewinds feedRewinds = new FeedRewinds(Clock.systemUTC());
        registry.bind("feedRewinds", feedRewinds);
        registry.bind("forwardingLog", new ForwardingLog(credentialRefusals));
        bindHealthChecks(registry, store, catalogue, backendNames, credentialRefusals, feedRewinds);
        GatewayMetrics metrics = Observability.install(context, store, backendNames);
        MappingsMetrics.bind(metrics.registry(), catalogue);
        Observability.bindCircuits(metrics, registry, backendNames);
        renderedRequests.bindMetrics(metrics.registry());
        HttpFront front = new HttpFront(responder, apiPort(context));
        front.compressed(http.compressionLevel() > 0);
        RateLimits rateLimits = guardAgainstAbuse(context, responder, metrics, front, settings.basePath(), http.compressionLevel());
        CrossOrigin crossOrigin = new CrossOrigin(http, responder);
        onApiServer(context, router -> crossOrigin.install(router, settings.basePath()));
        FailedAuthentications failedAuthentications = FailedAuthentications.of(LimitSettings.from(context.getPropertiesComponent()),
                metrics::rateLimited);
        registry.bind("failedAuthentications", failedAuthentications);
        AdminBeans.bind(context, store, catalogue, settings.mappingsDir(), failedAuthentications, backendNames);
        ConsoleBeans.bind(context, checked.console(), store, catalogue, settings.mappingsDir(), backendNames, failedAuthentications,
                responder, apiPort(context));
        checkFormFraming(context, responder);
        CatalogueFastPath fastPath = new CatalogueFastPath(new CatalogueAnswers(catalogueApi, discoveryApi, responder), rateLimits,
                responder::catalogueCacheControl);
        // only once every route has started: answering services.json earlier would tell a client (or a
        // start-up probe) the gateway is up while requests.json still gets the catch-all's 404
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the servers have started (or failed to bind, which Camel only logs), the routes not yet
                ServerPorts.requireListening(started);
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                apiServers(started).forEach(router -> fastPath.install(router, settings.basePath()));
                // until now the API answered 503 (HttpFront): a route not yet started would have been a 404
                front.ready();
                // and only now may a load balancer send requests here
                started.getRegistry().lookupByNameAndType("stoppingHealth", StoppingHealthCheck.class).serving();
            }
        });
    }

    /** The public API's port (the management server, on its own port, is not gated while starting). */
    private static int apiPort(CamelContext context) {
        return Integer.parseInt(GatewaySettings.required(context.getPropertiesComponent(), "camel.server.port"));
    }

    private static Stream<Router> apiServers(CamelContext context) {
        return context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer)
                .map(Router.class::cast);
    }

    /** Runs {@code install} on the public API server's router once the context has started it. */
    private static void onApiServer(CamelContext context, Consumer<Router> install) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> apiServers(started).forEach(install));
    }

    /** Rate limits (route steps, bean rateLimits) and the HTTP server's own limits (docs/reliability.md). */
    private static RateLimits guardAgainstAbuse(CamelContext context, ApiResponder responder, GatewayMetrics metrics,
                                                HttpFront front, String basePath, int compressionLevel) throws Exception {
        LimitSettings limits = LimitSettings.from(context.getPropertiesComponent());
        RateLimits rateLimits = RateLimits.of(limits, metrics::rateLimited);
        context.getRegistry().bind("rateLimits", rateLimits);
        // the embedded HTTP server takes this Vert.x; Camel leaves a Vert.x it did not create running, so it is
        // closed here once the context (and the server on it) has stopped, and before a restart binds the port again
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        context.getRegistry().bind("vertx", ServerTuning.vertx(vertx, limits.idleTimeoutSeconds(), limits.maxFormFieldBytes(),
                compressionLevel, front));
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        });
        HttpGuard guard = new HttpGuard(responder, new BodyLimits(basePath, limits.maxBodyBytes(), limits.maxFormBodyBytes()),
                limits.bodyTimeout());
        onApiServer(context, guard::install);
        return rateLimits;
    }

    /** Malformed multipart framings are 400 before the server's decoder reads them (limits/FormFraming). */
    private static void checkFormFraming(CamelContext context, ApiResponder responder) throws Exception {
        context.getRegistry().lookupByNameAndType("vertx", Vertx.class).exceptionHandler(FormFraming.unhandledExceptions());
        onApiServer(context, new FormFraming(responder)::install);
    }

    /** The pooled, migrated store, closed with the context; the embedded run's demo key is made here. */
    private static HikariDataSource openStore(CamelContext context, GatewaySettings settings) throws Exception {
        HikariDataSource store = settings.migrateOnStart() ? Database.open(settings.database()) : Database.openCurrent(settings.database());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        });
        ApiKeyAdmin keys = new ApiKeyAdmin(store);
        if (!settings.demoApiKey().isBlank() && keys.ensure("demo key of the embedded run", settings.demoApiKey())) {
            LOG.warn("Created the documented demo API key: for trying the gateway out, never for production");
        }
        if (settings.demoApiKey().isBlank()) {
            // a store once used without the prod profile holds the public demo key: it must not open production
            long revoked = keys.revokeKey(GatewaySettings.DOCUMENTED_DEMO_KEY);
            if (revoked >= 0) {
                LOG.warn("Revoked the documented demo API key (id {}), created by an earlier start without the prod profile:"
                        + " with gateway.api-keys.demo empty it must not authenticate", revoked);
            }
        }
        return store;
    }

    /** Puts {@link UploadCapture} on the HTTP server, before Camel, so no uploaded file is lost. */
    private static UploadCapture captureUploads(CamelContext context) {
        UploadCapture uploads = new UploadCapture();
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        engine.setCamelContext(context);
        engine.setHandlers(new ArrayList<>(List.of(uploads)));
        PlatformHttpComponent http = context.getComponent("platform-http", PlatformHttpComponent.class);
        http.setEngine(engine);
        http.setHeaderFilterStrategy(answerHeaders());
        return uploads;
    }

    /**
     * Camel's HTTP header filter, except that answers may carry Cache-Control (which it drops as a hop header):
     * the routes' answers say how long they may be kept (api/Caching). Every answer's headers are the
     * responder's own, so no request header can reach an answer this way.
     */
    private static HttpHeaderFilterStrategy answerHeaders() {
        HttpHeaderFilterStrategy strategy = new HttpHeaderFilterStrategy();
        strategy.getOutFilter().remove("cache-control");
        return strategy;
    }

    /** Camel's health registry picks up HealthCheck beans: store and mappings decide readiness. */
    private static void bindHealthChecks(Registry registry, DataSource store, LiveCatalogue catalogue, List<String> backends,
                                         CredentialRefusals credentialRefusals, FeedRewinds feedRewinds) {
        registry.bind("storeHealth", new StoreHealthCheck(store));
        registry.bind("mappingsHealth", new MappingsHealthCheck(catalogue));
        // one check per configured back end: open311/<name>
        for (String backend : backends) {
            registry.bind(backend + "Health", new BackendHealthCheck(backend,
                    registry.lookupByNameAndType(backend + "CircuitBreaker", CircuitBreaker.class), store, credentialRefusals, feedRewinds));
        }
    }

    /** The embedded run starts both back-end simulators beside the gateway, each its own HTTP server and Camel context. */
    private static void startSimulators(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(properties.resolveProperty("gateway.simulators.enabled").orElse("false").trim())) {
            return;
        }
        // their records under the data directory, so the embedded run survives a restart (blank: in memory)
        String stateSetting = properties.resolveProperty("gateway.simulators.state-dir").orElse("").trim();
        java.nio.file.Path stateDir = stateSetting.isEmpty() ? null : java.nio.file.Path.of(stateSetting);
        EmbeddedSimulators simulators = EmbeddedSimulators.start(port(properties, "gateway.simulators.crm-port"),
                properties.resolveProperty("gateway.backend.crm.token").orElseThrow().trim(),
                port(properties, "gateway.simulators.aspa-port"),
                properties.resolveProperty("gateway.backend.aspa.api-key").orElseThrow().trim(),
                // a GeoReport v2 server, for trying a back end of kind open311 (docs/backends/open311.md)
                port(properties, "gateway.simulators.open311-port"), stateDir);
        context.getRegistry().bind("crmSimulator", simulators.crm());
        context.getRegistry().bind("aspaSimulator", simulators.aspa());
        context.getRegistry().bind("open311Simulator", simulators.open311());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                simulators.close();
            }
        });
        LOG.info("Simulators started: feedback CRM at {}, Aspa at {}, an Open311 server at {} (operator endpoints: see docs/backends/)",
                simulators.crm().baseUrl(), simulators.aspa().baseUrl(), simulators.open311().baseUrl());
    }

    private static int port(org.apache.camel.spi.PropertiesComponent properties, String setting) {
        return Integer.parseInt(properties.resolveProperty(setting).orElseThrow().trim());
    }
}

package org.open311.gateway.console;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.open311.gateway.admin.AdminTokens;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.backends.IntakeTasks;
import org.open311.gateway.backends.Outbox;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.store.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Builds the console's beans ({@code console}, and {@code instances} for the heartbeat every instance writes). */
public final class ConsoleBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBeans.class);

    private ConsoleBeans() {
    }

    public static void bind(CamelContext context, ConsoleSettings settings, DataSource store, LiveCatalogue catalogue,
                            Path mappingsDir, List<String> backends, FailedAuthentications failedAuthentications,
                            ApiResponder responder, int port) {
        var registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        Instances instances = new Instances(store, clock, port);
        registry.bind("instances", instances);
        AdminTokens tokens = AdminTokens.parse(context.getPropertiesComponent().resolveProperty("gateway.admin.token").orElse(""));
        IntakeTasks intake = registry.lookupByNameAndType("intakeTasks", IntakeTasks.class);
        Overview overview = new Overview(store, backends, name -> registry.lookupByNameAndType(name + "Health", HealthCheck.class),
                catalogue, instances, clock);
        CatalogueView catalogueView = new CatalogueView(catalogue, code -> intake.tasks(code).stream().map(Outbox.Task::backend).toList());
        registry.bind("console", new ConsoleApi(settings.enabled(), tokens, failedAuthentications,
                new ConsoleSessions(store, clock, settings.idle(), settings.longest()), new ConsolePages(), overview, catalogueView,
                new DraftCheck(mappingsDir, store), new RequestTimeline(store), new DeadLetters(store), responder));
        LOG.info(settings.enabled() ? "Web console enabled under " + ConsoleApi.PATH : "Web console disabled (gateway.console.enabled)");
    }
}

package org.open311.gateway.backends;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.open311.gateway.SettingsReader;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.StatusVocabulary;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the back ends' specs from gateway.backends and gateway.backend.&lt;name&gt;.* (docs/configuration.md)
 * and builds the beans their route templates call.
 */
public final class BackendBeans {

    /** A back end's name: it keys its rows in the store and its routes' ids, so a short lower-case word. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** Settings of the two back ends the gateway had before back ends became configuration, and what replaced each. */
    private static final Map<String, String> RENAMED = Map.of(
            "gateway.crm.url", "gateway.backend.crm.url",
            "gateway.crm.token", "gateway.backend.crm.token",
            "gateway.crm.timeout-ms", "gateway.backend.crm.timeout-ms",
            "gateway.crm.notification-secret", "gateway.backend.crm.notification-secret",
            "gateway.aspa.url", "gateway.backend.aspa.url",
            "gateway.aspa.api-key", "gateway.backend.aspa.api-key",
            "gateway.aspa.timeout-ms", "gateway.backend.aspa.timeout-ms",
            "gateway.aspa.notification-secret", "gateway.backend.aspa.notification-secret");

    private BackendBeans() {
    }

    /** The back ends' settings: their specs, and the forwarding, feed and circuit settings they share. */
    public record Settings(List<BackendSpec> specs, Forwarding.Settings forwarding, Duration feedLease) {
    }

    /**
     * Reads and checks every back-end setting, those the routes use by placeholder too (a bad one would
     * otherwise surface as a route that cannot be created, not naming the setting).
     */
    public static Settings read(SettingsReader settings) {
        refuseRenamed(settings);
        int openSeconds = settings.integer("gateway.circuit.open-seconds", 1);
        BackendSpec.Circuit circuit = new BackendSpec.Circuit(settings.integer("gateway.circuit.failure-rate-percent", 1, 100),
                settings.integer("gateway.circuit.minimum-calls", 1), Duration.ofSeconds(openSeconds));
        List<BackendSpec> specs = specs(settings, circuit);
        settings.integer("gateway.forwarding.interval-ms", 1);
        settings.integer("gateway.sync.interval-ms", 1);
        settings.integer("gateway.sync.page-size", 1);
        Forwarding.Settings forwarding = new Forwarding.Settings(
                settings.integer("gateway.forwarding.batch-size", 1),
                Duration.ofSeconds(settings.integer("gateway.forwarding.claim-seconds", 1)),
                settings.integer("gateway.forwarding.max-attempts", 1),
                Duration.ofMillis(settings.integer("gateway.forwarding.first-retry-ms", 1)),
                Duration.ofMillis(settings.integer("gateway.forwarding.max-retry-ms", 1)),
                Duration.ofSeconds(openSeconds),
                Duration.ofHours(settings.integer("gateway.forwarding.give-up-after-hours", 1)));
        checkClaimOutlivesBatch(settings, specs, forwarding);
        return new Settings(specs, forwarding, Duration.ofSeconds(settings.integer("gateway.sync.lease-seconds", 1)));
    }

    private static void refuseRenamed(SettingsReader settings) {
        RENAMED.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(old -> {
            if (!settings.optional(old.getKey()).isEmpty()) {
                settings.problem(old.getKey() + " is no longer read: back ends are configured as gateway.backends and"
                        + " gateway.backend.<name>.*; set " + old.getValue() + " instead");
            }
        });
    }

    /** The back ends named in gateway.backends, each from its gateway.backend.&lt;name&gt;.* settings. */
    static List<BackendSpec> specs(SettingsReader settings, BackendSpec.Circuit defaults) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : settings.text("gateway.backends", "the back ends' names, comma-separated, e.g. crm,aspa").split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(trimmed).matches() || !names.add(trimmed)) {
                settings.invalid("gateway.backends", trimmed, "distinct names of lower-case letters, digits and '-'"
                        + " (at most 32, starting with a letter)");
            }
        }
        List<BackendSpec> specs = new ArrayList<>();
        for (String name : names) {
            specs.add(spec(settings, name, defaults));
        }
        for (BackendSpec spec : specs) {
            if (spec.requestedBy() != null && (!names.contains(spec.requestedBy()) || spec.requestedBy().equals(spec.name()))) {
                settings.invalid("gateway.backend." + spec.name() + ".requested-by", spec.requestedBy(),
                        "the name of another back end in gateway.backends");
            }
        }
        return specs;
    }

    private static BackendSpec spec(SettingsReader settings, String name, BackendSpec.Circuit defaults) {
        String prefix = "gateway.backend." + name + ".";
        String kindId = settings.text(prefix + "kind", "the back end's kind: " + BackendKind.ids());
        BackendKind kind = BackendKind.of(kindId).orElse(null);
        if (kind == null) {
            if (!kindId.isEmpty()) {
                settings.invalid(prefix + "kind", kindId, "one of " + BackendKind.ids());
            }
            kind = BackendKind.FEEDBACK_CRM;
        }
        String url = settings.httpUrl(prefix + "url", "the " + kind.system() + " API's base URL");
        String credential = settings.text(prefix + kind.credentialSetting(), kind.credentialDescription());
        int timeoutMs = settings.integer(prefix + "timeout-ms", 1);
        String vocabulary = settings.optional(prefix + "statuses");
        if (vocabulary.isEmpty()) {
            vocabulary = kind.defaultVocabulary();
        } else if (!StatusVocabulary.isSection(vocabulary)) {
            settings.invalid(prefix + "statuses", vocabulary, "a section of mappings/statuses.yaml: crm, aspa or open311");
        }
        Set<String> services = codes(settings.optional(prefix + "services"));
        Set<String> skipServices = codes(settings.optional(prefix + "skip-services"));
        String requestedBy = settings.optional(prefix + "requested-by");
        String concurrency = settings.optional(prefix + "concurrency");
        Map<String, String> remoteCodes = new HashMap<>();
        for (String pair : codes(settings.optional(prefix + "service-codes"))) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                settings.invalid(prefix + "service-codes", pair, "pairs of our service code and the back end's, e.g. 171=POTHOLE,190=GRAFFITI");
            } else {
                remoteCodes.put(parts[0].trim(), parts[1].trim());
            }
        }
        return new BackendSpec(name, kind, url, credential, Duration.ofMillis(timeoutMs), settings.optional(prefix + "notification-secret"),
                services, skipServices, requestedBy.isEmpty() ? null : requestedBy, vocabulary,
                concurrency.isEmpty() ? DEFAULT_CONCURRENCY : settings.integer(prefix + "concurrency", 1, 256), remoteCodes,
                circuit(settings, prefix + "circuit.", defaults), updates(settings, prefix + "updates", kind));
    }

    /** Whether it receives residents' updates: by default if its kind can take them; a kind that cannot is refused. */
    private static boolean updates(SettingsReader settings, String key, BackendKind kind) {
        boolean capable = updateMappings().containsKey(kind);
        if (settings.optional(key).isEmpty()) {
            return capable;
        }
        boolean wanted = settings.flag(key);
        if (wanted && !capable) {
            settings.invalid(key, "true", "false: a back end of kind " + kind.id() + " takes no residents' updates");
        }
        return wanted && capable;
    }

    /** The kinds that take residents' updates on their requests, each with its update mapping. */
    static Map<BackendKind, UpdateMapping> updateMappings() {
        return Map.of(BackendKind.FEEDBACK_CRM, new CrmUpdateMapping());
    }

    static final int DEFAULT_CONCURRENCY = 8;

    /** A back end's own circuit settings where given, the gateway.circuit.* ones otherwise. */
    private static BackendSpec.Circuit circuit(SettingsReader settings, String prefix, BackendSpec.Circuit defaults) {
        boolean rate = !settings.optional(prefix + "failure-rate-percent").isEmpty();
        boolean calls = !settings.optional(prefix + "minimum-calls").isEmpty();
        boolean open = !settings.optional(prefix + "open-seconds").isEmpty();
        return new BackendSpec.Circuit(
                rate ? settings.integer(prefix + "failure-rate-percent", 1, 100) : defaults.failureRatePercent(),
                calls ? settings.integer(prefix + "minimum-calls", 1) : defaults.minimumCalls(),
                open ? Duration.ofSeconds(settings.integer(prefix + "open-seconds", 1)) : defaults.openDuration());
    }

    private static Set<String> codes(String list) {
        return Set.copyOf(Arrays.stream(list.split(",")).map(String::trim).filter(code -> !code.isEmpty()).toList());
    }

    /**
     * A claimed batch must be sent and recorded before its claim expires, or another instance claims what
     * is left and sends it again (seen: a batch of 20 sent one after another to a back end answering in
     * 3.5 s outlived a 60 s claim). The worst case: the batch in waves of the concurrency, each send taking
     * the whole timeout (a connect and a response timeout). Refused at start, naming the settings.
     */
    static void checkClaimOutlivesBatch(SettingsReader settings, List<BackendSpec> specs, Forwarding.Settings forwarding) {
        for (BackendSpec spec : specs) {
            Duration worst = worstBatch(spec, forwarding.batchSize());
            if (forwarding.claimFor().compareTo(worst) <= 0) {
                settings.problem("gateway.forwarding.claim-seconds = " + forwarding.claimFor().toSeconds() + ": expected more than "
                        + worst.toSeconds() + " s, the longest a batch of gateway.forwarding.batch-size = " + forwarding.batchSize()
                        + " can take to gateway.backend." + spec.name() + " (in waves of its concurrency = " + spec.concurrency()
                        + ", each send up to twice its timeout-ms = " + spec.timeout().toMillis() + "): raise it, or lower the batch size"
                        + " or the timeout, or raise the concurrency");
            }
        }
    }

    /** Connections kept beside the back ends' polls for the API and the housekeeping routes. */
    static final int POOL_HEADROOM = 4;

    /**
     * Each back end's forwarding poll holds a store connection while it claims and while it records its outcomes (50
     * to a transaction: the sending threads hold none while they send), and its feed one while it applies a page: a pool
     * smaller than that, plus the API's share, makes a poll wait past the pool's timeout, its outcomes unrecorded and
     * sent again once the claim expires. Refused at start, naming the setting.
     */
    public static void checkPoolCoversForwarding(SettingsReader settings, Settings backends, int poolSize) {
        int polls = 2 * backends.specs().size();
        if (poolSize < polls + POOL_HEADROOM) {
            settings.problem("gateway.db.pool-size = " + poolSize + ": expected at least " + (polls + POOL_HEADROOM)
                    + ", a forwarding poll and a feed for each back end (" + polls + " in all) and " + POOL_HEADROOM
                    + " for the API: raise it");
        }
    }

    /** The longest a claimed batch can take to be sent: ceil(batch / concurrency) waves of a connect plus a response timeout. */
    static Duration worstBatch(BackendSpec spec, int batchSize) {
        int waves = (batchSize + spec.concurrency() - 1) / spec.concurrency();
        return spec.timeout().multipliedBy(2L * waves);
    }

    /** The kinds' field mappings, one each, shared by every back end of the kind. */
    public static Map<BackendKind, KindMapping> mappings(LiveCatalogue catalogue) {
        Map<BackendKind, KindMapping> mappings = new HashMap<>();
        mappings.put(BackendKind.FEEDBACK_CRM, new CrmMapping(catalogue));
        mappings.put(BackendKind.ASPA, new AspaMapping());
        mappings.put(BackendKind.OPEN311, new Open311Mapping());
        return mappings;
    }

    public static void bind(CamelContext context, Settings settings, DataSource store, LiveCatalogue catalogue, Clock clock) throws Exception {
        Backends backends = new Backends(settings.specs());
        Map<BackendKind, KindMapping> mappings = mappings(catalogue);
        BackendRecords records = new BackendRecords(store, backends, clock);
        Outbox outbox = new Outbox(store, records);
        Registry registry = context.getRegistry();
        registry.bind("backends", backends);
        registry.bind("forwarding", new Forwarding(settings.forwarding(), settings.specs(), outbox, clock));
        mappings.forEach((kind, mapping) -> registry.bind(mappingBean(kind), mapping));
        registry.bind("intakeTasks", new IntakeTasks(backends, mappings, catalogue));
        Map<String, UpdateMapping> updateReceivers = new HashMap<>();
        settings.specs().stream().filter(BackendSpec::updates)
                .forEach(spec -> updateReceivers.put(spec.name(), updateMappings().get(spec.kind())));
        registry.bind("residentUpdates", new ResidentUpdates(updateReceivers));
        registry.bind("feedFollower", new FeedFollower(store, backends, mappings, catalogue, records, outbox,
                settings.feedLease(), clock));
        Map<String, String> secrets = new HashMap<>();
        for (BackendSpec spec : settings.specs()) {
            secrets.put(spec.name(), spec.notificationSecret());
            registry.bind(spec.circuitBreakerBean(), circuitBreaker(spec));
            registry.bind(spec.name() + "ForwardingPool", context.getExecutorServiceManager()
                    .newFixedThreadPool(BackendRoutes.class, "forward-" + spec.name(), spec.concurrency()));
        }
        registry.bind("notifications", new Notifications(secrets));
        registry.bind("backendRoutes", new BackendRoutes());
    }

    /** The bean name of a kind's mapping: feedback-crm → feedbackCrmMapping. */
    static String mappingBean(BackendKind kind) {
        StringBuilder name = new StringBuilder();
        for (String part : kind.id().split("-")) {
            name.append(name.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name + "Mapping";
    }

    /** One breaker per back end, shared by its forwarding and its feed, so both see the same outage. */
    private static CircuitBreaker circuitBreaker(BackendSpec spec) {
        BackendSpec.Circuit circuit = spec.circuit();
        return CircuitBreaker.of(spec.name(), CircuitBreakerConfig.custom()
                .failureRateThreshold(circuit.failureRatePercent())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .slidingWindowSize(Math.max(10, circuit.minimumCalls()))
                .waitDurationInOpenState(circuit.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    }
}

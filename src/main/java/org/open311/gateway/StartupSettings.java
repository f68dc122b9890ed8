package org.open311.gateway;

import org.apache.camel.CamelContext;
import org.open311.gateway.admin.AdminTokens;
import org.open311.gateway.api.HttpSettings;
import org.open311.gateway.backends.BackendBeans;
import org.open311.gateway.console.ConsoleSettings;
import org.open311.gateway.limits.LimitSettings;
import org.open311.gateway.observe.SecretFiles;
import org.open311.gateway.observe.SecretSettings;
import org.open311.gateway.observe.ShutdownPlan;

import java.util.Map;

/**
 * Every setting the gateway uses, read and checked in one pass before anything starts: a start with
 * bad or missing settings stops with all of them listed at once (docs/configuration.md), not one per
 * attempt, and never with a stack trace that does not name the setting.
 */
public record StartupSettings(GatewaySettings gateway, BackendBeans.Settings backends, LimitSettings limits,
                              long idempotencyRetentionSeconds, ConsoleSettings console) {

    /** Reads secrets given as files ({@code <VARIABLE>_FILE}), then every setting; throws {@link SettingException} listing every problem. */
    public static StartupSettings check(CamelContext context, Map<String, String> environment) {
        SettingsReader settings = reader(context);
        SecretFiles.apply(context.getPropertiesComponent(), environment, key -> SecretSettings.isSecret(context, key))
                .forEach(settings::problem);
        StartupSettings checked = read(settings);
        settings.check();
        return checked;
    }

    static SettingsReader reader(CamelContext context) {
        return new SettingsReader(context.getPropertiesComponent(), key -> SecretSettings.isSecret(context, key),
                context.getCamelContextExtension().getProfile());
    }

    static StartupSettings read(SettingsReader settings) {
        GatewaySettings gateway = GatewaySettings.read(settings);
        BackendBeans.Settings backends = BackendBeans.read(settings);
        if (settings.optional("gateway.db.pool-size").trim().matches("\\d{1,9}")) { // a bad value is reported once, as such
            BackendBeans.checkPoolCoversForwarding(settings, backends, gateway.database().poolSize());
        }
        LimitSettings limits = LimitSettings.read(settings);
        HttpSettings.read(settings);
        long retention = settings.wholeNumber("gateway.idempotency.retention-seconds", 1);
        settings.integer("gateway.idempotency.cleanup-interval-ms", 1);
        settings.integer("gateway.mappings.reload-interval-ms", 1);
        settings.wholeNumber("gateway.metrics.store-refresh-ms", 1);
        ShutdownPlan.read(settings);
        settings.integer("gateway.port", 0, 65535);
        settings.integer("gateway.management-port", 0, 65535);
        settings.text("gateway.bind-address", "the address the API server listens on, e.g. 0.0.0.0 (every interface)");
        settings.text("gateway.management-bind-address", "the address the management server listens on, e.g. 0.0.0.0");
        if (settings.flag("gateway.simulators.enabled")) {
            settings.integer("gateway.simulators.crm-port", 0, 65535);
            settings.integer("gateway.simulators.aspa-port", 0, 65535);
            settings.integer("gateway.simulators.open311-port", 0, 65535);
        }
        try {
            AdminTokens.parse(settings.optional("gateway.admin.token"));
        } catch (IllegalStateException e) {
            settings.problem(SettingsReader.name("gateway.admin.token") + ": " + e.getMessage().replaceFirst("^gateway.admin.token: ", ""));
        }
        ConsoleSettings console = ConsoleSettings.read(settings);
        return new StartupSettings(gateway, backends, limits, retention, console);
    }
}

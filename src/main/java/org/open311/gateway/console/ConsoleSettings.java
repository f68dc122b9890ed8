package org.open311.gateway.console;

import org.open311.gateway.SettingsReader;
import org.open311.gateway.admin.AdminTokens;

import java.time.Duration;

/**
 * The web console's settings ({@code gateway.console.*}, docs/configuration.md): on in the embedded run, off
 * under {@code prod} unless configured; on, it needs the admin credentials it logs in with.
 */
public record ConsoleSettings(boolean enabled, Duration idle, Duration longest) {

    public static final String ENABLED = "gateway.console.enabled";

    public static ConsoleSettings read(SettingsReader settings) {
        boolean enabled = settings.flag(ENABLED);
        int idleMinutes = settings.integer("gateway.console.session-idle-minutes", 1, 24 * 60);
        int longestHours = settings.integer("gateway.console.session-max-hours", 1, 7 * 24);
        if (enabled && !tokensConfigured(settings.optional("gateway.admin.token"))) {
            settings.problem(ENABLED + " (GATEWAY_CONSOLE_ENABLED) = 'true': the console logs in with the admin"
                    + " credentials, and gateway.admin.token (GATEWAY_ADMIN_TOKEN) is empty: set a token, or turn the console off");
        }
        return new ConsoleSettings(enabled, Duration.ofMinutes(idleMinutes), Duration.ofHours(longestHours));
    }

    private static boolean tokensConfigured(String setting) {
        try {
            return AdminTokens.parse(setting).enabled();
        } catch (IllegalStateException e) {
            return true; // the token's own problem is reported as such
        }
    }
}

package org.open311.gateway.observe;

import ch.qos.logback.core.PropertyDefinerBase;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses the log format for logback.xml before Camel reads its settings: {@code GATEWAY_LOG_FORMAT}
 * (or the system property {@code gateway.log.format}) if set to json or text; otherwise json in the
 * prod profile ({@code CAMEL_MAIN_PROFILE=prod}), for log collectors, and text for a terminal.
 */
public final class LogFormat extends PropertyDefinerBase {

    @Override
    public String getPropertyValue() {
        return choose(System.getProperty("gateway.log.format"), System.getenv());
    }

    static String choose(String systemProperty, Map<String, String> environment) {
        String asked = systemProperty != null ? systemProperty : environment.get("GATEWAY_LOG_FORMAT");
        if (asked != null && !asked.isBlank()) {
            return "json".equals(asked.trim().toLowerCase(Locale.ROOT)) ? "json" : "text";
        }
        return "prod".equals(environment.get("CAMEL_MAIN_PROFILE")) ? "json" : "text";
    }
}

package org.open311.gateway.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * One label style on /observe/metrics: every label name lower snake_case, as Prometheus names them. The
 * gateway's own labels are written so; Camel's (camelContext, routeId, eventType, …) are renamed by this
 * naming convention (camel_context, route_id, event_type) when the page is written, so a query never has
 * to mix styles. A naming convention applies to meters registered before it too (a meter filter would not).
 */
final class LabelStyle implements NamingConvention {

    private final NamingConvention prometheus;

    LabelStyle(NamingConvention prometheus) {
        this.prometheus = prometheus;
    }

    @Override
    public String name(String name, Meter.Type type, String baseUnit) {
        return prometheus.name(name, type, baseUnit);
    }

    @Override
    public String tagKey(String key) {
        return prometheus.tagKey(snakeCase(key));
    }

    @Override
    public String tagValue(String value) {
        return prometheus.tagValue(value);
    }

    /** {@code routeId} → {@code route_id}; {@code camel.context} → {@code camel_context}; snake_case stays. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c == '.' || c == '-' ? '_' : c);
            }
        }
        return out.toString();
    }
}

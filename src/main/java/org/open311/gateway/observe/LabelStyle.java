package org.open311.gateway.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * One label style on /observe/metrics: every label name lower snake_case, as Prometheus names them. The
 * gateway's own labels are written so; Camel's (camelContext, routeId, eventType, …) are renamed by this
 * filter (camel_context, route_id, event_type), so a query never has to mix styles.
 */
final class LabelStyle implements MeterFilter {

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            String key = snakeCase(tag.getKey());
            changed |= !key.equals(tag.getKey());
            tags.add(Tag.of(key, tag.getValue()));
        }
        return changed ? id.replaceTags(tags) : id;
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

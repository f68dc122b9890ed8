package org.open311.gateway.observe;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Labels for an HTTP request that keep the metrics' cardinality bounded: the route template the
 * server matched (never the raw path, which holds ids), the format from the path suffix and the method.
 */
final class EndpointTemplate {

    /** Any path the API does not have (the catch-all route, or none matched). */
    static final String UNMATCHED = "unmatched";

    private static final Pattern VERTX_PARAMETER = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private EndpointTemplate() {
    }

    /** {@code /v1/requests/:id.:format} -> {@code /v1/requests/{id}.{format}}; the catch-all and no route are "unmatched". */
    static String of(String routePath) {
        if (routePath == null || routePath.isEmpty() || routePath.equals("/") || routePath.endsWith("*")) {
            return UNMATCHED;
        }
        return VERTX_PARAMETER.matcher(routePath).replaceAll("{$1}");
    }

    /** json, xml or other, from the path's suffix as the API decides the format. */
    static String format(String path) {
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return "json";
        }
        return lower.endsWith(".xml") ? "xml" : "other";
    }

    static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }
}

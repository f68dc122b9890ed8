package org.open311.gateway.observe;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labels for an HTTP request that keep the metrics' cardinality bounded: the route template the
 * server matched (never the raw path, which holds ids), the format from the path suffix and the method.
 */
public final class EndpointTemplate {

    /** Any path the API does not have (the catch-all route, or none matched). */
    static final String UNMATCHED = "unmatched";

    private static final Pattern VERTX_PARAMETER = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private EndpointTemplate() {
    }

    /** The operators' and back ends' calls on the API's port, kept out of the public API's series. */
    enum Surface { PUBLIC, ADMIN, BACKEND_PUSH }

    /**
     * Which surface a request was for, by its path: {@code /admin...} the admin API, {@code <base>/backend/...}
     * a back end's push; anything else (an unknown path too) is the public API's.
     */
    static Surface surface(String path) {
        if (path == null) {
            return Surface.PUBLIC;
        }
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return Surface.ADMIN;
        }
        int second = path.indexOf('/', 1);
        return second > 0 && path.startsWith("/backend/", second) ? Surface.BACKEND_PUSH : Surface.PUBLIC;
    }

    /** {@code /v1/requests/:id.:format} -> {@code /v1/requests/{id}.{format}}; the catch-all and no route are "unmatched". */
    static String of(String routePath) {
        if (routePath == null || routePath.isEmpty() || routePath.equals("/") || routePath.endsWith("*")) {
            return UNMATCHED;
        }
        return VERTX_PARAMETER.matcher(routePath).replaceAll("{$1}");
    }

    /**
     * The template of the first path route that takes this method and path: for answers written before
     * routing (the server's limits: 400, 408, 413), so that a refused POST still counts against its endpoint.
     */
    static String ofRequest(List<Route> routes, String method, String path) {
        for (Route route : routes) {
            String template = route.getPath();
            if (template != null && !template.endsWith("*") && takes(route, method) && pattern(template).matcher(path).matches()) {
                return of(template);
            }
        }
        return UNMATCHED;
    }

    private static boolean takes(Route route, String method) {
        Set<HttpMethod> methods = route.methods();
        return methods == null || methods.isEmpty() || methods.contains(HttpMethod.valueOf(method));
    }

    /**
     * Vert.x's path syntax ({@code /v1/requests/:id.:format}) as a regular expression: each :parameter is
     * one path segment's worth. Shared with api/AllowedMethods, which matches the same routes for 405s.
     */
    public static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = VERTX_PARAMETER.matcher(template);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(last, parameter.start()))).append("[^/]+?");
            last = parameter.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(last))).toString());
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

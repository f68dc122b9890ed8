package org.open311.gateway.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.open311.gateway.observe.EndpointTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path of the API takes, as the HTTP server's routes declare them (Camel's routes and the
 * catalogue's fast path, e.g. {@code /v1/requests.:format} with GET and with POST): what a 405's {@code Allow}
 * header lists. A path that takes GET takes HEAD too (the HTTP front answers HEAD as GET without the body), and
 * every path the API has takes OPTIONS.
 */
public final class AllowedMethods {


    private record Template(Pattern path, Set<HttpMethod> methods) {
    }

    /** Rebuilt when the routes change (they do not once started; the check is a size comparison). */
    private static volatile AllowedMethods known = new AllowedMethods(List.of(), -1);

    private final List<Template> templates;
    private final int routeCount;

    private AllowedMethods(List<Template> templates, int routeCount) {
        this.templates = templates;
        this.routeCount = routeCount;
    }

    /** The methods of the public API server's routes in this context. */
    public static AllowedMethods of(CamelContext context) {
        List<Route> routes = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer)
                .flatMap(router -> router.getRoutes().stream())
                .toList();
        AllowedMethods current = known;
        if (current.routeCount != routes.size()) {
            current = from(routes);
            known = current;
        }
        return current;
    }

    static AllowedMethods from(List<Route> routes) {
        List<Template> templates = new ArrayList<>();
        for (Route route : routes) {
            // handlers of every method or of a prefix (the server's guards, CORS, the catch-all) say nothing of a path;
            // a path with parameters is "regex" to Vert.x, its template still the path
            if (route.getPath() != null && route.isExactPath()
                    && route.methods() != null && !route.methods().isEmpty()) {
                templates.add(new Template(EndpointTemplate.pattern(route.getPath()), Set.copyOf(route.methods())));
            }
        }
        return new AllowedMethods(List.copyOf(templates), routes.size());
    }

    /** The Allow header for a path, e.g. {@code GET, HEAD, POST, OPTIONS}; empty when the API has no such path. */
    public String allow(String path) {
        Set<String> methods = new TreeSet<>();
        if (path != null) {
            for (Template template : templates) {
                if (template.path.matcher(path).matches()) {
                    template.methods.forEach(method -> methods.add(method.name()));
                }
            }
        }
        if (methods.isEmpty()) {
            return "";
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.remove("OPTIONS");
        List<String> ordered = new ArrayList<>(methods);
        ordered.add("OPTIONS");
        return String.join(", ", ordered);
    }
}

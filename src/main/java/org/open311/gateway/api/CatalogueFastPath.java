package org.open311.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.open311.gateway.limits.RateLimits;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers the catalogue's successful GETs (discovery, services, a service definition) from
 * {@link CatalogueAnswers} on the HTTP server's event loop, in front of Camel: these are the API's most
 * frequent calls and their answers change only with the mappings, so a Camel exchange and a worker
 * thread per call would be most of their cost (issue #6: services.json at 60 % of the bare HTTP stack).
 * Anything else (an unknown service or format, a client over its rate limit, a {@code locale} sent as a
 * header) goes on to the catalogue's routes, which answer it, errors included, exactly as before.
 */
public final class CatalogueFastPath {

    /** After the server's guards (HttpGuard -1000), before Camel's routes (non-negative orders). */
    static final int ORDER = -500;
    private static final String LOCALE = "locale";

    private final CatalogueAnswers answers;
    private final RateLimits rateLimits;
    /** The catalogue's Cache-Control, the same the routes give (ApiResponder). */
    private final Supplier<String> cacheControl;

    public CatalogueFastPath(CatalogueAnswers answers, RateLimits rateLimits, Supplier<String> cacheControl) {
        this.answers = answers;
        this.rateLimits = rateLimits;
        this.cacheControl = cacheControl;
    }

    /** The same path templates as the routes of routes/catalogue.camel.yaml, so metrics label them alike. */
    public void install(Router router, String basePath) {
        router.get(basePath + "/discovery.:format").order(ORDER)
                .handler(context -> serve(context, format -> Optional.of(answers.discovery(format))));
        router.get(basePath + "/services.:format").order(ORDER + 1)
                .handler(context -> serve(context, format -> Optional.of(answers.services(locale(context), format))));
        router.get(basePath + "/services/:code.:format").order(ORDER + 2)
                .handler(context -> serve(context, format -> answers.definition(context.pathParam("code"), locale(context), format)));
    }

    /**
     * The kept answer with its ETag and the catalogue's Cache-Control; to a client whose If-None-Match names
     * that ETag, a 304 with the same headers and no body. A HEAD arrives here as a GET (HttpFront): the server
     * leaves the body out.
     */
    private void serve(RoutingContext context, Function<ApiFormat, Optional<CatalogueAnswers.Answer>> answer) {
        ApiFormat format = format(context);
        Optional<CatalogueAnswers.Answer> kept = format == null || !plainRequest(context) ? Optional.empty() : answer.apply(format);
        if (kept.isEmpty() || !rateLimits.allowsRead(context.request())) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response()
                .putHeader(HttpHeaders.ETAG, kept.get().etag())
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl.get());
        if (Caching.matches(context.request().getHeader(HttpHeaders.IF_NONE_MATCH), kept.get().etag())) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                .end(Buffer.buffer(kept.get().body()));
    }

    private static String locale(RoutingContext context) {
        return context.queryParams().get(LOCALE);
    }

    /** json or xml; anything else is the route's 400. */
    private static ApiFormat format(RoutingContext context) {
        String suffix = context.pathParam("format");
        if ("json".equals(suffix)) {
            return ApiFormat.JSON;
        }
        return "xml".equals(suffix) ? ApiFormat.XML : null;
    }

    /**
     * At most one locale, and only in the query: the routes read Camel's headers, where an HTTP header
     * of the same name could also arrive; such rare requests are the routes' to answer.
     */
    private static boolean plainRequest(RoutingContext context) {
        List<String> locales = context.queryParams().getAll(LOCALE);
        return locales.size() <= 1 && context.request().getHeader(LOCALE) == null;
    }
}

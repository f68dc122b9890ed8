package org.open311.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.Set;

/**
 * CORS for the public API (gateway.cors.allowed-origins): web pages of the allowed origins may read it and post
 * to it (a city's feedback form is usually a page on another origin). Vert.x's {@link CorsHandler} answers
 * preflights and adds the headers; a call from an origin not allowed is refused here, 403 in the error shape,
 * before anything is done (a browser sends a simple form post before it knows whether it may read the answer).
 * The API takes no cookies or other credentials (posts carry their api_key), so any origin, {@code *}, is safe.
 * The admin API and the back ends' notifications are server-to-server: no CORS.
 */
public final class CrossOrigin {

    /** After the observer and the HEAD front (Integer.MIN_VALUE, +1), before the server's limits (HttpGuard -1000). */
    static final int ORDER = -1_100;
    /** How long a browser may reuse a preflight's answer (browsers cap it: Chromium at 2 hours). */
    static final int PREFLIGHT_MAX_AGE_SECONDS = 7_200;
    static final Set<String> EXPOSED = Set.of("X-Correlation-Id", "Retry-After", "ETag");
    static final Set<String> ALLOWED_HEADERS = Set.of("Content-Type", "Idempotency-Key", "X-Correlation-Id", "If-None-Match");

    private final HttpSettings settings;
    private final ApiResponder responder;
    private final CorsHandler cors;

    public CrossOrigin(HttpSettings settings, ApiResponder responder) {
        this.settings = settings;
        this.responder = responder;
        CorsHandler handler = CorsHandler.create();
        if (!settings.anyOrigin()) {
            handler.addOrigins(settings.allowedOrigins());
        }
        this.cors = handler.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST))
                .allowedHeaders(ALLOWED_HEADERS)
                .exposedHeaders(EXPOSED)
                .maxAgeSeconds(PREFLIGHT_MAX_AGE_SECONDS);
    }

    /** On the public API's paths, except the back ends' notifications. */
    public void install(Router router, String basePath) {
        String backends = basePath + "/backend/";
        router.route(basePath + "/*").order(ORDER).handler(context -> {
            if (context.normalizedPath().startsWith(backends)) {
                context.next();
            } else {
                handle(context);
            }
        });
    }

    void handle(RoutingContext context) {
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !allowed(origin)) {
            refuse(context, origin);
            return;
        }
        cors.handle(context);
    }

    boolean allowed(String origin) {
        return settings.anyOrigin() || settings.allowedOrigins().contains(origin);
    }

    private void refuse(RoutingContext context, String origin) {
        ApiFormat format = ApiFormat.ofPath(context.request().path());
        context.response().setStatusCode(403)
                .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN)
                .putHeader(HttpHeaders.CACHE_CONTROL, Caching.NO_STORE)
                .end(Buffer.buffer(responder.errorBody(format, 403, "Origin '" + ApiException.quoteSafe(origin)
                        + "' may not call this API from a browser (gateway.cors.allowed-origins)")));
    }
}

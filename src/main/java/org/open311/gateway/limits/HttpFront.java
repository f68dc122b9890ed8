package org.open311.gateway.limits;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.observe.HttpObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway's HTTP servers do with each request before any route sees it, and what they answer
 * where Vert.x would answer itself:
 * <ul>
 * <li>every answer carries {@code X-Content-Type-Options: nosniff} (no browser reads an answer as another type),
 * and with compression on {@code Vary: Accept-Encoding} (a cache keeps gzipped and plain answers apart);</li>
 * <li>until every route has started ({@link #ready()}), the API answers 503 with {@code Retry-After}: a route
 * not yet started would otherwise be the server's HTML 404, which clients take as final;</li>
 * <li>the router's own fallbacks (404, 405, a failure no handler caught, ...) answer in the error shape, never HTML;</li>
 * <li>a HEAD is answered as its GET without the body ({@link HeadRequests});</li>
 * <li>a request the server cannot read (an ambiguous length, {@link RequestFraming}; a broken request line;
 * headers too large) is answered in the error shape and its connection closed.</li>
 * </ul>
 * Installed by {@link ServerTuning} on each server the Vert.x instance creates; the start-up gate only on
 * the API's port (health and metrics answer while starting).
 */
public final class HttpFront {

    static final String NOSNIFF_HEADER = "X-Content-Type-Options";
    /** Seconds a client waits before asking again while the gateway starts (routes start within seconds). */
    static final String STARTING_RETRY_AFTER = "2";

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    private final ApiResponder responder;
    private final int apiPort;
    private volatile boolean ready;
    /** Whether the API's answers depend on Accept-Encoding (compression on): caches must keep them apart. */
    private volatile boolean compressed;

    public HttpFront(ApiResponder responder, int apiPort) {
        this.responder = responder;
        this.apiPort = apiPort;
    }

    /** Whether the request arrived as a HEAD: the routes and handlers behind the front see it as a GET. */
    public static boolean isHead(HttpServerRequest request) {
        return HeadRequests.isHead(request);
    }

    /** The API server compresses for clients that ask: every answer says it varies with Accept-Encoding. */
    public void compressed(boolean compressed) {
        this.compressed = compressed;
    }

    /** Every route has started: the API serves from now on. */
    public void ready() {
        ready = true;
    }

    /** The handler a server listening on {@code port} runs for each request, in front of its own. */
    Handler<HttpServerRequest> front(Handler<HttpServerRequest> handler, int port) {
        if (handler instanceof Router router) {
            answerRouterErrors(router);
            HeadRequests.install(router);
        }
        boolean gated = port == apiPort;
        return request -> {
            request.response().putHeader(NOSNIFF_HEADER, "nosniff");
            if (gated && compressed) {
                request.response().putHeader(HttpHeaders.VARY, "Accept-Encoding");
            }
            if (gated && !ready) {
                refuseWhileStarting(request);
                return;
            }
            handler.handle(HeadRequests.asRouted(request));
        };
    }

    private void refuseWhileStarting(HttpServerRequest request) {
        request.response().putHeader("Retry-After", STARTING_RETRY_AFTER);
        // a body, if any, is not read: the connection ends with the answer
        ErrorAnswer.write(responder, request, 503, "The service is starting. Please try again in a few seconds.",
                !request.isEnded() && HttpGuard.mayHaveBody(request));
    }

    /** Every error status the router itself may answer (no route, wrong method, an uncaught failure) in the error shape. */
    void answerRouterErrors(Router router) {
        for (int status = 400; status < 600; status++) {
            router.errorHandler(status, this::routerError);
        }
    }

    void routerError(RoutingContext context) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        int status = context.statusCode() >= 400 && context.statusCode() < 600 ? context.statusCode() : 500;
        if (status >= 500) {
            LOG.error("HTTP server failure on {} {}", context.request().method(),
                    HttpObserver.loggable(context.request().path()), context.failure());
        }
        ErrorAnswer.write(responder, context.request(), status, describe(status), false);
    }

    /** The server could not read the request (Vert.x's invalid-request handler): the connection is closed after the answer. */
    void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = 400;
        String description = "The request could not be read";
        if (cause instanceof RequestFraming.AmbiguousFraming framing) {
            description = "The request's length is ambiguous: " + framing.getMessage();
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            description = "The request line is too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            description = "The request headers are too large";
        }
        LOG.debug("Refused a request the server could not read: {}", description);
        request.response().putHeader(NOSNIFF_HEADER, "nosniff");
        ErrorAnswer.write(responder, request, status, description, true);
    }

    static String describe(int status) {
        return switch (status) {
            case 413 -> "The request body is too large";
            case 400 -> "The request could not be read";
            case 404 -> "No such endpoint";
            case 405 -> "Method not allowed";
            case 415 -> "Content-Type: send application/x-www-form-urlencoded or multipart/form-data";
            default -> status < 500 ? "The request was refused" : "The service failed to handle the request. Please try again later.";
        };
    }
}

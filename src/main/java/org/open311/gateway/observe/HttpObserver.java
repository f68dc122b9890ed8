package org.open311.gateway.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.open311.gateway.api.ApiError;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.view.ErrorList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;

/**
 * First handler of every request to the public API's HTTP server, before the body is read and before
 * Camel: gives the request its correlation id (and the answer its {@code X-Correlation-Id} header),
 * counts it for a graceful stop, and when the answer is complete, whoever wrote it (a route, the
 * body-size limit, a rate limit), records its metrics and writes the one access-log line.
 */
public final class HttpObserver implements Handler<RoutingContext> {

    /** The access log's logger: one line per request. */
    public static final String ACCESS_LOG = "org.open311.gateway.access";

    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOG);
    private static final int MAX_LOGGED_PATH = 200;

    private final GatewayMetrics metrics;
    private final GracefulShutdown shutdown;

    private volatile io.vertx.ext.web.Router router;

    public HttpObserver(GatewayMetrics metrics, GracefulShutdown shutdown) {
        this.metrics = metrics;
        this.shutdown = shutdown;
    }

    /** Goes in front of every route of the server's router (order below theirs). */
    void install(io.vertx.ext.web.Router router) {
        this.router = router;
        router.route().order(Integer.MIN_VALUE).handler(this);
    }

    @Override
    public void handle(RoutingContext context) {
        long started = System.nanoTime();
        String id = CorrelationId.accept(context.request().getHeader(CorrelationId.HEADER));
        // the routes read the id from the server's request: the sanitised one replaces the client's
        context.request().headers().set(CorrelationId.HEADER, id);
        context.addHeadersEndHandler(v -> {
            context.response().headers().set(CorrelationId.HEADER, id);
            if (shutdown.stopping()) {
                // a client on a kept-alive connection straight to this instance reconnects, through the balancer, elsewhere
                closeAfterAnswer(context);
            }
        });
        if (!shutdown.enter()) {
            context.addEndHandler(done -> record(context, id, started));
            refuseWhileStopping(context);
            return;
        }
        context.addEndHandler(done -> {
            shutdown.leave();
            record(context, id, started);
        });
        context.next();
    }

    private void record(RoutingContext context, String id, long started) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Route route = context.currentRoute();
        String endpoint = EndpointTemplate.of(route == null ? null : route.getPath());
        String routedMethod = EndpointTemplate.method(context.request().method().name());
        // a HEAD goes through the routes as a GET (HttpFront); the log and metrics name it as sent
        String method = org.open311.gateway.limits.HttpFront.isHead(context.request()) ? "HEAD" : routedMethod;
        String path = context.request().path();
        if (route != null && route.getPath() == null && path != null && router != null) {
            // answered by a handler in front of the routes (the server's limits): name the route it was for
            endpoint = EndpointTemplate.ofRequest(router.getRoutes(), routedMethod, path);
        }
        String format = EndpointTemplate.format(path);
        int status = context.response().getStatusCode();
        EndpointTemplate.Surface surface = EndpointTemplate.surface(path);
        if (surface == EndpointTemplate.Surface.PUBLIC) {
            metrics.httpRequest(endpoint, method, format, status, took);
        } else {
            metrics.internalHttpRequest(surface.name().toLowerCase(java.util.Locale.ROOT), endpoint, method, status, took);
        }
        MDC.put(CorrelationId.MDC_KEY, id);
        try {
            ACCESS.atInfo()
                    .addKeyValue("http_method", method)
                    .addKeyValue("endpoint", endpoint)
                    .addKeyValue("path", loggable(path))
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", took.toMillis())
                    .addKeyValue("format", format)
                    .addKeyValue("client", context.request().remoteAddress() == null ? "" : context.request().remoteAddress().hostAddress())
                    .log("{} {} {} {} ms", method, endpoint, status, took.toMillis());
        } finally {
            MDC.remove(CorrelationId.MDC_KEY);
        }
    }

    /** The path only (a query may carry an api_key or form data), cut short and without control characters. */
    public static String loggable(String path) {
        if (path == null) {
            return "";
        }
        int length = Math.min(path.length(), MAX_LOGGED_PATH);
        StringBuilder plain = new StringBuilder(length + 3);
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            plain.append(Character.isISOControl(c) ? '?' : c);
        }
        return path.length() > MAX_LOGGED_PATH ? plain.append("...").toString() : plain.toString();
    }

    /**
     * Says {@code Connection: close} and closes the connection once the answer is written: Vert.x only closes by
     * itself when the request asked for it, and a client that ignored the header would keep its connection here.
     */
    private static void closeAfterAnswer(RoutingContext context) {
        context.response().headers().set(HttpHeaders.CONNECTION, "close");
        if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            context.addBodyEndHandler(v -> context.request().connection().close());
        }
    }

    /** While stopping: a GeoReport error, and the connection closed, so the client retries elsewhere. */
    private static void refuseWhileStopping(RoutingContext context) {
        ApiFormat format = ApiFormat.ofPath(context.request().path());
        ErrorList errors = new ErrorList(List.of(new ApiError(503, "The service is restarting. Please try again shortly.")));
        try {
            byte[] body = format == ApiFormat.XML ? XmlMapper.builder().build().writeValueAsBytes(errors)
                    : JsonMapper.builder().build().writeValueAsBytes(errors.json());
            context.response().setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader("Retry-After", "5")
                    .end(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            context.response().setStatusCode(503).end();
        }
    }
}

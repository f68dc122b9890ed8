package org.open311.gateway.limits;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.open311.gateway.api.ApiResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits the HTTP server applies before Camel sees a request, answered in GeoReport v2's error shape
 * (the server's own answers are plain text): a body over its endpoint's limit ({@link BodyLimits}) is 413
 * before it is read (declared: at once; streamed: as it passes the limit, and where the endpoint's limit is
 * below the server's the connection is closed then too), a body that has not fully arrived in time is 408
 * and its connection closed (a trickling or stalled client cannot hold a connection forever; Camel 4.18's
 * server has no idle timeout setting), a path or query that is not valid UTF-8 percent-encoding is 400,
 * and any failure the server itself reports (a broken upload) gets an error body too.
 */
public final class HttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    /** Before every route of the server (Vert.x sorts by order; Camel's routes have non-negative ones). */
    static final int ORDER = -1_000;
    /**
     * Where a body under a limit below the server's is read: after FormFraming (-900), which must see a
     * multipart framing before any decoder does, and before the catalogue's fast path (-500) and the routes.
     */
    static final int SMALL_BODY_ORDER = -800;
    /** The limit of a request whose body is read here, below the server's. */
    private static final String SMALL_BODY_LIMIT = "open311.smallBodyLimit";

    private final ApiResponder responder;
    private final BodyLimits limits;
    private final Duration bodyTimeout;
    /** One body reader per limit below the server's (a few distinct values). */
    private final Map<Long, BodyHandler> smallBodyReaders = new ConcurrentHashMap<>();

    public HttpGuard(ApiResponder responder, BodyLimits limits, Duration bodyTimeout) {
        this.responder = responder;
        this.limits = limits;
        this.bodyTimeout = bodyTimeout;
    }

    /** Puts the guard in front of every route of the API server's router. */
    public void install(Router router) {
        router.route().order(ORDER).handler(this::guard).failureHandler(this::failure);
        router.route().order(SMALL_BODY_ORDER).handler(this::readSmallBody);
    }

    void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        long limit = limits.of(request.method(), context.normalizedPath(), request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (declaredLength(request) > limit) {
            answer(context, 413, "The request body is larger than " + limit + " bytes", true);
            return;
        }
        if (!isValidUtf8(request.path()) || !isValidUtf8(request.query())) {
            answer(context, 400, "The path or query is not valid UTF-8 percent-encoding", false);
            return;
        }
        if (!request.isEnded() && mayHaveBody(request)) {
            long timer = context.vertx().setTimer(bodyTimeout.toMillis(), id -> bodyTimedOut(context));
            // answered before the body ended (e.g. 413 while streaming): the timer still ends the connection
            context.addEndHandler(done -> {
                if (request.isEnded() || context.response().closed()) {
                    context.vertx().cancelTimer(timer);
                }
            });
            if (limit < limits.serverBytes()) {
                context.put(SMALL_BODY_LIMIT, limit);
            }
        }
        context.next();
    }

    /** Reads a body under its endpoint's limit: the route's own body handler (the server's limit) then finds it read. */
    void readSmallBody(RoutingContext context) {
        Long limit = context.get(SMALL_BODY_LIMIT);
        if (limit == null) {
            context.next();
            return;
        }
        smallBodyReaders.computeIfAbsent(limit, bytes -> BodyHandler.create(false).setBodyLimit(bytes)).handle(context);
    }

    /** The body is still arriving: 408 if nothing was answered yet; either way the connection is closed. */
    private void bodyTimedOut(RoutingContext context) {
        if (context.request().isEnded() || context.response().closed()) {
            return;
        }
        if (context.response().ended()) {
            ErrorAnswer.cutOff(context.request());
        } else {
            answer(context, 408, "The request body did not arrive within " + bodyTimeout.toSeconds() + " seconds", true);
        }
    }

    /**
     * Failures of the server or its body handler (413 while streaming, a form it cannot read, a broken upload): an
     * error body, no internals. A body still arriving under a small limit is cut off with the answer; under the
     * server's limit (a resident's photos, which an honest app may send too large) the connection stays until the
     * body timeout, so a client still sending is not reset before it could read the answer.
     */
    void failure(RoutingContext context) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        int status = context.statusCode() >= 400 && context.statusCode() < 600 ? context.statusCode() : 500;
        if (status >= 500) {
            LOG.warn("HTTP server failure on {} {}: {}", context.request().method(), context.request().path(),
                    context.failure() == null ? status : context.failure().getClass().getSimpleName());
        }
        boolean cutOff = context.get(SMALL_BODY_LIMIT) != null && !context.request().isEnded();
        answer(context, status, HttpFront.describe(status), cutOff);
    }

    private void answer(RoutingContext context, int status, String description, boolean close) {
        ErrorAnswer.write(responder, context.request(), status, description, close);
    }

    /**
     * Whether a body may still arrive. A GET has none, but the server only marks its request ended once a
     * route reads it: a handler that answers without reading (the catalogue's fast path) left a timer
     * holding each request for the whole body timeout (at 10,000 requests/s, 300,000 requests kept: full GCs).
     */
    static boolean mayHaveBody(HttpServerRequest request) {
        return mayHaveBody(request.version(), request.method(), declaredLength(request), request.getHeader("Transfer-Encoding"));
    }

    static boolean mayHaveBody(HttpVersion version, HttpMethod method, long declaredLength, String transferEncoding) {
        if (declaredLength >= 0) {
            return declaredLength > 0;
        }
        if (version == HttpVersion.HTTP_2) {
            // no Content-Length needed on HTTP/2: a method that carries a body may send one
            return method != HttpMethod.GET && method != HttpMethod.HEAD;
        }
        return transferEncoding != null && !transferEncoding.isBlank();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isPlainAscii(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Whether a raw path or query is well-formed percent-encoding of valid UTF-8 (null and empty are). */
    static boolean isValidUtf8(String raw) {
        if (raw == null || raw.isEmpty() || isPlainAscii(raw)) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return false;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c <= 0xFF) {
                // the server reads the request line as ISO-8859-1: each char is one byte as sent
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

package org.open311.gateway.limits;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Limits the HTTP server applies before Camel sees a request, answered in GeoReport v2's error shape
 * (the server's own answers are plain text): a declared body over the size limit is 413 at once, a
 * body that has not fully arrived in time is 408 and its connection closed (a trickling or stalled
 * client cannot hold a connection forever; Camel 4.18's server has no idle timeout setting), a path
 * or query that is not valid UTF-8 percent-encoding is 400, and any failure the server itself
 * reports (a body over the limit while streaming, a broken upload) gets an error body too.
 */
public final class HttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    /** Before every route of the server (Vert.x sorts by order; Camel's routes have non-negative ones). */
    static final int ORDER = -1_000;

    private final ApiResponder responder;
    private final long maxBodyBytes;
    private final Duration bodyTimeout;

    public HttpGuard(ApiResponder responder, long maxBodyBytes, Duration bodyTimeout) {
        this.responder = responder;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
    }

    /** Puts the guard in front of every route of the API server's router. */
    public void install(Router router) {
        router.route().order(ORDER).handler(this::guard).failureHandler(this::failure);
    }

    void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (declaredLength(request) > maxBodyBytes) {
            answer(context, 413, "The request body is larger than " + maxBodyBytes + " bytes", true);
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
        }
        context.next();
    }

    /** The body is still arriving: 408 if nothing was answered yet; either way the connection is closed. */
    private void bodyTimedOut(RoutingContext context) {
        if (context.request().isEnded() || context.response().closed()) {
            return;
        }
        if (context.response().ended()) {
            cutOff(context);
        } else {
            answer(context, 408, "The request body did not arrive within " + bodyTimeout.toSeconds() + " seconds", true);
        }
    }

    /** Failures of the server or its body handler (413 while streaming, a broken upload): an error body, no internals. */
    void failure(RoutingContext context) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        int status = context.statusCode() >= 400 && context.statusCode() < 600 ? context.statusCode() : 500;
        if (status >= 500) {
            LOG.warn("HTTP server failure on {} {}: {}", context.request().method(), context.request().path(),
                    context.failure() == null ? status : context.failure().getClass().getSimpleName());
        }
        // no close here: a client still sending would miss the answer; the body timeout ends the connection
        answer(context, status, describe(status), false);
    }

    private static String describe(int status) {
        return switch (status) {
            case 413 -> "The request body is too large";
            case 400 -> "The request could not be read";
            case 404 -> "No such endpoint";
            case 405 -> "Method not allowed";
            case 415 -> "Content-Type: send application/x-www-form-urlencoded or multipart/form-data";
            default -> status < 500 ? "The request was refused" : "The service failed to handle the request. Please try again later.";
        };
    }

    private void answer(RoutingContext context, int status, String description, boolean close) {
        HttpServerResponse response = context.response();
        ApiFormat format = ApiFormat.ofPath(context.request().path());
        response.setStatusCode(status).putHeader("Content-Type", format.contentType());
        boolean http2 = context.request().version() == HttpVersion.HTTP_2;
        if (close && !http2) {
            // the rest of the body is not worth reading: end the connection with the answer
            response.putHeader("Connection", "close");
        }
        response.end(io.vertx.core.buffer.Buffer.buffer(responder.errorBody(format, status, description)))
                .onComplete(done -> {
                    if (close) {
                        cutOff(context);
                    }
                });
    }

    /**
     * Stops a client still sending: HTTP/1.x closes the connection; HTTP/2 resets only this stream
     * (NO_ERROR after the complete answer, as RFC 9113 8.1 allows), since the connection carries other requests.
     */
    private static void cutOff(RoutingContext context) {
        if (context.request().version() == HttpVersion.HTTP_2) {
            if (!context.request().isEnded()) {
                context.response().reset(0);
            }
        } else {
            context.request().connection().close();
        }
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

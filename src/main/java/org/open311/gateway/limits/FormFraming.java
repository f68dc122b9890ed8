package org.open311.gateway.limits;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the framing a multipart/form-data body declares before the HTTP server's form decoder (Netty's)
 * reads it. Given an empty or lone-quote boundary the decoder throws StringIndexOutOfBoundsException, given
 * an unknown charset UnsupportedCharsetException, and the request ended as a 500; without a boundary, or
 * with the boundary after a third parameter, it read the parts as an urlencoded form (garbage fields). Such
 * a request is answered 400 in the error shape; a valid one goes on with its Content-Type rewritten in the
 * one form the decoder reads reliably ({@code multipart/form-data; boundary="…"[; charset=…]}, media type
 * and parameter names are case-insensitive, other parameters dropped).
 */
public final class FormFraming {

    private static final Logger LOG = LoggerFactory.getLogger(FormFraming.class);
    /** After HttpGuard (-1000), before the catalogue's fast path (-500) and Camel's routes and their body handler. */
    static final int ORDER = -900;
    private static final String MULTIPART = "multipart/form-data";
    /** RFC 2046 5.1.1: 1 to 70 of these characters, the last not a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,\\-./:=? ]{0,69}[0-9A-Za-z'()+_,\\-./:=?]");
    private static final String DECODER_PACKAGE = "io.netty.handler.codec.http.multipart.";

    private final ApiResponder responder;

    public FormFraming(ApiResponder responder) {
        this.responder = responder;
    }

    /** In front of every route of the API server's router. */
    public void install(Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        Framing framing;
        try {
            framing = framing(contentType).orElse(null);
        } catch (IllegalArgumentException e) {
            ApiFormat format = ApiFormat.ofPath(context.request().path());
            context.response().setStatusCode(400).putHeader("Content-Type", format.contentType())
                    .end(Buffer.buffer(responder.errorBody(format, 400, "Content-Type: " + e.getMessage())));
            return;
        }
        if (framing != null) {
            context.request().headers().set("Content-Type", framing.contentType());
        }
        context.next();
    }

    /** A multipart body's framing: its boundary and the charset of its fields, if given. */
    record Framing(String boundary, String charset) {
        String contentType() {
            return MULTIPART + "; boundary=\"" + boundary + "\"" + (charset == null ? "" : "; charset=" + charset);
        }
    }

    /**
     * The framing of a multipart/form-data Content-Type (empty for any other type: it has none).
     *
     * @throws IllegalArgumentException saying what is wrong, for the client
     */
    static Optional<Framing> framing(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase(MULTIPART)) {
            return Optional.empty();
        }
        String boundary = null;
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            String name = (equals < 0 ? parts[i] : parts[i].substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : unquote(parts[i].substring(equals + 1).trim());
            if (name.equals("boundary")) {
                if (boundary != null) {
                    throw new IllegalArgumentException("multipart/form-data has more than one boundary");
                }
                boundary = value;
            } else if (name.equals("charset")) {
                charset = value;
            }
        }
        if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
            throw new IllegalArgumentException("multipart/form-data needs a boundary of 1 to 70 letters, digits"
                    + " or '()+_,-./:=? (RFC 2046)");
        }
        if (charset != null && !isSupported(charset)) {
            throw new IllegalArgumentException("unknown charset; send UTF-8");
        }
        return Optional.of(new Framing(boundary, charset));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static boolean isSupported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /**
     * Vert.x reports an exception its request handling did not expect (the form decoder's, inside a body:
     * e.g. ArrayIndexOutOfBoundsException on a nested multipart/mixed part without a boundary) at ERROR with
     * a stack trace, and the request goes on with the fields read so far. The decoder's are the client's
     * malformed input: one WARN line; anything else keeps its ERROR and stack trace.
     */
    public static Handler<Throwable> unhandledExceptions() {
        return failure -> {
            if (fromFormDecoder(failure)) {
                LOG.warn("A form body the HTTP server could not decode: {}", failure.getClass().getSimpleName());
            } else {
                LOG.error("Unhandled exception in the HTTP server", failure);
            }
        };
    }

    /** Thrown in Netty's code (below any JDK frames), with the form decoder on the stack. */
    static boolean fromFormDecoder(Throwable failure) {
        List<StackTraceElement> frames = List.of(failure.getStackTrace());
        boolean thrownInNetty = frames.stream().map(StackTraceElement::getClassName)
                .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk."))
                .findFirst().map(name -> name.startsWith("io.netty.")).orElse(false);
        return thrownInNetty && frames.stream().anyMatch(frame -> frame.getClassName().startsWith(DECODER_PACKAGE));
    }
}

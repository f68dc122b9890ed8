package org.open311.gateway.limits;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses HTTP/1.x requests whose body length is ambiguous (RFC 9112 6.1 and 6.3), the shapes used to
 * smuggle a second request inside a first one's body. Netty, under Vert.x, already refuses duplicate or
 * differing {@code Content-Length}s and invalid values, but it serves a request with both
 * {@code Content-Length} and {@code Transfer-Encoding: chunked} as chunked (after dropping the length),
 * and reads a {@code Transfer-Encoding} without a final {@code chunked} as no body at all, so the body
 * became the next request. Here such a request is invalid while its headers are decoded: the decoder
 * discards everything after it on the connection, Vert.x hands it to the server's invalid-request
 * handler (a 400 in the error shape, {@link HttpFront}) and closes the connection.
 * <p>
 * Vert.x has no option for this: each HTTP/1.x connection's decoder is replaced by this subclass when the
 * connection is set up, before it reads a byte. That needs the server's HTTP/1.x pipeline to be set up
 * with the connection, i.e. no cleartext HTTP/2 (h2c), which {@link ServerTuning} turns off.
 */
public final class RequestFraming {

    /** Vert.x's name of the HTTP/1.x request decoder in a connection's pipeline. */
    static final String DECODER = "httpDecoder";

    private RequestFraming() {
    }

    /** Why a request's framing is refused, as told to the client. */
    public static final class AmbiguousFraming extends IllegalArgumentException {
        AmbiguousFraming(String description) {
            super(description);
        }
    }

    /** What is wrong with a request's framing headers, if anything. */
    static Optional<String> problem(HttpVersion version, HttpHeaders headers) {
        List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (transferEncodings.isEmpty()) {
            return Optional.empty();
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return Optional.of("Send either Content-Length or Transfer-Encoding, not both");
        }
        if (version.minorVersion() == 0 && version.majorVersion() == 1) {
            return Optional.of("Transfer-Encoding is not part of HTTP/1.0: send Content-Length");
        }
        if (transferEncodings.size() != 1 || !"chunked".equals(transferEncodings.get(0).trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("Transfer-Encoding: only chunked is accepted");
        }
        return Optional.empty();
    }

    /** Gives a new HTTP/1.x connection the strict decoder (HTTP/2 connections have none to replace). */
    static void install(HttpConnection connection, HttpServerOptions options) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
        if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder decoder && !(decoder instanceof StrictDecoder)) {
            pipeline.replace(DECODER, DECODER, new StrictDecoder(options));
        }
    }

    /** Vert.x's decoder, checking each request's framing once its headers are read. */
    static final class StrictDecoder extends VertxHttpRequestDecoder {

        StrictDecoder(HttpServerOptions options) {
            super(options);
        }

        /**
         * Netty calls this for every message once its headers are read, before it decides how to read the
         * body; an exception here makes the message invalid and the rest of the connection's input discarded.
         */
        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            Optional<String> problem = problem(message.protocolVersion(), message.headers());
            if (problem.isPresent()) {
                throw new AmbiguousFraming(problem.get());
            }
            return super.isContentAlwaysEmpty(message);
        }
    }
}

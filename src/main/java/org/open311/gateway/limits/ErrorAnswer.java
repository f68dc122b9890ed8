package org.open311.gateway.limits;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;

/**
 * An error in GeoReport v2's shape written straight to the HTTP server's response, for the answers given
 * in front of Camel (the server's limits, the start-up gate, requests the server could not read): JSON,
 * or XML if the path ends in .xml.
 */
final class ErrorAnswer {

    private ErrorAnswer() {
    }

    /**
     * Writes the error; with {@code close} the client is stopped once it is out: HTTP/1.x closes the
     * connection (announced by {@code Connection: close}), HTTP/2 resets only this stream.
     */
    static Future<Void> write(ApiResponder responder, HttpServerRequest request, int status, String description, boolean close) {
        HttpServerResponse response = request.response();
        ApiFormat format = formatOf(request);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (close && !http2) {
            // the rest of the body is not worth reading: end the connection with the answer
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        Future<Void> written = response.end(Buffer.buffer(responder.errorBody(format, status, description)));
        if (close) {
            written.onComplete(done -> cutOff(request));
        }
        return written;
    }

    /**
     * Stops a client still sending: HTTP/1.x closes the connection; HTTP/2 resets only this stream
     * (NO_ERROR after the complete answer, as RFC 9113 8.1 allows), since the connection carries other requests.
     */
    static void cutOff(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            if (!request.isEnded()) {
                request.response().reset(0);
            }
        } else {
            request.connection().close();
        }
    }

    /** The format the path asks for; a request the server could not parse may have no usable path. */
    private static ApiFormat formatOf(HttpServerRequest request) {
        try {
            return ApiFormat.ofPath(request.path());
        } catch (RuntimeException e) {
            return ApiFormat.JSON;
        }
    }
}

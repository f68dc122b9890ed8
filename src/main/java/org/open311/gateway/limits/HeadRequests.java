package org.open311.gateway.limits;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.http.impl.HttpServerRequestWrapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * HEAD answers every GET path with the GET's status and headers and no body (RFC 9110 §9.3.2). The request
 * goes on as a GET, so every route, the catalogue's fast path and every limit treat it as one; the server
 * itself leaves the body out (it knows the request was a HEAD) and this puts back the Content-Length the GET
 * would have had, which the server does not set for HEAD.
 */
final class HeadRequests {

    /**
     * Marks a HEAD for the handlers behind the router, which see GET (the access log names it HEAD). Set only
     * here: a client's own header of this name is removed first.
     */
    static final String MARKER = "X-Open311-Head-Request";
    /** First after the observer (Integer.MIN_VALUE), before anything answers. */
    static final int ORDER = Integer.MIN_VALUE + 1;

    private HeadRequests() {
    }

    /** The request as the router sees it: a HEAD as a GET, anything else as it is. */
    static HttpServerRequest asRouted(HttpServerRequest request) {
        request.headers().remove(MARKER);
        if (request.method() != HttpMethod.HEAD || !(request instanceof HttpServerRequestInternal internal)) {
            return request;
        }
        request.headers().set(MARKER, "1");
        return new HttpServerRequestWrapper(internal) {
            @Override
            public HttpMethod method() {
                return HttpMethod.GET;
            }
        };
    }

    /** Whether the request arrived as a HEAD (see {@link #MARKER}). */
    static boolean isHead(HttpServerRequest request) {
        return request.headers().contains(MARKER);
    }

    /** On the router: a HEAD's answer gets the Content-Length of the body it leaves out. */
    static void install(Router router) {
        router.route().order(ORDER).handler(HeadRequests::contentLength);
    }

    private static void contentLength(RoutingContext context) {
        if (isHead(context.request())) {
            HttpServerResponse response = context.response();
            context.addHeadersEndHandler(done -> {
                if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && !response.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                        && response.getStatusCode() != 304 && response.getStatusCode() != 204) {
                    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(response.bytesWritten()));
                }
            });
        }
        context.next();
    }
}

package org.open311.gateway.limits;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server setup Camel 4.18 does not expose. Its embedded server takes the Vert.x instance it
 * finds in the registry but builds default {@link HttpServerOptions} itself and sets only the router as
 * the request handler. The Vert.x bound here is the real one, except that each HTTP server it creates gets:
 * <ul>
 * <li>an idle timeout (else a client may hold a connection forever, e.g. by stalling in its headers);</li>
 * <li>a larger form-field limit (the default 8 KB refused a valid 5,000-character Finnish description, percent-encoded)
 * and a larger request line ({@link #MAX_REQUEST_LINE_BYTES});</li>
 * <li>gzip or deflate for a client that asks (Accept-Encoding) at gateway.http.compression-level: a page of
 * 1,000 requests is 158 KB as JSON, 15 KB gzipped;</li>
 * <li>no cleartext HTTP/2 (h2c): an upgrade a proxy passes on is itself a way to smuggle requests past it,
 * proxies speak HTTP/1.1 to their upstreams, and without it each connection's decoder can be made strict
 * before it reads a byte ({@link RequestFraming}); HTTP/2 over TLS is unaffected;</li>
 * <li>{@link HttpFront} in front of its router, and answering what the server cannot read.</li>
 * </ul>
 */
public final class ServerTuning {

    /**
     * Request line limit (Vert.x's default is 4 KB): room for any query the API validates itself (a
     * 2,000-character value of any script, percent-encoded, in several parameters), so that such a query
     * gets the API's 400 naming the parameter, not the server's 414. Over it, the server answers 414 in
     * the error shape (JSON: the path is not known).
     */
    static final int MAX_REQUEST_LINE_BYTES = 64 * 1024;

    private ServerTuning() {
    }

    public static Vertx vertx(Vertx real, int idleTimeoutSeconds, int maxFormFieldBytes, int compressionLevel, HttpFront front) {
        return (Vertx) Proxy.newProxyInstance(ServerTuning.class.getClassLoader(), new Class<?>[]{VertxInternal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                            && args[0] instanceof HttpServerOptions options) {
                        return server(real, tuned(options, idleTimeoutSeconds, maxFormFieldBytes, compressionLevel), front);
                    }
                    return invoke(method, real, args);
                });
    }

    static HttpServerOptions tuned(HttpServerOptions options, int idleTimeoutSeconds, int maxFormFieldBytes, int compressionLevel) {
        HttpServerOptions tuned = new HttpServerOptions(options);
        if (compressionLevel > 0) {
            tuned.setCompressionSupported(true).setCompressionLevel(compressionLevel);
        }
        return tuned
                .setIdleTimeout(idleTimeoutSeconds)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxFormAttributeSize(maxFormFieldBytes)
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                .setHttp2ClearTextEnabled(false);
    }

    /** A server whose request handler goes behind {@link HttpFront}, chosen when it listens (the port tells which server it is). */
    static HttpServer server(Vertx vertx, HttpServerOptions options, HttpFront front) {
        HttpServer real = vertx.createHttpServer(options);
        real.connectionHandler(connection -> RequestFraming.install(connection, options));
        real.invalidRequestHandler(front::invalidRequest);
        return (HttpServer) Proxy.newProxyInstance(ServerTuning.class.getClassLoader(), new Class<?>[]{HttpServer.class},
                new FrontedServer(real, options, front));
    }

    /** The Vert.x server behind one {@link #server} made (whose bind state only the real one knows); any other as it is. */
    public static HttpServer unwrap(HttpServer server) {
        if (server != null && Proxy.isProxyClass(server.getClass())
                && Proxy.getInvocationHandler(server) instanceof FrontedServer fronted) {
            return fronted.real;
        }
        return server;
    }

    private static final class FrontedServer implements InvocationHandler {
        private final HttpServer real;
        private final HttpServerOptions options;
        private final HttpFront front;
        private Handler<HttpServerRequest> handler;

        FrontedServer(HttpServer real, HttpServerOptions options, HttpFront front) {
            this.real = real;
            this.options = options;
            this.front = front;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                handler = (Handler<HttpServerRequest>) args[0];
                return proxy;
            }
            if (method.getName().equals("listen") && handler != null) {
                real.requestHandler(front.front(handler, port(args)));
            }
            Object result = ServerTuning.invoke(method, real, args);
            return result == real ? proxy : result;
        }

        /** The port of a listen call: given as a number or an address, else the options'. */
        private int port(Object[] args) {
            if (args != null && args.length > 0) {
                if (args[0] instanceof Integer port) {
                    return port;
                }
                if (args[0] instanceof SocketAddress address) {
                    return address.port();
                }
            }
            return options.getPort();
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

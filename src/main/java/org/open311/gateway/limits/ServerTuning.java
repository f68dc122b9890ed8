package org.open311.gateway.limits;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server options Camel 4.18 does not expose. Its embedded server takes the Vert.x instance it
 * finds in the registry but builds default {@link HttpServerOptions} itself: no idle timeout (a client
 * may hold a connection forever, e.g. by stalling in its headers) and 8 KB per form field (a valid
 * 5,000-character description in Finnish, percent-encoded, is larger). The Vert.x bound here is the
 * real one, except that the HTTP servers it creates get these two options.
 */
public final class ServerTuning {

    private ServerTuning() {
    }

    public static Vertx vertx(Vertx real, int idleTimeoutSeconds, int maxFormFieldBytes) {
        return (Vertx) Proxy.newProxyInstance(ServerTuning.class.getClassLoader(), new Class<?>[]{VertxInternal.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                            && args[0] instanceof HttpServerOptions options) {
                        return real.createHttpServer(tuned(options, idleTimeoutSeconds, maxFormFieldBytes));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static HttpServerOptions tuned(HttpServerOptions options, int idleTimeoutSeconds, int maxFormFieldBytes) {
        return new HttpServerOptions(options)
                .setIdleTimeout(idleTimeoutSeconds)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxFormAttributeSize(maxFormFieldBytes);
    }
}

package org.open311.gateway.limits;

import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address a request came from, for limits per client. The socket's peer by default; behind the
 * city's own proxies (listed in configuration) the right-most X-Forwarded-For entry that is not one
 * of them, since everything left of it was written by the client and can be forged.
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(String trustedProxies) {
        this.trustedProxies = trustedProxies == null ? Set.of() : Arrays.stream(trustedProxies.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The address of the client of an exchange the API's HTTP server received; "unknown" for any other. */
    public String of(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http && http.getRequest() != null) {
            return of(http.getRequest());
        }
        return "unknown";
    }

    public String of(HttpServerRequest request) {
        var peer = request.remoteAddress();
        return of(peer == null ? null : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    public String of(String peer, String forwardedFor) {
        if (peer == null || !trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer == null ? "unknown" : peer;
        }
        List<String> hops = Arrays.stream(forwardedFor.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trustedProxies.contains(hops.get(i))) {
                return hops.get(i);
            }
        }
        return peer;
    }
}

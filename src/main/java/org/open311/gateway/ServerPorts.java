package org.open311.gateway;

import org.open311.gateway.limits.ServerTuning;
import org.apache.camel.CamelContext;
import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The API and management servers really listen once the context has started them. Camel 4.18 only logs
 * a failed bind (a port in use, an address not on this host) and carries on, so a gateway without its
 * API answered "UP" on its management port; here a server that does not listen stops the start,
 * naming the port and the setting.
 */
final class ServerPorts {

    private ServerPorts() {
    }

    /** Throws a {@link SettingException} naming every server that does not listen. */
    static void requireListening(CamelContext context) {
        var properties = context.getPropertiesComponent();
        List<String> failures = new ArrayList<>();
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (listening(server)) {
                continue;
            }
            int port = server.getConfigurationPort();
            boolean management = String.valueOf(port).equals(properties.resolveProperty("camel.management.port").orElse("").trim())
                    && !String.valueOf(port).equals(properties.resolveProperty("camel.server.port").orElse("").trim());
            String portSetting = management ? "gateway.management-port" : "gateway.port";
            String hostSetting = management ? "gateway.management-bind-address" : "gateway.bind-address";
            failures.add((management ? "Management server" : "API server") + " failed to start: port " + port
                    + " on " + server.getHost() + " " + whyNotBindable(server.getHost(), port) + " (set " + portSetting
                    + ", environment variable " + SettingException.environmentVariable(portSetting) + ", or "
                    + hostSetting + ", " + SettingException.environmentVariable(hostSetting) + ")");
        }
        if (!failures.isEmpty()) {
            throw new SettingException(String.join("; ", failures));
        }
    }

    /**
     * Whether the server's socket is bound. Its port says nothing: Vert.x sets the configured port before
     * the bind, and keeps it after a failed one; its server base class knows (behind the front that
     * {@link ServerTuning} puts on every server).
     */
    private static boolean listening(VertxPlatformHttpServer server) {
        return !(ServerTuning.unwrap(server.getServer()) instanceof TCPServerBase base) || base.isListening();
    }

    /** Vert.x does not hand its bind failure on: binding once more tells why (in use, no such address, …). */
    static String whyNotBindable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
            return "could not be bound";
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return reason.toLowerCase(java.util.Locale.ROOT).contains("already in use") ? "was already in use" : "could not be bound: " + reason;
        }
    }
}

package org.open311.gateway.reliability;

import org.apache.camel.test.AvailablePortFinder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay a test can cut and restore, or freeze and thaw, standing for the network between
 * the gateway and its database: cutting closes every open connection and refuses new ones, as a database
 * host that went away would; restoring listens again on the same port. Freezing keeps every connection
 * open (and accepts new ones) but relays no byte, as a network partition does: neither side hears
 * anything, nothing is closed; thawing delivers what was held back, as TCP retransmits after a partition
 * heals. (Toxiproxy does this too but needs a container.)
 */
final class TcpProxy implements AutoCloseable {

    private final int port;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "tcp-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private final Object thawed = new Object();
    private boolean frozen;

    private TcpProxy(int port, InetSocketAddress target) {
        this.port = port;
        this.target = target;
    }

    static TcpProxy start(int port, String targetHost, int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(port, new InetSocketAddress(targetHost, targetPort));
        proxy.restore();
        return proxy;
    }

    /** A relay on a free port in front of the PostgreSQL server of a fresh test store's settings. */
    static TcpProxy inFrontOf(Properties store) throws IOException {
        URI postgres = postgres(store);
        return start(AvailablePortFinder.getNextAvailable(), postgres.getHost(), postgres.getPort());
    }

    /** The store's settings as a gateway takes them, its JDBC URL leading through this relay. */
    Map<String, String> storeSettings(Properties store) {
        Map<String, String> settings = new HashMap<>();
        store.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        settings.put("gateway.db.url", "jdbc:postgresql://127.0.0.1:" + port + postgres(store).getPath());
        return settings;
    }

    private static URI postgres(Properties store) {
        return URI.create(store.getProperty("gateway.db.url").substring("jdbc:".length()));
    }

    int port() {
        return port;
    }

    /** Listens again; connections made from now on reach the target. */
    synchronized void restore() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        listener = socket;
        threads.execute(() -> accept(socket));
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    synchronized void cut() throws IOException {
        listener.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Stops relaying: connections stay open, bytes are held back (new connections too) until {@link #thaw()}. */
    void freeze() {
        synchronized (thawed) {
            frozen = true;
        }
    }

    /** Relays again, starting with the bytes held back. */
    void thaw() {
        synchronized (thawed) {
            frozen = false;
            thawed.notifyAll();
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (thawed) {
            while (frozen) {
                thawed.wait();
            }
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by cut()
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                threads.execute(() -> pipe(client, server));
                threads.execute(() -> pipe(server, client));
            } catch (IOException e) {
                closeQuietly(client); // the target refused: so does the relay
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                awaitThaw();
                out.write(buffer, 0, read);
                out.flush();
            }
            awaitThaw(); // a side closing is news that crosses the network only when bytes do
        } catch (IOException e) {
            // one side went away: close both below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the relay is closing
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        threads.shutdownNow();
    }
}

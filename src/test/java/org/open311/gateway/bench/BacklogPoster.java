package org.open311.gateway.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeds the forwarding benchmark's backlog: posts COUNT service requests through the public API (so each
 * is stored with its outbox task exactly as intake does) while the gateway's forwarding is paused.
 * Usage: {@code BacklogPoster <requests.json URL> <count> <api key> <service code>}; prints how many
 * were accepted and exits 1 if any post was refused.
 */
public final class BacklogPoster {

    private static final int CLIENTS = 8;

    private BacklogPoster() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        String form = "api_key=" + encode(args[2]) + "&service_code=" + encode(args[3])
                + "&lat=60.1699&long=24.9384&description=" + encode("Roska-astiat ovat täynnä (forwarding benchmark)");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            clients.execute(() -> {
                while (next.getAndIncrement() < count) {
                    (post(client, url, form) ? accepted : refused).incrementAndGet();
                }
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(1, TimeUnit.HOURS)) {
            throw new IllegalStateException("posting the backlog took over an hour");
        }
        System.out.println(accepted.get() + " accepted, " + refused.get() + " refused");
        System.exit(refused.get() == 0 ? 0 : 1);
    }

    private static boolean post(HttpClient client, URI url, String form) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            System.err.println("refused: " + response.statusCode() + " " + response.body());
        } catch (Exception e) {
            System.err.println("failed: " + e);
        }
        return false;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package org.open311.gateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's ceiling: the gateway's own HTTP stack (Vert.x and Vert.x Web, the versions Camel
 * brings) answering the gateway's own recorded answers with no gateway logic. Each line of the
 * manifest is {@code METHOD TAB URI TAB CONTENT-TYPE TAB BODY-FILE}; a URI ending in {@code *} matches
 * by prefix (e.g. every request id).
 * <p>{@code java -cp target/open311-gateway.jar org.open311.gateway.bench.BaselineServer PORT MANIFEST}
 */
public final class BaselineServer {

    private record Answer(String method, String uri, boolean prefix, String contentType, Buffer body) {
        boolean matches(String method, String uri) {
            return this.method.equals(method) && (prefix ? uri.startsWith(this.uri) : uri.equals(this.uri));
        }
    }

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<Answer> answers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.split("\t");
            if (f.length == 4) {
                boolean prefix = f[1].endsWith("*");
                answers.add(new Answer(f[0], prefix ? f[1].substring(0, f[1].length() - 1) : f[1], prefix, f[2],
                        Buffer.buffer(Files.readAllBytes(Path.of(f[3])))));
            }
        }
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(context -> {
            String method = context.request().method().name();
            String uri = context.request().uri();
            Answer answer = answers.stream().filter(a -> a.matches(method, uri)).findFirst().orElse(null);
            if (answer == null) {
                context.response().setStatusCode(404).end();
                return;
            }
            // read the whole body first, as the gateway does with a form or an upload
            context.request().body().onComplete(ignored -> context.response()
                    .putHeader("Content-Type", answer.contentType()).end(answer.body()));
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.out.println("Baseline listening on " + server.actualPort() + " with " + answers.size() + " answers");
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
    }
}

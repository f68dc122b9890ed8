package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Aspa, the public-works system, as docs/backends/aspa.md describes it, with the operator endpoints
 * that let tests play the crews and break Aspa. Runs in its own CamelContext on its own port; state is
 * in memory. The Java methods do what the operator endpoints do; they throw
 * {@link java.util.NoSuchElementException} for an unknown work order and
 * {@link IllegalArgumentException} for invalid input.
 */
public final class AspaSimulator implements AutoCloseable {

    public static final String BASE_PATH = "/aspa/api/v1";

    private final AspaWorkOrders workOrders;
    private final Faults faults;
    private final SimulatorServer server;
    /** reference -> the X-Correlation-Id of the last PUT for it, as a real back end would log it */
    private final java.util.Map<String, String> correlationIds;

    private AspaSimulator(AspaWorkOrders workOrders, Faults faults, SimulatorServer server,
            java.util.Map<String, String> correlationIds) {
        this.correlationIds = correlationIds;
        this.workOrders = workOrders;
        this.faults = faults;
        this.server = server;
    }

    /** Starts the simulator on {@code port}, accepting {@code X-Api-Key: <apiKey>}, its work orders in memory only. */
    public static AspaSimulator start(int port, String apiKey) throws Exception {
        return start(port, apiKey, null);
    }

    /** As {@link #start(int, String)}, keeping its work orders in {@code stateDir}/aspa.json (null: in memory) across restarts. */
    public static AspaSimulator start(int port, String apiKey, java.nio.file.Path stateDir) throws Exception {
        AspaWorkOrders workOrders = new AspaWorkOrders(Clock.systemUTC(), stateDir == null ? null : stateDir.resolve("aspa.json"));
        Faults faults = new Faults();
        java.util.Map<String, String> correlationIds = new java.util.concurrent.ConcurrentHashMap<>();
        Predicate<Request> authorized = request -> apiKey.equals(request.param("X-Api-Key"));
        SimulatorServer server = SimulatorServer.start("aspa-simulator", port, faults,
                routes -> routes(routes, workOrders, faults, authorized, correlationIds));
        return new AspaSimulator(workOrders, faults, server, correlationIds);
    }

    private static void routes(RouteBuilder routes, AspaWorkOrders workOrders, Faults faults, Predicate<Request> authorized,
                               java.util.Map<String, String> correlationIds) {
        String api = "platform-http:" + BASE_PATH;
        routes.from(api + "/work-orders/{reference}?httpMethodRestrict=PUT").routeId("aspa-simulator-put-work-order")
                .process(JsonEndpoint.api(faults, authorized, request -> {
                    String correlationId = request.param("X-Correlation-Id");
                    if (correlationId != null) {
                        correlationIds.put(request.param("reference"), correlationId);
                    }
                    return JsonEndpoint.put(
                            workOrders.put(request.param("reference"), request.body(AspaWorkOrders.NewWorkOrder.class)));
                }));
        routes.from(api + "/work-orders/{work_order_id}?httpMethodRestrict=GET").routeId("aspa-simulator-get-work-order")
                .process(JsonEndpoint.api(faults, authorized,
                        request -> Answer.ok(workOrders.get(request.param("work_order_id")))));
        routes.from(api + "/changes?httpMethodRestrict=GET").routeId("aspa-simulator-changes")
                .process(JsonEndpoint.api(faults, authorized, request -> JsonEndpoint.changes(request, workOrders::changes)));

        String operator = api + "/operator";
        routes.from(operator + "/work-orders?httpMethodRestrict=GET").routeId("aspa-simulator-operator-work-orders")
                .process(JsonEndpoint.operator(request -> Answer.ok(workOrders.all())));
        routes.from(operator + "/work-orders/{work_order_id}/state?httpMethodRestrict=POST").routeId("aspa-simulator-operator-state")
                .process(JsonEndpoint.operator(request -> {
                    AspaWorkOrders.StateChange change = request.body(AspaWorkOrders.StateChange.class);
                    return Answer.ok(workOrders.moveState(request.param("work_order_id"), change.state(), change.ownerName()));
                }));
        // as a back end restarted empty or restored from an old backup: its feed starts again behind the gateway's cursor
        routes.from(operator + "/reset?httpMethodRestrict=POST").routeId("aspa-simulator-operator-reset")
                .process(JsonEndpoint.operator(request -> {
                    workOrders.clear();
                    return Answer.ok(java.util.Map.of("records", 0));
                }));
        routes.from(operator + "/faults?httpMethodRestrict=POST").routeId("aspa-simulator-operator-faults")
                .process(JsonEndpoint.operator(request -> Answer.ok(faults.set(request.body(Faults.Setting.class)))));
    }

    public int port() {
        return server.port();
    }

    /** E.g. {@code http://localhost:8082/aspa/api/v1}, the gateway's {@code gateway.backend.aspa.url}. */
    public String baseUrl() {
        return "http://localhost:" + port() + BASE_PATH;
    }

    /** The X-Correlation-Id the gateway sent with its last PUT for this reference, if any. */
    public java.util.Optional<String> correlationIdOf(String reference) {
        return java.util.Optional.ofNullable(correlationIds.get(reference));
    }

    /** Forgets every record and its change feed, as a back end restarted empty or restored from an old backup. */
    public void restartEmpty() {
        workOrders.clear();
    }

    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** Every work order in creation order, each with {@code put_count}. */
    public List<JsonNode> workOrders() {
        return List.copyOf(workOrders.all());
    }

    public JsonNode workOrderById(String workOrderId) {
        return workOrders.get(workOrderId);
    }

    public Optional<JsonNode> workOrderByReference(String reference) {
        return workOrders.byReference(reference).map(JsonNode.class::cast);
    }

    /** How many times {@code PUT /work-orders/{reference}} was called (0 if never). */
    public int putCount(String reference) {
        return workOrders.putCount(reference);
    }

    /** Moves the work order; a null {@code ownerName} keeps the current owner. */
    public JsonNode moveState(String workOrderId, String state, String ownerName) {
        return workOrders.moveState(workOrderId, state, ownerName);
    }

    /** {@code none}, {@code down}, {@code slow} (waits {@code delayMs}), {@code error} or {@code garbage}. */
    public void faults(String mode, long delayMs) {
        faults.set(mode, delayMs);
    }
}

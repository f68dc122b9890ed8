package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.builder.RouteBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What the back ends that keep records per reference (the feedback CRM, Aspa) share, as their contracts in
 * docs/backends/ describe them: {@code PUT /<records>/{reference}} (created once, answered again),
 * {@code GET /<records>/{id}} and {@code GET /changes} behind the kind's credential and the current
 * {@link Faults}; and the operator endpoints without either: {@code GET operator/<records>},
 * {@code GET operator/counts}, {@code POST operator/reset}, {@code POST operator/faults} and the kind's edits
 * {@code POST operator/<records>/{id}/<edit>}. Runs in its own CamelContext on its own port; the records in
 * memory, or in {@code <state dir>/<kind>.json} across restarts.
 * <p>
 * A kind is a {@link Kind} (its names, what a PUT creates, its operator edits) and a subclass with its Java
 * methods: an edit is one entry in its {@code operatorEdits} (and a Java method calling {@link #change}); an API
 * call of its own goes in {@link #kindRoutes} through {@link #api}. The Java methods do what the operator endpoints
 * do, for tests that skip HTTP; they throw {@link java.util.NoSuchElementException} for an unknown record and
 * {@link IllegalArgumentException} for invalid input.
 */
public abstract class RecordSimulator extends Simulator {

    /**
     * One kind of record-keeping back end.
     *
     * @param name             e.g. {@code crm}: its route ids are {@code <name>-simulator-...}, its state file {@code <name>.json}
     * @param basePath         e.g. {@code /crm/api/v1}
     * @param collection       the records' path, e.g. {@code cases}
     * @param record           one record, in route ids, e.g. {@code case}
     * @param idField          e.g. {@code case_id}
     * @param updatedField     the record's time of its last change, e.g. {@code updated_at}
     * @param credentialHeader the header whose value must be the credential the simulator was started with
     * @param newId            the id of the n-th record created (from 1)
     * @param newRecord        the fields of a new record from the PUT's body, validated (the body's {@code reference}
     *                         is checked against the path's here), with the state a new record starts in
     * @param operatorEdits    {@code POST operator/<collection>/{id}/<key>}: the body read into one change of the
     *                         record (validated before the record is looked up); answered with the record as it is then
     */
    record Kind(String name, String basePath, String collection, String record, String idField, String updatedField,
                String credentialHeader, IntFunction<String> newId, Function<Request, ObjectNode> newRecord,
                Map<String, Function<Request, Consumer<ObjectNode>>> operatorEdits) {
    }

    private final Kind kind;
    private final String credential;
    /** reference -> the X-Correlation-Id of the last PUT for it, as a real back end would log it */
    private final Map<String, String> correlationIds = new ConcurrentHashMap<>();
    final RecordStore records;

    /**
     * @param credential what the kind's {@code credentialHeader} must say
     * @param stateDir   where the records are kept across restarts; null: in memory only
     */
    RecordSimulator(Kind kind, String credential, Path stateDir) {
        this.kind = kind;
        this.credential = credential;
        this.records = new RecordStore(kind.idField(), kind.updatedField(), kind.newId(), Clock.systemUTC(),
                stateDir == null ? null : stateDir.resolve(kind.name() + ".json"));
    }

    /** Starts {@code simulator}'s server on {@code port}, failing if the port is taken. */
    static <S extends RecordSimulator> S listen(S simulator, int port) throws Exception {
        RecordSimulator started = simulator;
        started.serve(started.kind.name() + "-simulator", port, started::routes);
        return simulator;
    }

    /** The kind's own API calls, beside the shared ones ({@link #api}); none by default. */
    void kindRoutes(RouteBuilder routes) {
    }

    private void routes(RouteBuilder routes) {
        String collection = "/" + kind.collection();
        String id = "{" + kind.idField() + "}";
        api(routes, "PUT", collection + "/{reference}", "put-" + kind.record(), this::put);
        api(routes, "GET", collection + "/" + id, "get-" + kind.record(),
                request -> Answer.ok(records.get(request.param(kind.idField()))));
        api(routes, "GET", "/changes", "changes", request -> JsonEndpoint.changes(request, records::changes));
        operator(routes, "GET", collection, kind.collection(), request -> Answer.ok(records.all()));
        operator(routes, "GET", "/counts", "counts", request -> Answer.ok(records.counts()));
        // as a back end restarted empty or restored from an old backup: its feed starts again behind the gateway's cursor
        operator(routes, "POST", "/reset", "reset", request -> {
            records.clear();
            return Answer.ok(Map.of("records", 0));
        });
        operator(routes, "POST", "/faults", "faults", request -> Answer.ok(faults.set(request.body(Faults.Setting.class))));
        kind.operatorEdits().forEach((action, edit) -> operator(routes, "POST", collection + "/" + id + "/" + action, action,
                request -> Answer.ok(change(request.param(kind.idField()), edit.apply(request)))));
        kindRoutes(routes);
    }

    private Answer put(Request request) {
        String reference = request.param("reference");
        ObjectNode fields = kind.newRecord().apply(request);
        if (!reference.equals(Json.requireText(fields.path("reference").asText(null), "reference"))) {
            throw new IllegalArgumentException("reference in the body differs from the path");
        }
        String correlationId = request.param("X-Correlation-Id");
        if (correlationId != null) {
            correlationIds.put(reference, correlationId);
        }
        return JsonEndpoint.put(records.put(reference, fields));
    }

    /** An API endpoint at {@code path} below the base path: the current fault first, then the credential. */
    final void api(RouteBuilder routes, String method, String path, String id, JsonEndpoint.Operation operation) {
        routes.from("platform-http:" + kind.basePath() + path + "?httpMethodRestrict=" + method)
                .routeId(kind.name() + "-simulator-" + id)
                .process(JsonEndpoint.api(faults, request -> credential.equals(request.param(kind.credentialHeader())), operation));
    }

    /** An operator endpoint at {@code path} below {@code operator}: no credential, no fault. */
    final void operator(RouteBuilder routes, String method, String path, String id, JsonEndpoint.Operation operation) {
        routes.from("platform-http:" + kind.basePath() + "/operator" + path + "?httpMethodRestrict=" + method)
                .routeId(kind.name() + "-simulator-operator-" + id)
                .process(JsonEndpoint.operator(operation));
    }

    /** One change of the record: its version grows by one and it moves to the change feed's end. */
    final JsonNode change(String id, Consumer<ObjectNode> edit) {
        return records.change(id, edit);
    }

    /** Every record in creation order, each with {@code put_count}. */
    public List<JsonNode> records() {
        return List.copyOf(records.all());
    }

    public JsonNode recordById(String id) {
        return records.get(id);
    }

    public Optional<JsonNode> recordByReference(String reference) {
        return records.byReference(reference).map(JsonNode.class::cast);
    }

    /** E.g. {@code http://localhost:8081/crm/api/v1}, the gateway's {@code gateway.backend.<name>.url}. */
    public String baseUrl() {
        return "http://localhost:" + port() + kind.basePath();
    }

    /** The X-Correlation-Id the gateway sent with its last PUT for this reference, if any. */
    public Optional<String> correlationIdOf(String reference) {
        return Optional.ofNullable(correlationIds.get(reference));
    }

    /** How many times the reference was PUT (0 if never). */
    public int putCount(String reference) {
        return records.putCount(reference);
    }

    /** {@code records}, {@code puts} and {@code put_more_than_once}, as {@code GET operator/counts} answers them. */
    public Map<String, Object> counts() {
        return records.counts();
    }

    /** Stops serving, then writes what its state file still lacks. */
    @Override
    public void stop() {
        super.stop();
        records.flush();
    }

    /** Forgets every record and its change feed, as a back end restarted empty or restored from an old backup. */
    public void restartEmpty() {
        records.clear();
    }
}

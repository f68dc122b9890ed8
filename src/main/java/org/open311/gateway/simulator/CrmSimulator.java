package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The feedback CRM as docs/backends/feedback-crm.md describes it, with the operator endpoints that
 * let tests play the city's staff and break the CRM. Runs in its own CamelContext on its own port;
 * state is in memory. The Java methods do what the operator endpoints do, for tests that skip HTTP;
 * they throw {@link java.util.NoSuchElementException} for an unknown case and
 * {@link IllegalArgumentException} for invalid input.
 */
public final class CrmSimulator implements AutoCloseable {

    public static final String BASE_PATH = "/crm/api/v1";

    private final CrmCases cases;
    private final Faults faults;
    private final SimulatorServer server;
    private final CrmResidentUpdates residentUpdates;
    /** reference -> the X-Correlation-Id of the last PUT for it, as a real back end would log it */
    private final java.util.Map<String, String> correlationIds;

    private CrmSimulator(CrmCases cases, Faults faults, SimulatorServer server,
            java.util.Map<String, String> correlationIds, CrmResidentUpdates residentUpdates) {
        this.residentUpdates = residentUpdates;
        this.correlationIds = correlationIds;
        this.cases = cases;
        this.faults = faults;
        this.server = server;
    }

    /** Starts the simulator on {@code port}, accepting {@code Authorization: Bearer <token>}, its cases in memory only. */
    public static CrmSimulator start(int port, String token) throws Exception {
        return start(port, token, null);
    }

    /** As {@link #start(int, String)}, keeping its cases in {@code stateDir}/crm.json (null: in memory) across restarts. */
    public static CrmSimulator start(int port, String token, java.nio.file.Path stateDir) throws Exception {
        CrmCases cases = new CrmCases(Clock.systemUTC(), stateDir == null ? null : stateDir.resolve("crm.json"));
        Faults faults = new Faults();
        java.util.Map<String, String> correlationIds = new java.util.concurrent.ConcurrentHashMap<>();
        Predicate<Request> authorized = request -> ("Bearer " + token).equals(request.param("Authorization"));
        CrmResidentUpdates residentUpdates = new CrmResidentUpdates(cases, Clock.systemUTC());
        SimulatorServer server = SimulatorServer.start("crm-simulator", port, faults, routes -> {
            routes(routes, cases, faults, authorized, correlationIds);
            residentUpdates.addRoutes(routes, "platform-http:" + BASE_PATH, faults, authorized);
        });
        return new CrmSimulator(cases, faults, server, correlationIds, residentUpdates);
    }

    private static void routes(RouteBuilder routes, CrmCases cases, Faults faults, Predicate<Request> authorized,
                               java.util.Map<String, String> correlationIds) {
        String api = "platform-http:" + BASE_PATH;
        routes.from(api + "/cases/{reference}?httpMethodRestrict=PUT").routeId("crm-simulator-put-case")
                .process(JsonEndpoint.api(faults, authorized, request -> {
                    String correlationId = request.param("X-Correlation-Id");
                    if (correlationId != null) {
                        correlationIds.put(request.param("reference"), correlationId);
                    }
                    return JsonEndpoint.put(
                            cases.put(request.param("reference"), request.body(CrmCases.NewCase.class)));
                }));
        routes.from(api + "/cases/{case_id}?httpMethodRestrict=GET").routeId("crm-simulator-get-case")
                .process(JsonEndpoint.api(faults, authorized, request -> Answer.ok(cases.get(request.param("case_id")))));
        routes.from(api + "/changes?httpMethodRestrict=GET").routeId("crm-simulator-changes")
                .process(JsonEndpoint.api(faults, authorized, request -> JsonEndpoint.changes(request, cases::changes)));

        String operator = api + "/operator";
        routes.from(operator + "/cases?httpMethodRestrict=GET").routeId("crm-simulator-operator-cases")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.all())));
        routes.from(operator + "/counts?httpMethodRestrict=GET").routeId("crm-simulator-operator-counts")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.counts())));
        routes.from(operator + "/cases/{case_id}/state?httpMethodRestrict=POST").routeId("crm-simulator-operator-state")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.moveState(request.param("case_id"),
                        request.body(CrmCases.StateChange.class).state()))));
        routes.from(operator + "/cases/{case_id}/publish?httpMethodRestrict=POST").routeId("crm-simulator-operator-publish")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.publish(request.param("case_id"),
                        request.body(CrmCases.Publication.class).published()))));
        routes.from(operator + "/cases/{case_id}/notes?httpMethodRestrict=POST").routeId("crm-simulator-operator-notes")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.addNotes(request.param("case_id"),
                        request.body(CrmCases.Notes.class)))));
        routes.from(operator + "/cases/{case_id}/public-works?httpMethodRestrict=POST").routeId("crm-simulator-operator-public-works")
                .process(JsonEndpoint.operator(request -> Answer.ok(cases.sendToPublicWorks(request.param("case_id"),
                        request.body(CrmCases.PublicWorks.class).workType()))));
        // as a back end restarted empty or restored from an old backup: its feed starts again behind the gateway's cursor
        routes.from(operator + "/reset?httpMethodRestrict=POST").routeId("crm-simulator-operator-reset")
                .process(JsonEndpoint.operator(request -> {
                    cases.clear();
                    return Answer.ok(java.util.Map.of("records", 0));
                }));
        routes.from(operator + "/faults?httpMethodRestrict=POST").routeId("crm-simulator-operator-faults")
                .process(JsonEndpoint.operator(request -> Answer.ok(faults.set(request.body(Faults.Setting.class)))));
    }

    public int port() {
        return server.port();
    }

    /** E.g. {@code http://localhost:8081/crm/api/v1}, the gateway's {@code gateway.backend.crm.url}. */
    public String baseUrl() {
        return "http://localhost:" + port() + BASE_PATH;
    }

    /** The X-Correlation-Id the gateway sent with its last PUT for this reference, if any. */
    public java.util.Optional<String> correlationIdOf(String reference) {
        return java.util.Optional.ofNullable(correlationIds.get(reference));
    }

    /** Forgets every record and its change feed, as a back end restarted empty or restored from an old backup. */
    public void restartEmpty() {
        cases.clear();
    }

    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** Every case in creation order, each with {@code put_count}. */
    public List<JsonNode> cases() {
        return List.copyOf(cases.all());
    }

    public JsonNode caseById(String caseId) {
        return cases.get(caseId);
    }

    public Optional<JsonNode> caseByReference(String reference) {
        return cases.byReference(reference).map(JsonNode.class::cast);
    }

    /** How many times {@code PUT /cases/{reference}} was called (0 if never). */
    public int putCount(String reference) {
        return cases.putCount(reference);
    }

    /** {@code records}, {@code puts} and {@code put_more_than_once}, as {@code GET operator/counts} answers them. */
    public java.util.Map<String, Object> counts() {
        return cases.counts();
    }

    public JsonNode moveState(String caseId, String state) {
        return cases.moveState(caseId, state);
    }

    public JsonNode publish(String caseId, boolean published) {
        return cases.publish(caseId, published);
    }

    /** Replaces the answer to the resident; null texts become empty, a null date clears it. */
    public JsonNode addNotes(String caseId, String statusNotes, String agencyResponsible, OffsetDateTime expectedAt) {
        return cases.addNotes(caseId, new CrmCases.Notes(statusNotes, agencyResponsible, expectedAt));
    }

    public JsonNode sendToPublicWorks(String caseId, String workType) {
        return cases.sendToPublicWorks(caseId, workType);
    }

    /** Residents' updates the gateway PUT, in the order received, each with {@code put_count} and {@code published}. */
    public List<JsonNode> residentUpdates() {
        return List.copyOf(residentUpdates.all());
    }

    /** Staff publish a resident's update: its text becomes the case's public answer (a change in the feed). */
    public JsonNode publishResidentUpdate(String caseId, String updateId) {
        return residentUpdates.publish(caseId, updateId);
    }

    /** {@code none}, {@code down}, {@code slow} (waits {@code delayMs}), {@code error} or {@code garbage}. */
    public void faults(String mode, long delayMs) {
        faults.set(mode, delayMs);
    }
}

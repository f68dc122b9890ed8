package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.builder.RouteBuilder;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Any GeoReport v2 server, as docs/backends/open311.md describes what the gateway uses of one:
 * {@code POST /requests.json} (a form with {@code api_key}) answering the new request's id, and
 * {@code GET /requests.json?service_request_id=a,b} and {@code GET /requests/{id}.json} answering their status. Operator endpoints let tests
 * play the server's staff and break it. In memory, on its own port and CamelContext.
 */
public final class Open311Simulator extends Simulator {

    public static final String BASE_PATH = "/open311/v2";
    /** The api_key the embedded run's simulator accepts. */
    public static final String EMBEDDED_API_KEY = "simulator-open311-key";

    private final Map<String, ObjectNode> requests = new LinkedHashMap<>();
    private final Map<String, Integer> postsByDescription = new LinkedHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private long next = 1;

    private Open311Simulator() {
    }

    /** Starts the simulator on {@code port}, accepting posts with {@code api_key = apiKey}. */
    public static Open311Simulator start(int port, String apiKey) throws Exception {
        Open311Simulator simulator = new Open311Simulator();
        Predicate<Request> authorized = request -> apiKey.equals(request.param("api_key"));
        simulator.serve("open311-simulator", port, routes -> simulator.routes(routes, authorized));
        return simulator;
    }

    private void routes(RouteBuilder routes, Predicate<Request> authorized) {
        String api = "platform-http:" + BASE_PATH;
        routes.from(api + "/requests.json?httpMethodRestrict=POST").routeId("open311-simulator-post")
                .process(JsonEndpoint.api(faults, authorized, request -> Answer.ok(List.of(Map.of("service_request_id",
                        post(request.param("service_code"), request.param("description")))))));
        routes.from(api + "/requests.json?httpMethodRestrict=GET").routeId("open311-simulator-list")
                .process(JsonEndpoint.api(faults, request -> true, request -> Answer.ok(byIds(request.param("service_request_id")))));
        routes.from(api + "/requests/{id}.json?httpMethodRestrict=GET").routeId("open311-simulator-get")
                .process(JsonEndpoint.api(faults, request -> true, request -> {
                    ArrayNode found = byIds(request.param("id"));
                    if (found.isEmpty()) {
                        throw new NoSuchElementException("no request " + request.param("id"));
                    }
                    return Answer.ok(found);
                }));
        String operator = api + "/operator";
        routes.from(operator + "/requests/{id}/status?httpMethodRestrict=POST").routeId("open311-simulator-operator-status")
                .process(JsonEndpoint.operator(request -> Answer.ok(setStatus(request.param("id"),
                        request.body(StatusChange.class)))));
        routes.from(operator + "/faults?httpMethodRestrict=POST").routeId("open311-simulator-operator-faults")
                .process(JsonEndpoint.operator(request -> Answer.ok(faults.set(request.body(Faults.Setting.class)))));
    }

    /** The operator's body: the new status and the notes to the resident. */
    public record StatusChange(String status, String status_notes) {
    }

    private synchronized String post(String serviceCode, String description) {
        if (serviceCode == null || serviceCode.isBlank() || description == null || description.isBlank()) {
            throw new IllegalArgumentException("service_code and description are required");
        }
        String id = "SR-" + next++;
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("service_request_id", id);
        request.put("service_code", serviceCode);
        request.put("description", description);
        request.put("status", "open");
        request.put("status_notes", "");
        request.put("agency_responsible", "");
        request.put("requested_datetime", now());
        request.put("updated_datetime", now());
        requests.put(id, request);
        postsByDescription.merge(description, 1, Integer::sum);
        return id;
    }

    private synchronized ArrayNode byIds(String ids) {
        ArrayNode found = Json.MAPPER.createArrayNode();
        if (ids != null) {
            for (String id : ids.split(",")) {
                Optional.ofNullable(requests.get(id.trim())).ifPresent(request -> found.add(request.deepCopy()));
            }
        }
        return found;
    }

    private synchronized JsonNode setStatus(String id, StatusChange change) {
        ObjectNode request = Optional.ofNullable(requests.get(id)).orElseThrow(() -> new NoSuchElementException("no request " + id));
        if (!"open".equals(change.status()) && !"closed".equals(change.status())) {
            throw new IllegalArgumentException("status must be open or closed");
        }
        request.put("status", change.status());
        request.put("status_notes", change.status_notes() == null ? "" : change.status_notes());
        request.put("updated_datetime", now());
        return request.deepCopy();
    }

    /** Now, with milliseconds: two changes within a second still differ (GeoReport does not say how precise). */
    private String now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    /** E.g. {@code http://localhost:8083/open311/v2}, a back end's {@code gateway.backend.<name>.url}. */
    public String baseUrl() {
        return "http://localhost:" + port() + BASE_PATH;
    }

    public synchronized List<JsonNode> requests() {
        return new ArrayList<>(requests.values());
    }

    /** The request posted with this description, if any. */
    public synchronized Optional<JsonNode> byDescription(String description) {
        return requests.values().stream().filter(r -> r.path("description").asText().equals(description))
                .map(JsonNode.class::cast).findFirst();
    }

    /** How many times a request with this description was posted. */
    public synchronized int postCount(String description) {
        return postsByDescription.getOrDefault(description, 0);
    }

    public JsonNode setStatus(String id, String status, String notes) {
        return setStatus(id, new StatusChange(status, notes));
    }
}

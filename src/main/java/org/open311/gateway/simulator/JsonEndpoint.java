package org.open311.gateway.simulator;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Turns a simulator operation into a Camel processor that always answers JSON: unknown ids are 404,
 * invalid input 400, and nothing of the request (headers included) is echoed back.
 */
final class JsonEndpoint {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    /** One operation: from the request to its answer. */
    @FunctionalInterface
    interface Operation {
        Answer handle(Request request);
    }

    private JsonEndpoint() {
    }

    /** An API call: the current fault first (an outage answers before any auth), then the credentials. */
    static Processor api(Faults faults, Predicate<Request> authorized, Operation operation) {
        return exchange -> {
            Request request = new Request(exchange.getMessage());
            Optional<Answer> fault = faults.intercept();
            Answer answer = fault.orElseGet(() -> authorized.test(request)
                    ? handle(operation, request)
                    : Answer.error(401, "unauthorized"));
            reply(exchange, answer);
        };
    }

    /** An operator call: no credentials, no faults. */
    static Processor operator(Operation operation) {
        return exchange -> reply(exchange, handle(operation, new Request(exchange.getMessage())));
    }

    /** {@code GET /changes?since=N&limit=M}: since defaults to 0; limit to 100, and more than 500 gets 500. */
    static Answer changes(Request request, BiFunction<Long, Integer, RecordStore.Page> feed) {
        long since = request.number("since", 0);
        long limit = request.number("limit", DEFAULT_LIMIT);
        if (limit == 0) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return Answer.ok(feed.apply(since, (int) Math.min(limit, MAX_LIMIT)).toJson());
    }

    /** {@code PUT}: 201 when the call created the record, 200 when it existed. */
    static Answer put(RecordStore.Put put) {
        return Answer.json(put.created() ? 201 : 200, put.record());
    }

    private static Answer handle(Operation operation, Request request) {
        try {
            return operation.handle(request);
        } catch (NoSuchElementException e) {
            return Answer.error(404, "not_found", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Answer.error(400, "bad_request", e.getMessage());
        } catch (RuntimeException e) {
            return Answer.error(500, "internal_error", String.valueOf(e.getMessage()));
        }
    }

    private static void reply(Exchange exchange, Answer answer) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(answer.body());
    }
}

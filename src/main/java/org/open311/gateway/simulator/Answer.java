package org.open311.gateway.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a simulator answers: a status and the body text, always sent as application/json. */
record Answer(int status, String body) {

    static Answer json(int status, Object value) {
        return new Answer(status, Json.write(value));
    }

    static Answer ok(Object value) {
        return json(200, value);
    }

    static Answer error(int status, String error) {
        return json(status, Map.of("error", error));
    }

    static Answer error(int status, String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return json(status, body);
    }
}

package org.open311.gateway.simulator;

import org.apache.camel.Message;

/** The parts of an HTTP call a simulator reads: headers, path and query parameters, the JSON body. */
record Request(Message message) {

    /** A header, path parameter or query parameter (platform-http puts all three in the headers). */
    String param(String name) {
        return message.getHeader(name, String.class);
    }

    /** A non-negative whole number query parameter, or {@code fallback} when absent. */
    long number(String name, long fallback) {
        String value = param(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number >= 0) {
            return number;
        }
        throw new IllegalArgumentException(name + " must be a whole number >= 0");
    }

    <T> T body(Class<T> type) {
        return Json.read(message.getBody(String.class), type);
    }
}

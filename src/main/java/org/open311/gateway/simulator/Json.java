package org.open311.gateway.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The simulators' JSON conventions: snake_case fields, ISO 8601 datetimes that keep their offset. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // The contracts say unknown fields are ignored by both sides.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Keep the offset a client sent instead of converting to UTC.
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    /** Reads a request body into {@code type}; anything but a JSON object of that shape is the client's error. */
    static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON body: " + e.getOriginalMessage());
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Now, to the millisecond, always with seconds (as Jackson writes datetimes). */
    static String now(Clock clock) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS));
    }

    static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String requireOneOf(String value, java.util.List<String> allowed, String field) {
        if (!allowed.contains(requireText(value, field))) {
            throw new IllegalArgumentException(field + " must be one of " + allowed);
        }
        return value;
    }
}

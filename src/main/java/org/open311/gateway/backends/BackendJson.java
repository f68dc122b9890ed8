package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** Small JSON helpers shared by the back-end mappings. */
final class BackendJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private BackendJson() {
    }

    /** A JSON list, as a GeoReport server answers. */
    static JsonNode parseArray(String body, String what) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isArray()) {
                throw new IllegalStateException(what + " answer is not a JSON list");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(what + " answer is not JSON");
        }
    }

    static JsonNode parse(String body, String what) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalStateException(what + " answer is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(what + " answer is not JSON");
        }
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode location(Map<String, Object> row) {
        ObjectNode location = JSON.createObjectNode();
        putNumber(location, "lat", row.get("lat"));
        putNumber(location, "lon", row.get("lon"));
        location.put("address", text(row, "address_string"));
        return location;
    }

    static ArrayNode jsonArray(Object json) {
        try {
            return json == null ? JSON.createArrayNode() : (ArrayNode) JSON.readTree(json.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON is invalid", e);
        }
    }

    static JsonNode jsonObject(Object json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON is invalid", e);
        }
    }

    static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }

    static String iso(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.withOffsetSameInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        return value == null ? null : value.toString();
    }

    /** A datetime a back end sent; null when absent or unreadable (never a crash). */
    static OffsetDateTime datetime(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static void putNumber(ObjectNode node, String field, Object value) {
        if (value instanceof Number number) {
            node.put(field, number.doubleValue());
        } else {
            node.putNull(field);
        }
    }
}

package org.open311.gateway.requests;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of a POST as the client sent them: form fields (urlencoded or multipart) and the
 * query string (clients send {@code locale} there), each name with all its values in order.
 */
public final class RequestForm {

    private final Map<String, List<String>> params;

    public RequestForm(Map<String, List<String>> params) {
        this.params = params;
    }

    /** Reads the form fields Camel gives as a Map body (a repeated field is a list) and the raw query. */
    public static RequestForm of(Object body, String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        if (body instanceof Map<?, ?> fields) {
            fields.forEach((name, value) -> {
                List<String> values = params.computeIfAbsent(String.valueOf(name), k -> new ArrayList<>());
                if (value instanceof Collection<?> many) {
                    many.forEach(v -> values.add(String.valueOf(v)));
                } else if (value != null) {
                    values.add(String.valueOf(value));
                }
            });
        }
        return new RequestForm(params);
    }

    /** The first value, trimmed; null when absent or blank. */
    /**
     * A whole number from 1 to {@code max} (a page, a page size): null when not sent; when it is no such
     * number, null with the problem added to {@code problems} (several are answered at once).
     */
    public Integer positive(String name, int max, List<String> problems) {
        String text = first(name);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + ": must be a whole number from 1 to " + max);
        return null;
    }

    /**
     * A W3C datetime (any profile, a date meaning its start in {@code zone}) as the instant it names, in UTC:
     * PostgreSQL refuses offsets beyond 15:59 that ISO 8601 allows (up to 18:00), and the year range applies
     * to the instant, whatever the offset. Null when not sent; when invalid, null with the problem added.
     */
    public OffsetDateTime datetime(String name, ZoneId zone, List<String> problems) {
        String text = first(name);
        if (text == null) {
            return null;
        }
        Optional<OffsetDateTime> time = W3cDatetime.parse(text, zone)
                .filter(t -> t.getYear() >= InputLimits.YEAR_MIN && t.getYear() <= InputLimits.YEAR_MAX);
        if (time.isEmpty()) {
            problems.add(name + ": must be a W3C datetime from " + InputLimits.YEAR_MIN + " to " + InputLimits.YEAR_MAX
                    + " (UTC), e.g. 2026-05-02, 2026-05-02T11:02+03:00 or 2026-05-02T08:02:07.000Z");
            return null;
        }
        return time.get();
    }

    public String first(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0).trim();
        return value.isEmpty() ? null : value;
    }

    /** Every non-blank value, trimmed. */
    public List<String> all(String name) {
        return params.getOrDefault(name, List.of()).stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * Fields whose name or a value is not valid UTF-8 as sent: the HTTP server decodes invalid bytes to
     * U+FFFD, which no resident types, so its presence marks them (stored, it would be mojibake).
     */
    public List<String> invalidText() {
        return params.entrySet().stream()
                .filter(e -> e.getKey().indexOf('\uFFFD') >= 0 || e.getValue().stream().anyMatch(v -> v.indexOf('\uFFFD') >= 0))
                .map(Map.Entry::getKey)
                .toList();
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    public Set<String> names() {
        return params.keySet();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}

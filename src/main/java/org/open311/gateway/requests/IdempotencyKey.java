package org.open311.gateway.requests;

import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.open311.gateway.api.ApiException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header a client may send with a post so that a retry cannot store the
 * request twice (docs/clients.md). One value of 1 to 255 characters of {@code A-Z a-z 0-9 - _ . : ~ + / =}
 * (a UUID, a ULID, base64), optionally in double quotes as the IETF draft writes it; anything else is a 400.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~:+/=-]{1," + MAX_LENGTH + "}");

    private IdempotencyKey() {
    }

    /** The key of this request, or null without one. */
    static String of(Message message) {
        return of(headerValues(message));
    }

    /** The key among a request's values of the header, or null without one; a malformed key, or two, is a 400. */
    static String of(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(HEADER + ": send one key, not " + values.size());
        }
        String key = unquoted(values.get(0).trim());
        if (!ALLOWED.matcher(key).matches()) {
            throw ApiException.badRequest(HEADER + ": 1 to " + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 - _ . : ~ + / = (a UUID, for instance)");
        }
        return key;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** From the HTTP request itself: Camel's headers also hold the form fields, which a client could name alike. */
    private static List<String> headerValues(Message message) {
        if (message instanceof HttpMessage http) {
            return http.getRequest().headers().getAll(HEADER);
        }
        String value = message.getHeader(HEADER, String.class);
        return value == null ? List.of() : List.of(value);
    }
}

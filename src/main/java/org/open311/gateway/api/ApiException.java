package org.open311.gateway.api;

import java.util.List;

/** A problem the client should hear about, in GeoReport v2's error shape with this HTTP status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient List<ApiError> errors;

    public ApiException(int status, List<String> descriptions) {
        super(status + " " + String.join("; ", descriptions), null, false, false);
        this.status = status;
        this.errors = descriptions.stream().map(d -> new ApiError(status, d)).toList();
    }

    public static ApiException badRequest(String description) {
        return new ApiException(400, List.of(description));
    }

    public static ApiException notFound(String description) {
        return new ApiException(404, List.of(description));
    }

    public int status() {
        return status;
    }

    public List<ApiError> errors() {
        return errors;
    }

    /** Headers the answer carries besides the error body (e.g. Retry-After); none by default. */
    public java.util.Map<String, String> responseHeaders() {
        return java.util.Map.of();
    }

    /** Echoes a client's value back in an error text safely: bounded and printable only. */
    public static String quoteSafe(String value) {
        if (value == null) {
            return "";
        }
        String printable = value.replaceAll("[^\\p{L}\\p{N}\\p{P}\\p{Zs}]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}

package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.limits.BodyLimits;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Pushed notifications from the back ends: accepted only with a valid HMAC-SHA256 signature of the raw
 * body ({@code X-Signature: sha256=<hex>}) made with that back end's shared secret. A back end without
 * a configured secret cannot push at all.
 */
public final class Notifications {

    public static final String SIGNATURE_HEADER = "X-Signature";

    private final Map<String, String> secrets;

    /** The push secret of each configured back end, by name (blank: that back end cannot push). */
    public Notifications(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** Checks the signature and leaves the parsed change as the body for the same apply route as the feed. */
    public JsonNode verify(Exchange exchange) {
        // the path names the back end: one not configured is a 404, and the header the route uses is its name
        String backend = exchange.getMessage().getHeader("backend", String.class);
        if (backend == null || !secrets.containsKey(backend)) {
            throw ApiException.notFound("backend: no back end named '" + ApiException.quoteSafe(String.valueOf(backend))
                    + "' is configured");
        }
        exchange.getMessage().setHeader("backend", backend);
        refuseXml(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        // the HTTP server refuses a larger body before reading it (HttpGuard); never sign more than this
        if (body != null && body.length > BodyLimits.PUSH_BYTES) {
            throw new ApiException(413, List.of("body: larger than " + BodyLimits.PUSH_BYTES + " bytes"));
        }
        String signature = exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class);
        String secret = secrets.getOrDefault(backend, "");
        if (secret.isBlank() || body == null || signature == null
                || !MessageDigest.isEqual(("sha256=" + sign(secret, body)).getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(401, List.of("X-Signature: missing or invalid signature"));
        }
        try {
            JsonNode change = BackendJson.parse(new String(body, StandardCharsets.UTF_8), backend);
            if (change.path("reference").asText("").isBlank() || !change.path("version").canConvertToLong()) {
                throw ApiException.badRequest("body: a change needs reference and version");
            }
            return change;
        } catch (IllegalStateException e) {
            throw ApiException.badRequest("body: not a JSON object");
        }
    }

    /** Pushes are JSON (the contract names no content type): an XML body is refused unread, 415. */
    static void refuseXml(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (type.endsWith("/xml") || type.endsWith("+xml")) {
            throw new ApiException(415, List.of("Content-Type: send the change as JSON"));
        }
    }

    /** The hex HMAC-SHA256 of a body: what a back end puts after "sha256=". */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

package org.open311.gateway.store;

import org.open311.gateway.api.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * API keys as the store keeps them: only a SHA-256 hash. Keys are long random tokens (not
 * passwords), so a fast unsalted hash cannot be reversed by guessing.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_KEY_LENGTH = 200;

    private ApiKeys() {
    }

    /** A new key: 32 random bytes, URL-safe. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The hash to look up for a client's api_key; a missing key is refused before any database work. */
    public static String hashOfPresented(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw forbidden();
        }
        return hash(key.trim());
    }

    /** The id of the key the store found, or 403 if it found none (unknown or revoked). */
    public static long requireFound(Object foundId) {
        if (foundId instanceof Number id) {
            return id.longValue();
        }
        throw forbidden();
    }

    private static ApiException forbidden() {
        return new ApiException(403, List.of("api_key: missing or invalid API key"));
    }
}

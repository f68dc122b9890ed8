package org.open311.gateway.requests;

import java.security.SecureRandom;

/** Issues service_request_ids: 20 characters of [0-9a-v] (100 random bits), opaque, unguessable, URL-safe. */
public final class RequestIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    public static final int LENGTH = 20;

    private RequestIds() {
    }

    public static String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    /** Whether a path's id could be one the gateway issued (anything else is a 404 without a query). */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() <= 64 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }
}

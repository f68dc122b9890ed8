package org.open311.gateway.admin;

import org.open311.gateway.store.ApiKeys;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The bearer tokens of the admin API ({@code gateway.admin.token}: comma-separated, each the token itself or
 * {@code sha256:<hex>} of it). Only SHA-256 hashes are kept, and a presented token's hash is compared
 * with each in constant time, so neither memory nor timing gives a token away. None: the admin API is off.
 */
public final class AdminTokens {

    private static final String HASHED = "sha256:";

    private final List<byte[]> hashes;

    private AdminTokens(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    public static AdminTokens parse(String setting) {
        List<byte[]> hashes = new ArrayList<>();
        for (String entry : (setting == null ? "" : setting).split(",")) {
            String token = entry.trim();
            if (token.isEmpty()) {
                continue;
            }
            String hex = token.toLowerCase(Locale.ROOT).startsWith(HASHED) ? token.substring(HASHED.length()).trim()
                    : ApiKeys.hash(token);
            if (!hex.matches("(?i)[0-9a-f]{64}")) {
                throw new IllegalStateException("gateway.admin.token: a sha256: entry needs 64 hex digits");
            }
            hashes.add(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
        return new AdminTokens(hashes);
    }

    public boolean enabled() {
        return !hashes.isEmpty();
    }

    /**
     * Which configured token (1, 2, …) the presented one is, for the audit log; empty if none. Every
     * configured hash is compared, whatever matched, so the time taken does not depend on the token.
     */
    public OptionalInt match(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return OptionalInt.empty();
        }
        byte[] hash = HexFormat.of().parseHex(ApiKeys.hash(presented));
        int found = 0;
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(hashes.get(i), hash) && found == 0) {
                found = i + 1;
            }
        }
        return found == 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }
}

package org.open311.gateway.requests;

import org.open311.gateway.media.Upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * What a post with an Idempotency-Key asked for, as one SHA-256: every field but {@code api_key} (names
 * in order, each with its values in the order sent, as the request would store them) and every uploaded
 * file's bytes. A retry of the same post has the same fingerprint; the same key with anything else does not.
 */
final class PostFingerprint {

    private PostFingerprint() {
    }

    static String of(RequestForm form, List<Upload> uploads) {
        MessageDigest sha = sha256();
        for (String name : new TreeSet<>(form.names())) {
            List<String> values = form.all(name);
            if (name.equals("api_key") || values.isEmpty()) {
                continue;
            }
            text(sha, name);
            sha.update(ByteBuffer.allocate(4).putInt(values.size()).array());
            values.forEach(value -> text(sha, value));
        }
        for (Upload upload : uploads) {
            text(sha, "file " + upload.field());
            sha.update(sha256Of(upload));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Length first, so that no two different lists of texts give the same bytes. */
    private static void text(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static byte[] sha256Of(Upload upload) {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(upload.file()), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an uploaded file", e);
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

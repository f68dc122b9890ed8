package org.open311.gateway.media;

import java.util.Arrays;
import java.util.Optional;

/**
 * The image types the gateway accepts, recognised by their leading bytes (the file's own signature),
 * never by the name or content type the client claims. Four fixed signatures need no library.
 */
public enum MediaType {
    JPEG("jpg", "image/jpeg", new int[]{0xFF, 0xD8, 0xFF}),
    PNG("png", "image/png", new int[]{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
    GIF("gif", "image/gif", new int[]{'G', 'I', 'F', '8'}),
    WEBP("webp", "image/webp", new int[]{'R', 'I', 'F', 'F'});

    private final String extension;
    private final String contentType;
    private final int[] signature;

    MediaType(String extension, String contentType, int[] signature) {
        this.extension = extension;
        this.contentType = contentType;
        this.signature = signature;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The type the bytes say they are, if it is one the gateway accepts. */
    public static Optional<MediaType> sniff(byte[] head) {
        return Arrays.stream(values()).filter(type -> type.matches(head)).findFirst();
    }

    public static Optional<MediaType> ofExtension(String extension) {
        return Arrays.stream(values()).filter(type -> type.extension.equals(extension)).findFirst();
    }

    private boolean matches(byte[] head) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        if (this == GIF) {
            return head.length >= 6 && (head[4] == '7' || head[4] == '9') && head[5] == 'a';
        }
        if (this == WEBP) {
            return head.length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P';
        }
        return true;
    }
}

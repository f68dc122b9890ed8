package org.open311.gateway.media;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Whether a file whose leading bytes claim an image type really is one: its header must parse as that
 * type and give sane dimensions. A signature followed by anything else (a script, a document, a
 * truncated file) is refused, and so is a tiny file that claims a huge canvas (a "pixel flood" that
 * would exhaust whoever opens it). Only headers are read, never the pixels.
 */
public final class ImageCheck {

    static final int MAX_SIDE = 30_000;
    static final long MAX_PIXELS = 250_000_000L;

    private ImageCheck() {
    }

    /** A problem to report for this file of this sniffed type, if any (phrased to follow the file's name). */
    public static Optional<String> problem(Path file, MediaType type) {
        long[] size;
        try {
            size = type == MediaType.WEBP ? webpSize(file) : imageIoSize(file, type);
        } catch (IOException | RuntimeException e) {
            size = null;
        }
        if (size == null) {
            return Optional.of("is not a readable " + type.name() + " image");
        }
        if (size[0] < 1 || size[1] < 1 || size[0] > MAX_SIDE || size[1] > MAX_SIDE || size[0] * size[1] > MAX_PIXELS) {
            return Optional.of("has impossible dimensions " + size[0] + "x" + size[1]);
        }
        return Optional.empty();
    }

    private static long[] imageIoSize(Path file, MediaType type) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type.name());
            if (in == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new long[]{reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    /** The JDK reads no WebP: its RIFF header is checked by hand (size, chunk, canvas) per the WebP container spec. */
    private static long[] webpSize(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(30);
        }
        long length = Files.size(file);
        if (head.length < 30 || littleEndian(head, 4, 4) + 8 != length) {
            return null;
        }
        String chunk = new String(head, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new long[]{littleEndian(head, 24, 3) + 1, littleEndian(head, 27, 3) + 1};
            case "VP8L" -> (head[20] & 0xFF) != 0x2F ? null : new long[]{
                    (littleEndian(head, 21, 4) & 0x3FFF) + 1, ((littleEndian(head, 21, 4) >> 14) & 0x3FFF) + 1};
            case "VP8 " -> (head[23] & 0xFF) != 0x9D || (head[24] & 0xFF) != 0x01 || (head[25] & 0xFF) != 0x2A ? null
                    : new long[]{littleEndian(head, 26, 2) & 0x3FFF, littleEndian(head, 28, 2) & 0x3FFF};
            default -> null;
        };
    }

    private static long littleEndian(byte[] bytes, int offset, int count) {
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}

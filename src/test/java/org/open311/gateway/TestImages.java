package org.open311.gateway;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small but real images for upload tests: the gateway parses an image's header, so a bare signature is not enough. */
public final class TestImages {

    private TestImages() {
    }

    public static byte[] png() {
        return write("png");
    }

    public static byte[] jpeg() {
        return write("jpg");
    }

    public static byte[] gif() {
        return write("gif");
    }

    /** A lossless WebP header of a 2x3 canvas (RIFF size consistent with the file). */
    public static byte[] webp() {
        byte[] data = new byte[40];
        System.arraycopy("RIFF".getBytes(), 0, data, 0, 4);
        littleEndian(data, 4, data.length - 8);
        System.arraycopy("WEBPVP8L".getBytes(), 0, data, 8, 8);
        littleEndian(data, 16, data.length - 20);
        data[20] = 0x2F;
        littleEndian(data, 21, (2 - 1) | ((3 - 1) << 14));
        return data;
    }

    /** A PNG that claims a canvas of width x height in its header (the rest of the file is a 1x1 image). */
    public static byte[] pngClaiming(int width, int height) {
        byte[] png = png();
        // IHDR data starts at byte 16: width then height, big-endian; the CRC is not checked for size reads
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        return png;
    }

    private static byte[] write(String format) {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void littleEndian(byte[] data, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            data[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}

package org.open311.gateway.bench;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes the photo the benchmark's multipart posts carry: a real JPEG (the gateway refuses bytes that
 * only claim to be one), noisy enough to weigh about as much as a small phone photo.
 */
public final class SamplePhoto {

    private SamplePhoto() {
    }

    public static void main(String[] args) throws IOException {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(311);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        if (!ImageIO.write(image, "jpg", Path.of(args[0]).toFile())) {
            throw new IOException("No JPEG writer in this JDK");
        }
    }
}

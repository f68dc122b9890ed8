package org.open311.gateway;

import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        return png;
    }

    /** What a phone's camera writes into a photo: the camera, and where it was taken. */
    public static final String CAMERA_MAKE = "Open311TestCam";
    /** 60° 10' 12.34" N: the latitude in the test photo's GPS data, as the three rationals of the EXIF tag. */
    private static final int[] LATITUDE = {60, 1, 10, 1, 1234, 100};

    /**
     * A real JPEG with what cameras and editors add: EXIF (IFD0 with Make, Orientation and a GPS IFD with
     * the latitude), XMP with the position again, an IPTC block, a comment, and bytes after the image.
     */
    public static byte[] jpegAsFromAPhone(int orientation, String appended) {
        byte[] jpeg = jpeg();
        int afterJfif = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, afterJfif);
        segment(out, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exifTiff(orientation)));
        segment(out, 0xE1, ("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><exif:GPSLatitude>60,10.2N"
                + "</exif:GPSLatitude></x:xmpmeta>").getBytes(StandardCharsets.ISO_8859_1));
        segment(out, 0xED, "Photoshop 3.0\08BIM\u0004\u0004\0\0\0\0\0\u0008\u001c\u0002x\0\u0003Ann".getBytes(StandardCharsets.ISO_8859_1));
        segment(out, 0xFE, "<script>alert(document.domain)</script>".getBytes(StandardCharsets.ISO_8859_1));
        out.write(jpeg, afterJfif, jpeg.length - afterJfif);
        out.writeBytes(appended.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Big-endian TIFF: IFD0 (Make, Orientation, GPS IFD pointer), then the GPS IFD (latitude ref and value), then the data. */
    private static byte[] exifTiff(int orientation) {
        byte[] make = (CAMERA_MAKE + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int gpsIfd = 8 + 2 + 3 * 12 + 4;
        int makeAt = gpsIfd + 2 + 2 * 12 + 4;
        int latitudeAt = makeAt + make.length + (make.length % 2);
        ByteBuffer tiff = ByteBuffer.allocate(latitudeAt + 24);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 3);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(makeAt);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
        tiff.putInt(0);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        tiff.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(latitudeAt);
        tiff.putInt(0);
        tiff.put(make);
        tiff.position(latitudeAt);
        for (int value : LATITUDE) {
            tiff.putInt(value);
        }
        return tiff.array();
    }

    /** The EXIF latitude's bytes as a photo carries them (to look for in what is served). */
    public static byte[] latitudeBytes() {
        ByteBuffer bytes = ByteBuffer.allocate(24);
        for (int value : LATITUDE) {
            bytes.putInt(value);
        }
        return bytes.array();
    }

    /** The payloads of a JPEG's application segments with this marker (0xE1 for APP1), as ImageIO's JPEG reader lists them. */
    public static List<byte[]> jpegSegments(byte[] jpeg, int marker) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
            List<byte[]> segments = new ArrayList<>();
            NodeList markers = root.getElementsByTagName("markerSequence").item(0).getChildNodes();
            for (int i = 0; i < markers.getLength(); i++) {
                IIOMetadataNode node = (IIOMetadataNode) markers.item(i);
                if (node.getNodeName().equals("unknown") && Integer.parseInt(node.getAttribute("MarkerTag")) == marker) {
                    segments.add((byte[]) node.getUserObject());
                }
                if (node.getNodeName().equals("com") && marker == 0xFE) {
                    segments.add((byte[]) node.getUserObject());
                }
            }
            reader.dispose();
            return segments;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tags of an EXIF block's first IFD and their first values, read with the JDK's own TIFF reader. */
    public static Map<Integer, Long> exifTags(byte[] app1) {
        byte[] tiff = Arrays.copyOfRange(app1, 6, app1.length);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
            reader.setInput(in);
            Map<Integer, Long> tags = new TreeMap<>();
            for (TIFFField field : TIFFDirectory.createFromMetadata(reader.getImageMetadata(0)).getTIFFFields()) {
                tags.put(field.getTagNumber(), field.getType() == TIFFTag.TIFF_ASCII ? -1L : field.getAsLong(0));
            }
            reader.dispose();
            return tags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pixels as ImageIO decodes them, row by row (JPEG, PNG, GIF). */
    public static int[] pixels(byte[] image) {
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
            return decoded.getRGB(0, 0, decoded.getWidth(), decoded.getHeight(), null, 0, decoded.getWidth());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write(payload.length + 2);
        out.writeBytes(payload);
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

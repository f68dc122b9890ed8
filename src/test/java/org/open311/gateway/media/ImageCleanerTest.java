package org.open311.gateway.media;

import org.junit.jupiter.api.Test;
import org.open311.gateway.TestImages;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.open311.gateway.TestImages.concat;

class ImageCleanerTest {

    private static final String HTML = "<html><body><script>alert(document.cookie)</script></body></html>";

    @Test
    void imagesWithNothingButTheImageAreKeptByteForByte() {
        for (MediaType type : MediaType.values()) {
            byte[] image = switch (type) {
                case JPEG -> TestImages.jpeg();
                case PNG -> TestImages.png();
                case GIF -> TestImages.gif();
                case WEBP -> TestImages.webp();
            };
            assertThat(ImageCleaner.clean(image, type)).as(type.name()).isEqualTo(image);
        }
    }

    @Test
    void aPhotoLosesItsExifGpsXmpIptcCommentAndTrailerButKeepsItsPixelsAndOrientation() {
        byte[] photo = TestImages.jpegAsFromAPhone(6, HTML);

        byte[] clean = ImageCleaner.clean(photo, MediaType.JPEG);

        String text = new String(clean, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(TestImages.CAMERA_MAKE, "xmpmeta", "GPSLatitude", "Photoshop", "<script", "<html");
        assertThat(indexOf(clean, TestImages.latitudeBytes())).isNegative();
        assertThat(TestImages.jpegSegments(clean, 0xE1)).hasSize(1);
        assertThat(TestImages.exifTags(TestImages.jpegSegments(clean, 0xE1).get(0))).isEqualTo(Map.of(0x0112, 6L));
        assertThat(TestImages.jpegSegments(clean, 0xED)).isEmpty();
        assertThat(TestImages.jpegSegments(clean, 0xFE)).isEmpty();
        assertThat(Arrays.copyOfRange(clean, clean.length - 2, clean.length)).containsExactly(0xFF, 0xD9);
        assertThat(TestImages.pixels(clean)).isEqualTo(TestImages.pixels(TestImages.jpeg()));
        // what was there to remove, as the same readers see it
        assertThat(TestImages.exifTags(TestImages.jpegSegments(photo, 0xE1).get(0))).containsKeys(0x010F, 0x0112, 0x8825);
    }

    @Test
    void aProgressiveJpegWithItsScansAndTablesIsKeptWhole() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 48; y++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x + y));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam progressive = writer.getDefaultWriteParam();
        progressive.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), progressive);
        }
        byte[] jpeg = bytes.toByteArray();

        assertThat(ImageCleaner.clean(concat(jpeg, HTML.getBytes(StandardCharsets.ISO_8859_1)), MediaType.JPEG)).isEqualTo(jpeg);
    }

    @Test
    void anUprightPhotoKeepsNoExifAtAll() {
        byte[] clean = ImageCleaner.clean(TestImages.jpegAsFromAPhone(1, ""), MediaType.JPEG);

        assertThat(TestImages.jpegSegments(clean, 0xE1)).isEmpty();
        assertThat(clean).isEqualTo(TestImages.jpeg());
    }

    @Test
    void orientationIsReadInEitherByteOrderAndOnlyWhenSane() {
        byte[] little = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8)
                .putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) 8).putShort((short) 0)
                .putInt(0).array();
        byte[] insane = little.clone();
        insane[18] = 9;
        byte[] pointsOutside = little.clone();
        pointsOutside[4] = 100;

        assertThat(ImageCleaner.orientation(little, 0, little.length)).isEqualTo(8);
        assertThat(ImageCleaner.orientation(insane, 0, insane.length)).isEqualTo(1);
        assertThat(ImageCleaner.orientation(pointsOutside, 0, pointsOutside.length)).isEqualTo(1);
        assertThat(ImageCleaner.orientation(little, 0, 20)).as("entry cut short").isEqualTo(1);
    }

    @Test
    void aPngLosesItsTextExifAndWhatFollowsItsEnd() {
        byte[] png = TestImages.png();
        byte[] iend = Arrays.copyOfRange(png, png.length - 12, png.length);
        byte[] polyglot = concat(Arrays.copyOf(png, png.length - 12), chunk("tEXt", "Comment\0" + HTML),
                chunk("eXIf", "MM\0*"), chunk("tIME", "\u0007\u00ea\u0001\u0001\0\0\0"), chunk("prVt", "private"), iend,
                HTML.getBytes(StandardCharsets.ISO_8859_1));

        byte[] clean = ImageCleaner.clean(polyglot, MediaType.PNG);

        assertThat(clean).isEqualTo(png);
        assertThat(TestImages.pixels(clean)).isEqualTo(TestImages.pixels(polyglot));
    }

    @Test
    void aGifLosesItsCommentsAndForeignExtensionsButKeepsLooping() throws Exception {
        byte[] animated = animatedGif();
        String text = new String(animated, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("NETSCAPE2.0");
        int trailer = animated.length - 1;
        byte[] comment = concat(new byte[]{0x21, (byte) 0xFE, 11}, "hello world".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0});
        byte[] xmp = concat(new byte[]{0x21, (byte) 0xFF, 11}, "XMP DataXMP".getBytes(StandardCharsets.ISO_8859_1),
                new byte[]{5}, "<x:x>".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0});
        byte[] dirty = concat(Arrays.copyOf(animated, trailer), comment, xmp, new byte[]{0x3B}, HTML.getBytes(StandardCharsets.ISO_8859_1));

        byte[] clean = ImageCleaner.clean(dirty, MediaType.GIF);

        assertThat(clean).isEqualTo(animated);
    }

    @Test
    void aWebpLosesItsExifAndXmpChunksAndFlags() {
        byte[] webp = TestImages.webp();
        byte[] vp8x = concat("VP8X".getBytes(StandardCharsets.ISO_8859_1), le(10), new byte[]{0x0C, 0, 0, 0, 1, 0, 0, 2, 0, 0});
        byte[] exif = concat("EXIF".getBytes(StandardCharsets.ISO_8859_1), le(5), "MM\0*\0".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0});
        byte[] xmp = concat("XMP ".getBytes(StandardCharsets.ISO_8859_1), le(4), "<x/>".getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunks = concat(vp8x, Arrays.copyOfRange(webp, 12, webp.length), exif, xmp);
        byte[] dirty = concat("RIFF".getBytes(StandardCharsets.ISO_8859_1), le(4 + chunks.length), "WEBP".getBytes(StandardCharsets.ISO_8859_1),
                chunks, HTML.getBytes(StandardCharsets.ISO_8859_1));

        byte[] clean = ImageCleaner.clean(dirty, MediaType.WEBP);

        byte[] cleanChunks = concat(Arrays.copyOf(vp8x, 8), new byte[]{0}, Arrays.copyOfRange(vp8x, 9, vp8x.length),
                Arrays.copyOfRange(webp, 12, webp.length));
        assertThat(clean).isEqualTo(concat("RIFF".getBytes(StandardCharsets.ISO_8859_1), le(4 + cleanChunks.length),
                "WEBP".getBytes(StandardCharsets.ISO_8859_1), cleanChunks));
    }

    @Test
    void imagesCutShortOrWithLengthsPastTheirEndAreBroken() {
        byte[] jpeg = TestImages.jpeg();
        byte[] png = TestImages.png();
        byte[] gif = TestImages.gif();
        byte[] webp = TestImages.webp();
        byte[] longSegment = jpeg.clone();
        longSegment[4] = (byte) 0xFF;
        byte[] longWebpChunk = webp.clone();
        longWebpChunk[16] = 100;

        for (Object[] broken : new Object[][]{
                {Arrays.copyOf(jpeg, jpeg.length - 2), MediaType.JPEG}, {Arrays.copyOf(jpeg, jpeg.length / 2), MediaType.JPEG},
                {longSegment, MediaType.JPEG}, {Arrays.copyOf(png, png.length - 12), MediaType.PNG},
                {Arrays.copyOf(png, png.length - 20), MediaType.PNG}, {Arrays.copyOf(gif, gif.length - 1), MediaType.GIF},
                {longWebpChunk, MediaType.WEBP}, {Arrays.copyOf(webp, webp.length - 4), MediaType.WEBP},
                {concat(Arrays.copyOf(jpeg, 2), HTML.getBytes(StandardCharsets.ISO_8859_1)), MediaType.JPEG}}) {
            assertThatThrownBy(() -> ImageCleaner.check((byte[]) broken[0], (MediaType) broken[1]))
                    .isInstanceOf(ImageCleaner.BrokenImage.class);
        }
    }

    private static byte[] chunk(String type, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        // the CRC is not checked by the cleaner; a viewer would skip a bad ancillary chunk anyway
        return concat(ByteBuffer.allocate(4).putInt(bytes.length).array(), type.getBytes(StandardCharsets.ISO_8859_1), bytes, new byte[4]);
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** Two frames, looping forever (ImageIO writes the NETSCAPE2.0 extension and a graphic control per frame). */
    private static byte[] animatedGif() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 2; frame++) {
                BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
                image.setRGB(frame, 0, 0x00FF00);
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode applications = new IIOMetadataNode("ApplicationExtensions");
                IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                loop.setAttribute("applicationID", "NETSCAPE");
                loop.setAttribute("authenticationCode", "2.0");
                loop.setUserObject(new byte[]{1, 0, 0});
                applications.appendChild(loop);
                root.appendChild(applications);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        }
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

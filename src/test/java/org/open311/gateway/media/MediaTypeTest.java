package org.open311.gateway.media;

import org.junit.jupiter.api.Test;
import org.open311.gateway.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTypeTest {

    @Test
    void recognisesEachAcceptedTypeByItsBytes() {
        assertThat(MediaType.sniff(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB})).contains(MediaType.JPEG);
        assertThat(MediaType.sniff(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})).contains(MediaType.PNG);
        assertThat(MediaType.sniff("GIF87a....".getBytes())).contains(MediaType.GIF);
        assertThat(MediaType.sniff("GIF89a....".getBytes())).contains(MediaType.GIF);
        assertThat(MediaType.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes())).contains(MediaType.WEBP);
    }

    @Test
    void refusesLookalikesAndOtherFiles() {
        assertThat(MediaType.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes())).isEmpty();
        assertThat(MediaType.sniff("GIF8".getBytes())).isEmpty();
        assertThat(MediaType.sniff("%PDF-1.7".getBytes())).isEmpty();
        assertThat(MediaType.sniff("<svg xmlns=".getBytes())).isEmpty();
        assertThat(MediaType.sniff(new byte[0])).isEmpty();
    }

    @Test
    void realImagesPassTheHeaderCheck() throws Exception {
        assertThat(ImageCheck.problem(file(TestImages.png()), MediaType.PNG)).isEmpty();
        assertThat(ImageCheck.problem(file(TestImages.jpeg()), MediaType.JPEG)).isEmpty();
        assertThat(ImageCheck.problem(file(TestImages.gif()), MediaType.GIF)).isEmpty();
        assertThat(ImageCheck.problem(file(TestImages.webp()), MediaType.WEBP)).isEmpty();
    }

    @Test
    void aSignatureFollowedByAnythingElseIsNotAnImage() throws Exception {
        byte[] png = TestImages.png();
        byte[] truncated = java.util.Arrays.copyOf(png, 20);
        byte[] jpegThenHtml = concat(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, "<html><script>alert(1)</script>".getBytes());
        byte[] gifThenScript = "GIF89a=alert(document.cookie);//".getBytes();
        byte[] webp = TestImages.webp();
        byte[] webpWrongSize = concat(webp, new byte[100]);

        for (byte[] lie : java.util.List.of(truncated, jpegThenHtml, gifThenScript, webpWrongSize)) {
            MediaType claimed = MediaType.sniff(lie).orElseThrow();
            assertThat(ImageCheck.problem(file(lie), claimed)).as(claimed.name()).contains("is not a readable " + claimed.name() + " image");
        }
    }

    @Test
    void aTinyFileClaimingAHugeCanvasIsRefused() throws Exception {
        assertThat(ImageCheck.problem(file(TestImages.pngClaiming(65_535, 65_535)), MediaType.PNG))
                .contains("has impossible dimensions 65535x65535");
        assertThat(ImageCheck.problem(file(TestImages.pngClaiming(20_000, 20_000)), MediaType.PNG))
                .contains("has impossible dimensions 20000x20000");
        assertThat(ImageCheck.problem(file(TestImages.pngClaiming(4000, 3000)), MediaType.PNG)).isEmpty();
    }

    private static java.nio.file.Path file(byte[] content) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("image-check", ".bin");
        file.toFile().deleteOnExit();
        return java.nio.file.Files.write(file, content);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}

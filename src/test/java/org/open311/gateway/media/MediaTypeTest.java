package org.open311.gateway.media;

import org.junit.jupiter.api.Test;

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
}

package org.open311.gateway.limits;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The multipart framings the form decoder could not read are refused; valid ones are passed on in one plain form. */
class FormFramingTest {

    @Test
    void aValidBoundaryIsPassedOnInTheFormTheDecoderReads() {
        assertThat(FormFraming.framing(null)).isEmpty();
        assertThat(FormFraming.framing("application/x-www-form-urlencoded; charset=nope")).isEmpty();
        assertThat(FormFraming.framing("multipart/form-data; boundary=abc").orElseThrow().contentType())
                .isEqualTo("multipart/form-data; boundary=\"abc\"");
        assertThat(FormFraming.framing("Multipart/Form-Data; Boundary=\"a b\"; CHARSET=UTF-8").orElseThrow().contentType())
                .isEqualTo("multipart/form-data; boundary=\"a b\"; charset=UTF-8");
        // the decoder reads only the first two parameters
        assertThat(FormFraming.framing("multipart/form-data; charset=utf-8; x=y; boundary=b").orElseThrow().contentType())
                .isEqualTo("multipart/form-data; boundary=\"b\"; charset=utf-8");
        assertThat(FormFraming.framing("multipart/form-data; boundary=" + "b".repeat(70))).isPresent();
        assertThat(FormFraming.framing("multipart/form-data; boundary='()+_,-./:=?")).isPresent();
    }

    @Test
    void aMissingEmptyOrOverlongBoundaryOrAnUnknownCharsetIsRefused() {
        for (String contentType : List.of("multipart/form-data", "multipart/form-data;", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=\"", "multipart/form-data; boundary=\"b \"",
                "multipart/form-data; boundary=" + "b".repeat(71), "multipart/form-data; boundary=b\"c",
                "multipart/form-data; boundary=b; boundary=c")) {
            assertThatThrownBy(() -> FormFraming.framing(contentType)).as(contentType)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("boundary");
        }
        for (String charset : List.of("nope", "!!", "")) {
            assertThatThrownBy(() -> FormFraming.framing("multipart/form-data; boundary=b; charset=" + charset)).as(charset)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("charset");
        }
    }

    @Test
    void onlyTheFormDecodersOwnFailuresAreTakenForMalformedInput() {
        RuntimeException decoder = new ArrayIndexOutOfBoundsException("Index 2 out of bounds for length 2");
        decoder.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("java.lang.String", "charAt", null, 1),
                new StackTraceElement("io.netty.util.internal.StringUtil", "substringAfter", null, 1),
                new StackTraceElement("io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder", "findMultipartDisposition", null, 1),
                new StackTraceElement("io.vertx.core.http.impl.Http2ServerRequest", "handleData", null, 1)});
        RuntimeException ours = new IllegalStateException("a bug");
        ours.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("org.open311.gateway.media.UploadCapture", "handle", null, 1),
                new StackTraceElement("io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder", "offer", null, 1)});

        assertThat(FormFraming.fromFormDecoder(decoder)).isTrue();
        assertThat(FormFraming.fromFormDecoder(ours)).isFalse();
        assertThat(FormFraming.fromFormDecoder(new IllegalStateException())).isFalse();
    }
}

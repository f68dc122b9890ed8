package org.open311.gateway.media;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Uploaded images over HTTP are served as the image alone: a resident's photo without its EXIF (GPS
 * position, camera) but with its orientation, a PNG+HTML polyglot without the HTML, with headers that
 * keep a browser from treating any of it as a page.
 */
class MediaHttpTest extends GatewayTestSupport {

    private static final String KEY = "media-test-key";
    private static final String HTML = "<html><body><script>alert(document.domain)</script></body></html>";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path mediaDir;

    @Override
    protected Properties settings() {
        try {
            mediaDir = Files.createTempDirectory("media");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.media.dir", mediaDir.toString());
        return settings;
    }

    @Test
    void aPhotoIsServedWithoutItsGpsAndCameraDataButWithItsOrientation() throws Exception {
        byte[] photo = TestImages.jpegAsFromAPhone(6, "");

        String url = upload("IMG_0001.jpg", photo);
        HttpResponse<byte[]> served = fetch(url);

        assertThat(served.statusCode()).isEqualTo(200);
        byte[] image = served.body();
        assertThat(new String(image, StandardCharsets.ISO_8859_1)).doesNotContain(TestImages.CAMERA_MAKE, "GPSLatitude", "<script");
        List<byte[]> exif = TestImages.jpegSegments(image, 0xE1);
        assertThat(exif).hasSize(1);
        assertThat(TestImages.exifTags(exif.get(0))).as("IFD0: the orientation alone, no GPS IFD").isEqualTo(Map.of(0x0112, 6L));
        assertThat(TestImages.jpegSegments(image, 0xFE)).as("comments").isEmpty();
        assertThat(TestImages.pixels(image)).isEqualTo(TestImages.pixels(photo));
        byte[] stored = Files.readAllBytes(mediaDir.resolve(url.substring(url.lastIndexOf('/') + 1)));
        assertThat(stored).as("kept without them too").isEqualTo(image);
    }

    @Test
    void aPngWithHtmlAppendedIsServedWithoutTheHtml() throws Exception {
        byte[] png = TestImages.png();
        byte[] polyglot = TestImages.concat(png, HTML.getBytes(StandardCharsets.ISO_8859_1));

        HttpResponse<byte[]> served = fetch(upload("photo.png", polyglot));

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(png);
    }

    @Test
    void mediaAreServedSoThatNoBrowserRunsThem() throws Exception {
        String url = upload("photo.png", TestImages.png());

        HttpResponse<byte[]> served = fetch(url);

        String name = url.substring(url.lastIndexOf('/') + 1);
        assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(served.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(served.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; sandbox");
        assertThat(served.headers().firstValue("Content-Disposition")).contains("inline; filename=\"" + name + "\"");
    }

    /** Files kept before uploads were cleaned still hold what they came with: they are cleaned as they are served. */
    @Test
    void aFileKeptBeforeCleaningIsServedClean() throws Exception {
        String name = "0123456789abcdef0123456789abcdef.jpg";
        Files.write(mediaDir.resolve(name), TestImages.jpegAsFromAPhone(1, HTML));
        String broken = "fedcba9876543210fedcba9876543210.png";
        Files.write(mediaDir.resolve(broken), Arrays.copyOf(TestImages.png(), 30));

        HttpResponse<byte[]> served = fetch("http://localhost:" + port() + "/v1/media/" + name);
        HttpAnswer unservable = get("/v1/media/" + broken);

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(TestImages.jpeg());
        assertThat(unservable.status()).isEqualTo(404);
        assertThat(unservable.jsonField("description")).containsExactly("media: no such file");
    }

    @Test
    void anImageWhoseStructureIsBrokenIsRefused() throws Exception {
        byte[] png = TestImages.png();
        byte[] withoutEnd = Arrays.copyOf(png, png.length - 12);

        HttpAnswer answer = postMultipart("/v1/requests.json", request(file("media", "cut.png", withoutEnd)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).contains("media: 'cut.png' is not a readable PNG image");
    }

    private List<Part> request(Part media) {
        return List.of(field("api_key", KEY), field("service_code", "171"), field("attribute[size]", "small"),
                field("description", "Kuoppa pyörätiellä, kuva liitteenä"), field("lat", "60.17"), field("long", "24.94"), media);
    }

    /** Posts a request with the file and returns the URL the gateway serves it at. */
    private String upload(String fileName, byte[] content) {
        HttpAnswer posted = postMultipart("/v1/requests.json", request(file("media", fileName, content)));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        return get("/v1/requests/" + id + ".json").json().get(0).path("media_url").asText();
    }

    private static HttpResponse<byte[]> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

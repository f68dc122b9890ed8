package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/** Multipart POSTs with photos: stored by the gateway, typed by their bytes, served at the gateway's URL. */
abstract class MultipartHttpTest extends GatewayTestSupport {

    static final byte[] PNG = org.open311.gateway.TestImages.png();
    static final byte[] JPEG = org.open311.gateway.TestImages.jpeg();
    static final byte[] GIF = org.open311.gateway.TestImages.gif();
    static final byte[] WEBP = org.open311.gateway.TestImages.webp();
    private static Path mediaDir;

    @Override
    protected Properties settings() {
        try {
            mediaDir = Files.createTempDirectory("media");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", "multipart-key");
        settings.put("gateway.media.dir", mediaDir.toString());
        settings.put("gateway.media.max-file-bytes", "1000");
        return settings;
    }

    private List<Part> request(Part... more) {
        List<Part> parts = new ArrayList<>(List.of(field("api_key", "multipart-key"), field("service_code", "200"),
                field("description", "Töhryjä sillan kaiteessa, kuvat liitteenä"), field("title", "Töhryt"),
                field("lat", "60.1841"), field("long", "24.9519")));
        parts.addAll(List.of(more));
        return parts;
    }

    @Test
    void severalPhotosInMediaArrayAreKeptAndServedBack() throws Exception {
        long before = storedFiles();
        HttpAnswer posted = postMultipart("/v1/requests.json", request(
                file("media[]", "first.png", PNG), file("media[]", "second.jpg", JPEG), file("media[]", "third.gif", GIF)));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        JsonNode request = get("/v1/requests/" + id + ".json?extensions=true").json().get(0);
        JsonNode urls = request.path("extended_attributes").path("media_urls");
        assertThat(urls).hasSize(3);
        assertThat(request.path("media_url").asText()).isEqualTo(urls.get(0).asText());
        assertThat(urls.get(0).asText()).startsWith("http://localhost:" + port() + "/v1/media/").endsWith(".png");
        assertServed(urls.get(0).asText(), "image/png", PNG);
        assertServed(urls.get(1).asText(), "image/jpeg", JPEG);
        assertServed(urls.get(2).asText(), "image/gif", GIF);
        assertThat(storedFiles()).isEqualTo(before + 3);
    }

    @Test
    void singlePhotoInMediaAndAMediaUrlTogether() throws Exception {
        HttpAnswer posted = postMultipart("/v1/requests.xml", request(file("media", "photo.webp", WEBP),
                field("media_url", "https://example.org/earlier.jpg")));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.xpath("/service_requests/request/service_request_id").get(0);
        List<String> urls = get("/v1/requests/" + id + ".xml?extensions=true")
                .xpath("/service_requests/request/extended_attributes/media_urls/media_url");
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0)).isEqualTo("https://example.org/earlier.jpg");
        assertServed(urls.get(1), "image/webp", WEBP);
    }

    @Test
    void bytesThatAreNotAnImageAreRefusedWhateverTheNameSays() throws Exception {
        long before = storedFiles();
        HttpAnswer answer = postMultipart("/v1/requests.json", request(
                file("media[]", "photo.jpg", "<?php system($_GET['x']); ?>".getBytes()),
                file("media[]", "../../etc/passwd.png", PNG)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).anySatisfy(d ->
                assertThat(d).startsWith("media: 'photo.jpg' is not a JPEG, PNG, GIF or WebP image"));
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void tooManyOrTooLargeFilesAreRefusedWithTheOtherProblems() throws Exception {
        long before = storedFiles();
        List<Part> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(file("media[]", i + ".png", PNG));
        }
        HttpAnswer tooMany = postMultipart("/v1/requests.json", request(six.toArray(Part[]::new)));
        byte[] large = new byte[2000];
        System.arraycopy(PNG, 0, large, 0, PNG.length);
        List<Part> withBadDescription = request(file("media", "large.png", large));
        withBadDescription.set(2, field("description", "short"));
        HttpAnswer tooLarge = postMultipart("/v1/requests.json", withBadDescription);

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.jsonField("description")).contains("media: at most 5 files");
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.jsonField("description")).anySatisfy(d -> assertThat(d).startsWith("media: 'large.png' is larger than"));
        assertThat(tooLarge.jsonField("description")).anySatisfy(d -> assertThat(d).startsWith("description:"));
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void filesInOtherFieldsAreRefused() {
        HttpAnswer answer = postMultipart("/v1/requests.json", request(file("photo", "a.png", PNG)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.jsonField("description")).contains("photo: files are accepted only in field media, media[] or photo1, photo2, …");
    }

    @Test
    void aClientCannotForgeTheUploadReference() {
        HttpAnswer answer = send(HttpRequest.newBuilder(uri("/v1/requests.json"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Open311-Upload-Reference", "00000000-0000-0000-0000-000000000000")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=multipart-key&service_code=200"
                        + "&description=Graffiti+on+the+wall+here&lat=60.1&long=24.9")).build());

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void unknownOrTraversingMediaNamesAre404() {
        for (String name : List.of("0123456789abcdef0123456789abcdef.png", "..%2F..%2Fpom.xml", "pom.xml")) {
            HttpAnswer answer = get("/v1/media/" + name);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body()).doesNotContain("<project");
        }
    }

    private void assertServed(String url, String contentType, byte[] content) throws Exception {
        HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).contains(contentType);
        assertThat(served.body()).isEqualTo(content);
    }

    private static long storedFiles() throws Exception {
        try (var files = Files.list(mediaDir)) {
            return files.count();
        }
    }
}

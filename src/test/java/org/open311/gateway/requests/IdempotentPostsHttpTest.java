package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.store.ApiKeyAdmin;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Posts sent with an Idempotency-Key: a retry answers the first post's id and stores nothing, the same
 * key with other content is a 422, concurrent twins store one request, keys are per API key, an expired
 * key is new again, and without the header every post is stored as before.
 */
abstract class IdempotentPostsHttpTest extends GatewayTestSupport {

    private static final String API_KEY = "idempotent-key";
    private static final String OTHER_API_KEY = "idempotent-other-key";
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
        settings.put("gateway.api-keys.demo", API_KEY);
        settings.put("gateway.media.dir", mediaDir.toString());
        // expired keys are looked for often, so that the test sees the cleanup
        settings.put("gateway.idempotency.cleanup-interval-ms", "200");
        return settings;
    }

    @Test
    void aRetryWithTheSameKeyAnswersTheFirstPostsIdAndStoresNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        String description = "Kuoppa pyörätiellä " + key;

        HttpAnswer first = post("/v1/requests.json", API_KEY, key, description);
        HttpAnswer retry = post("/v1/requests.json", API_KEY, key, description);
        HttpAnswer retryInXml = post("/v1/requests.xml", API_KEY, key, description);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String id = first.json().get(0).path("service_request_id").asText();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retryInXml.status()).isEqualTo(200);
        assertThat(retryInXml.xpath("/service_requests/request/service_request_id")).containsExactly(id);
        assertThat(storedIds(description)).containsExactly(id);
        assertThat(get("/v1/requests/" + id + ".json").json().get(0).path("description").asText()).isEqualTo(description);
    }

    @Test
    void aMultipartRetryWithItsPhotoIsStoredOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String description = "Töhryjä sillan kaiteessa " + key;
        long filesBefore = storedFiles();

        HttpAnswer first = postMultipart("/v1/requests.json", Map.of("Idempotency-Key", key), photoPost(description, TestImages.png()));
        HttpAnswer retry = postMultipart("/v1/requests.json", Map.of("Idempotency-Key", key), photoPost(description, TestImages.png()));
        HttpAnswer otherPhoto = postMultipart("/v1/requests.json", Map.of("Idempotency-Key", key), photoPost(description, TestImages.jpeg()));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String id = first.json().get(0).path("service_request_id").asText();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get(0).path("service_request_id").asText()).isEqualTo(id);
        assertThat(otherPhoto.status()).as("the same key with another photo").isEqualTo(422);
        assertThat(storedIds(description)).containsExactly(id);
        assertThat(storedFiles()).as("the photo kept once").isEqualTo(filesBefore + 1);
    }

    @Test
    void theSameKeyWithOtherContentIs422InTheErrorShapeAndChangesNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        String description = "Katuvalo ei pala " + key;
        HttpAnswer first = post("/v1/requests.json", API_KEY, key, description);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        HttpAnswer other = post("/v1/requests.json", API_KEY, key, "Toinen asia kokonaan " + key);
        HttpAnswer otherInXml = post("/v1/requests.xml", API_KEY, key, "Toinen asia kokonaan " + key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get(0).path("code").asInt()).isEqualTo(422);
        assertThat(other.json().get(0).path("description").asText()).startsWith("Idempotency-Key: already used for a different request");
        assertThat(otherInXml.status()).isEqualTo(422);
        assertThat(otherInXml.xpath("/errors/error/code")).containsExactly("422");
        assertThat(storedIds("Toinen asia kokonaan " + key)).isEmpty();
        assertThat(storedIds(description)).containsExactly(first.json().get(0).path("service_request_id").asText());
    }

    @Test
    void withoutTheHeaderEveryPostIsStored() throws Exception {
        String description = "Roska-astia täynnä " + UUID.randomUUID();

        HttpAnswer first = postForm("/v1/requests.json", form(API_KEY, description));
        HttpAnswer second = postForm("/v1/requests.json", form(API_KEY, description));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(storedIds(description)).hasSize(2).containsExactlyInAnyOrder(
                first.json().get(0).path("service_request_id").asText(), second.json().get(0).path("service_request_id").asText());
    }

    @Test
    void aMalformedKeyIs400AndStoresNothing() throws Exception {
        String description = "Avain on väärin muotoiltu " + UUID.randomUUID();
        for (String bad : List.of("two words", "k".repeat(256), "<script>")) {
            HttpAnswer answer = post("/v1/requests.json", API_KEY, bad, description);

            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.json().get(0).path("description").asText()).startsWith("Idempotency-Key:");
        }
        assertThat(storedIds(description)).isEmpty();
    }

    @Test
    void keysAreCountedPerApiKey() throws Exception {
        new ApiKeyAdmin(store()).ensure("second app", OTHER_API_KEY);
        String key = UUID.randomUUID().toString();
        String description = "Sama avain kahdelta sovellukselta " + key;

        HttpAnswer fromOne = post("/v1/requests.json", API_KEY, key, description);
        HttpAnswer fromOther = post("/v1/requests.json", OTHER_API_KEY, key, description);

        assertThat(fromOne.status()).as(fromOne.body()).isEqualTo(200);
        assertThat(fromOther.status()).as(fromOther.body()).isEqualTo(200);
        assertThat(storedIds(description)).hasSize(2);
    }

    @Test
    void concurrentTwinsStoreOneRequestAndAllAnswerItsId() throws Exception {
        String key = UUID.randomUUID().toString();
        String description = "Kahdeksan yhtäaikaista yritystä " + key;
        int twins = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(twins);
        try {
            List<Future<HttpAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < twins; i++) {
                answers.add(clients.submit((Callable<HttpAnswer>) () -> {
                    start.await();
                    return post("/v1/requests.json", API_KEY, key, description);
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<HttpAnswer> answer : answers) {
                HttpAnswer twin = answer.get();
                assertThat(twin.status()).as(twin.body()).isEqualTo(200);
                ids.add(twin.json().get(0).path("service_request_id").asText());
            }
            List<String> stored = storedIds(description);
            assertThat(stored).hasSize(1);
            assertThat(ids).containsOnly(stored.get(0));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void pastTheRetentionAKeyIsNewAgainAndIsCleanedUp() throws Exception {
        String key = UUID.randomUUID().toString();
        String description = "Puu kaatunut tielle " + key;
        HttpAnswer first = post("/v1/requests.json", API_KEY, key, description);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        ageKey(key, Duration.ofHours(25));
        HttpAnswer afterADay = post("/v1/requests.json", API_KEY, key, description);

        assertThat(afterADay.status()).as(afterADay.body()).isEqualTo(200);
        assertThat(afterADay.json().get(0).path("service_request_id").asText())
                .isNotEqualTo(first.json().get(0).path("service_request_id").asText());
        assertThat(storedIds(description)).hasSize(2);
        // the cleanup timer deletes expired keys (the requests stay)
        ageKey(key, Duration.ofHours(25));
        await().atMost(Duration.ofSeconds(30)).until(() -> keyRows(key) == 0);
        assertThat(storedIds(description)).hasSize(2);
    }

    private HttpAnswer post(String path, String apiKey, String idempotencyKey, String description) {
        return postForm(path, Map.of("Idempotency-Key", idempotencyKey), form(apiKey, description));
    }

    private static String[] form(String apiKey, String description) {
        return new String[] {"api_key", apiKey, "service_code", "200", "description", description, "lat", "60.1841", "long", "24.9519"};
    }

    private static List<Part> photoPost(String description, byte[] photo) {
        return List.of(field("api_key", API_KEY), field("service_code", "200"), field("description", description),
                field("lat", "60.1841"), field("long", "24.9519"), file("media", "photo.img", photo));
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    private List<String> storedIds(String description) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM service_request WHERE description = ?")) {
            select.setString(1, description);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** Makes the key's row look as old as this, as if that much time had passed. */
    private void ageKey(String key, Duration age) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE idempotency_key SET created_at = ? WHERE idempotency_key = ?")) {
            update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minus(age));
            update.setString(2, key);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private long keyRows(String key) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM idempotency_key WHERE idempotency_key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long storedFiles() throws Exception {
        try (Stream<Path> files = Files.list(mediaDir)) {
            return files.count();
        }
    }
}

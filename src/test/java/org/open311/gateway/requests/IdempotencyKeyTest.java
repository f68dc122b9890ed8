package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.media.Upload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyKeyTest {

    @Test
    void aKeyIsOneTokenOfUpTo255SafeCharactersQuotedOrNot() {
        assertThat(IdempotencyKey.of(List.of())).isNull();
        assertThat(IdempotencyKey.of(List.of("8e03978e-40d5-43e8-bc93-6894a57f9324"))).isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IdempotencyKey.of(List.of("\"01HZX3:a+b/c=\""))).isEqualTo("01HZX3:a+b/c=");
        assertThat(IdempotencyKey.of(List.of("k".repeat(255)))).hasSize(255);
    }

    @Test
    void anythingElseIs400NamingTheHeader() {
        for (List<String> bad : List.of(List.of(""), List.of("\"\""), List.of("k".repeat(256)), List.of("two words"),
                List.of("ä"), List.of("<script>"), List.of("a", "b"))) {
            assertThatThrownBy(() -> IdempotencyKey.of(bad)).as(bad.toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errors().get(0).description()).startsWith("Idempotency-Key:");
                    });
        }
    }

    @Test
    void theFingerprintIsTheContentWithoutTheApiKey() throws Exception {
        RequestForm form = form(Map.of("api_key", List.of("one"), "service_code", List.of("171"), "description", List.of("Kuoppa tiellä")));
        RequestForm sameWithOtherKey = form(Map.of("description", List.of("Kuoppa tiellä"), "service_code", List.of("171"), "api_key", List.of("two")));
        RequestForm otherText = form(Map.of("api_key", List.of("one"), "service_code", List.of("171"), "description", List.of("Kuoppa tiellä!")));
        // a value cannot move into a name unnoticed
        RequestForm shifted = form(Map.of("service_code", List.of("171description"), "", List.of("Kuoppa tiellä")));

        String fingerprint = PostFingerprint.of(form, List.of());

        assertThat(fingerprint).matches("[0-9a-f]{64}");
        assertThat(PostFingerprint.of(sameWithOtherKey, List.of())).isEqualTo(fingerprint);
        assertThat(PostFingerprint.of(otherText, List.of())).isNotEqualTo(fingerprint);
        assertThat(PostFingerprint.of(shifted, List.of())).isNotEqualTo(fingerprint);
    }

    @Test
    void theFingerprintCoversTheUploadedBytes() throws Exception {
        RequestForm form = form(Map.of("service_code", List.of("171")));
        Path one = Files.createTempFile("photo", ".jpg");
        Path other = Files.createTempFile("photo", ".jpg");
        Files.write(one, new byte[] {1, 2, 3});
        Files.write(other, new byte[] {1, 2, 4});

        String withOne = PostFingerprint.of(form, List.of(new Upload("media", "a.jpg", one, 3)));

        assertThat(PostFingerprint.of(form, List.of(new Upload("media", "b.jpg", one, 3)))).isEqualTo(withOne);
        assertThat(PostFingerprint.of(form, List.of(new Upload("media", "a.jpg", other, 3)))).isNotEqualTo(withOne);
        assertThat(PostFingerprint.of(form, List.of())).isNotEqualTo(withOne);
    }

    private static RequestForm form(Map<String, List<String>> fields) {
        return new RequestForm(new LinkedHashMap<>(fields));
    }
}

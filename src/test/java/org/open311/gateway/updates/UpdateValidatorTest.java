package org.open311.gateway.updates;

import org.junit.jupiter.api.Test;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.requests.RequestForm;

import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UpdateValidatorTest {

    @Test
    void aValidUpdateIsReadWithItsStatusInUpperCaseAndAnEmptyDescriptionAllowed() {
        NewUpdate update = UpdateValidator.validate(RequestForm.of(null, "service_request_id=r1&update_id=42&status=reopen"
                + "&updated_datetime=2026-11-29T10:00:00%2B02:00&description=&media_url=https://x.example/a.jpg&email=a@example.org"),
                ZoneOffset.UTC, List.of());

        assertThat(update.status()).isEqualTo("REOPEN");
        assertThat(update.description()).isEmpty();
        assertThat(update.updatedDatetime().toInstant().toString()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(update.mediaUrls()).containsExactly("https://x.example/a.jpg");
    }

    @Test
    void everyProblemIsNamedAtOnceWithoutRepeatingContactData() {
        ApiException refused = catchThrowableOfType(() -> UpdateValidator.validate(RequestForm.of(null,
                "status=SOLVED&updated_datetime=soon&email=nobody%40&phone=" + "1".repeat(51) + "&media_url=http://x/y.txt"),
                ZoneOffset.UTC, List.of("media: 'a.png' is not a JPEG, PNG, GIF or WebP image")), ApiException.class);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).doesNotContain("nobody@");
        assertThat(String.join("\n", refused.errors().stream().map(e -> e.description()).toList())).contains("media: 'a.png'", "service_request_id: required",
                "update_id: required", "status: must be one of", "description: required", "updated_datetime: must be",
                "email: not a valid", "phone: at most 50", "media_url: 'http://x/y.txt'");
    }
}

package org.open311.gateway.requests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Every profile of the W3C datetime format, a date meaning its start in the gateway's zone. */
class W3cDatetimeTest {

    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
            "2026,                          2025-12-31T22:00:00Z",
            "2026-05,                       2026-04-30T21:00:00Z",
            "2026-05-01,                    2026-04-30T21:00:00Z",
            "2026-01-15,                    2026-01-14T22:00:00Z",
            "2026-05-01T11:02+03:00,        2026-05-01T08:02:00Z",
            "2026-05-01T11:02:07Z,          2026-05-01T11:02:07Z",
            "2026-05-01T11:02:07.250-01:00, 2026-05-01T12:02:07.250Z"})
    void eachProfileNamesItsInstant(String text, String instant) {
        assertThat(W3cDatetime.parse(text, HELSINKI)).contains(OffsetDateTime.parse(instant));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"2026-5-1", "2026-05-01T11:02", "26-05-01", "2026-02-30", "20260501", "2026-05-01 11:02Z",
            "yesterday", "", "2026-13", "+12026-05-01"})
    void anythingElseIsNoW3cDatetime(String text) {
        assertThat(W3cDatetime.parse(text, HELSINKI)).isEmpty();
    }
}

package org.open311.gateway.requests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** Datetimes in answers are written directly; they must read exactly as the ISO formatter wrote them. */
class RequestRowsFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z", "2026-01-01T00:00:00Z",
            "1999-12-31T23:59:07Z", "2026-07-04T12:05:09.999Z"})
    void datetimesReadAsTheIsoFormatterWritesThem(String instant) {
        RequestRows rows = new RequestRows(ZoneId.of("Europe/Helsinki"));
        OffsetDateTime stored = OffsetDateTime.parse(instant);

        String written = rows.datetime(stored);

        assertThat(written).isEqualTo(stored.atZoneSameInstant(ZoneId.of("Europe/Helsinki")).toOffsetDateTime()
                .withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "America/St_Johns", "Asia/Kathmandu"})
    void otherZonesAndTheirOffsetsToo(String zone) {
        OffsetDateTime stored = OffsetDateTime.parse("2026-05-02T08:02:07Z");

        assertThat(new RequestRows(ZoneId.of(zone)).datetime(stored)).isEqualTo(stored.atZoneSameInstant(ZoneId.of(zone))
                .toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    @Test
    void theTextsShownAreTheModeratedOnesOnceEitherWasEdited() {
        assertThat(RequestRows.shown("Matin kuoppa", "Matti kaivoi kuopan", null, null))
                .isEqualTo(new RequestRows.Shown("Matin kuoppa", "Matti kaivoi kuopan"));
        assertThat(RequestRows.shown("Matin kuoppa", "Matti kaivoi kuopan", "Kuoppa", "Joku kaivoi kuopan"))
                .isEqualTo(new RequestRows.Shown("Kuoppa", "Joku kaivoi kuopan"));
        assertThat(RequestRows.shown("Matin kuoppa", "Matti kaivoi kuopan", null, "Joku kaivoi kuopan"))
                .as("the resident's title is not shown once the description was edited")
                .isEqualTo(new RequestRows.Shown("Joku kaivoi kuopan", "Joku kaivoi kuopan"));
        assertThat(RequestRows.shown("Matin kuoppa", "Kuoppa tiellä", "Kuoppa", null))
                .isEqualTo(new RequestRows.Shown("Kuoppa", "Kuoppa tiellä"));
    }
}

package org.open311.gateway.console;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times as the console shows them: UTC to the second, ISO 8601, so every instance and log line agrees. */
final class Times {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");

    private Times() {
    }

    static String iso(OffsetDateTime time) {
        return time == null ? "" : SHOWN.format(time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    static String iso(Instant time) {
        return time == null ? "" : iso(time.atOffset(ZoneOffset.UTC));
    }
}

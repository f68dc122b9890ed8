package org.open311.gateway.requests;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a value in any profile of the W3C datetime format (https://www.w3.org/TR/NOTE-datetime), which
 * the city's document names for every date parameter: {@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD},
 * and a date with a time to the minute, second or fraction of a second and a zone ({@code Z} or
 * {@code +hh:mm}). A value without a time means the start of that year, month or day in the gateway's
 * time zone (the format gives a time without a zone no meaning, so such values stay refused).
 */
public final class W3cDatetime {

    private static final Pattern DATE_ONLY = Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");

    private W3cDatetime() {
    }

    /** The instant the value names, in UTC; empty when it is no W3C datetime. */
    public static Optional<OffsetDateTime> parse(String text, ZoneId zone) {
        Matcher date = DATE_ONLY.matcher(text);
        try {
            if (date.matches()) {
                int year = Integer.parseInt(date.group(1));
                int month = date.group(2) == null ? 1 : Integer.parseInt(date.group(2));
                int day = date.group(3) == null ? 1 : Integer.parseInt(date.group(3));
                return Optional.of(LocalDate.of(year, month, day).atStartOfDay(zone).toOffsetDateTime()
                        .withOffsetSameInstant(ZoneOffset.UTC));
            }
            if (text.indexOf('T') != 10) {
                return Optional.empty();
            }
            return Optional.of(OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}

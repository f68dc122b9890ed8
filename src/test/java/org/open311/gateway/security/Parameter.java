package org.open311.gateway.security;

import java.util.List;
import java.util.Map;

/**
 * One parameter of an endpoint as the hostile corpus sees it: its kind and its limits (lengths, counts,
 * ranges, taken from {@code InputLimits}), whether a request needs it, and the other parameters a valid
 * value needs beside it (e.g. {@code long} with {@code lat}). {@link Variants} generates the values.
 */
record Parameter(String name, Kind kind, double low, double high, int maxCount, boolean required,
                 List<String> choices, Map<String, String> companions) {

    enum Kind {
        /** Plain text of low..high UTF-16 units, no control characters. */
        TEXT,
        /** An email address of at most high characters. */
        EMAIL,
        /** A decimal number from low to high. */
        DECIMAL,
        /** A whole number from low to high. */
        INTEGER,
        /** A W3C datetime with a zone, its year from low to high. */
        DATETIME,
        /** Repeatable http(s) URLs of media files: at most maxCount, each at most high characters. */
        MEDIA_URLS,
        /** One of choices. */
        CHOICE,
        /** Several of choices, each at most once. */
        CHOICES,
        /** A number given as text of at most high characters (an attribute answer). */
        NUMBER_TEXT,
        /** A comma list of at most maxCount values, each at most high characters (anything may match nothing). */
        COMMA_LIST,
        /** A comma list as COMMA_LIST whose values must name something the gateway has (choices; another is a 404). */
        CODE_LIST,
        /** A comma list of choices. */
        CHOICE_LIST,
        /** left,bottom,right,top in degrees. */
        BBOX,
        /** Read as a flag: "true" or anything else. */
        FLAG,
        /** Read, never refused (a locale on a GET: unknown means English; an ignored parameter). */
        FREE,
        /** A code that must name something that exists (an API key, a service): anything else is a 4xx. */
        REFERENCE
    }

    static Parameter of(String name, Kind kind, double low, double high) {
        return new Parameter(name, kind, low, high, 1, false, List.of(), Map.of());
    }

    Parameter needed() {
        return new Parameter(name, kind, low, high, maxCount, true, choices, companions);
    }

    Parameter atMost(int most) {
        return new Parameter(name, kind, low, high, most, required, choices, companions);
    }

    Parameter oneOf(List<String> values) {
        return new Parameter(name, kind, low, high, maxCount, required, values, companions);
    }

    /** Parameters a valid value of this one needs beside it. */
    Parameter with(String... nameValues) {
        Map<String, String> more = new java.util.LinkedHashMap<>(companions);
        for (int i = 0; i < nameValues.length; i += 2) {
            more.put(nameValues[i], nameValues[i + 1]);
        }
        return new Parameter(name, kind, low, high, maxCount, required, choices, Map.copyOf(more));
    }

    int maxLength() {
        return (int) high;
    }
}

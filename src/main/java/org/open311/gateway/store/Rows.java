package org.open311.gateway.store;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Rows as camel-jdbc returns them. */
public final class Rows {

    private Rows() {
    }

    /** H2 labels columns in upper case, PostgreSQL in lower case: one spelling for both. */
    public static Map<String, Object> lowerCaseKeys(Map<?, ?> row) {
        Map<String, Object> lower = new HashMap<>();
        row.forEach((key, value) -> lower.put(String.valueOf(key).toLowerCase(Locale.ROOT), value));
        return lower;
    }
}

package org.open311.gateway.catalogue;

import java.util.Locale;

/** The languages the catalogue is translated into. English is the fallback for everything. */
public enum Language {
    FI, SV, EN;

    /**
     * Maps a client's {@code locale} parameter to a language: {@code fi}, {@code fi_FI}, {@code fi-FI}
     * and the like map to their language; a missing or unknown locale falls back to English.
     */
    public static Language fromLocale(String locale) {
        if (locale == null || locale.isBlank()) {
            return EN;
        }
        String language = locale.trim().split("[_-]", 2)[0].toUpperCase(Locale.ROOT);
        for (Language candidate : values()) {
            if (candidate.name().equals(language)) {
                return candidate;
            }
        }
        return EN;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}

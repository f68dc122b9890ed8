package org.open311.gateway.catalogue;

/** A text in Finnish, Swedish and English; English is required by validation and is the fallback. */
public record LocalizedText(String fi, String sv, String en) {

    /** The text in the asked language, or the English text when that translation is missing. */
    public String in(Language language) {
        String text = switch (language) {
            case FI -> fi;
            case SV -> sv;
            case EN -> en;
        };
        return isBlank(text) ? orEmpty(en) : text;
    }

    public boolean hasEnglish() {
        return !isBlank(en);
    }

    static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}

package org.open311.gateway.catalogue;

import java.util.List;

/** Search keywords per language; a language without keywords falls back to the English ones. */
public record LocalizedKeywords(List<String> fi, List<String> sv, List<String> en) {

    public static final LocalizedKeywords NONE = new LocalizedKeywords(null, null, null);

    /** The keywords as GeoReport v2 lists them: one comma-separated string. */
    public String in(Language language) {
        List<String> words = switch (language) {
            case FI -> fi;
            case SV -> sv;
            case EN -> en;
        };
        if (words == null || words.isEmpty()) {
            words = en;
        }
        return words == null ? "" : String.join(",", words);
    }
}

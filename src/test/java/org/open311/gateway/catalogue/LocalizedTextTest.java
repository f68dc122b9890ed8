package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalizedTextTest {

    @Test
    void givesTheAskedLanguage() {
        LocalizedText text = new LocalizedText("Kuoppa", "Grop", "Pothole");

        assertThat(text.in(Language.FI)).isEqualTo("Kuoppa");
        assertThat(text.in(Language.SV)).isEqualTo("Grop");
        assertThat(text.in(Language.EN)).isEqualTo("Pothole");
    }

    @Test
    void missingOrBlankTranslationFallsBackToEnglish() {
        LocalizedText text = new LocalizedText(null, " ", "Pothole");

        assertThat(text.in(Language.FI)).isEqualTo("Pothole");
        assertThat(text.in(Language.SV)).isEqualTo("Pothole");
    }

    @Test
    void keywordsAreJoinedWithCommasAndFallBackToEnglish() {
        LocalizedKeywords keywords = new LocalizedKeywords(List.of("kuoppa", "asfaltti"), List.of(), List.of("pothole"));

        assertThat(keywords.in(Language.FI)).isEqualTo("kuoppa,asfaltti");
        assertThat(keywords.in(Language.SV)).isEqualTo("pothole");
        assertThat(LocalizedKeywords.NONE.in(Language.EN)).isEmpty();
    }
}

package org.open311.gateway.catalogue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

import static org.assertj.core.api.Assertions.assertThat;

class LanguageTest {

    @ParameterizedTest
    @CsvSource({"fi, FI", "fi_FI, FI", "fi-FI, FI", "FI, FI", "sv, SV", "sv_SE, SV", "sv_FI, SV", "en, EN",
            "en_GB, EN", "en_US, EN", "de, EN", "de_DE, EN", "'  ', EN", "x, EN", "'fi ', FI"})
    void localeMapsToItsLanguageOrEnglish(String locale, Language expected) {
        assertThat(Language.fromLocale(locale)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingLocaleIsEnglish(String locale) {
        assertThat(Language.fromLocale(locale)).isEqualTo(Language.EN);
    }
}

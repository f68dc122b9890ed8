package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/**
 * Unquoted values mean what YAML 1.2 (and admins' editors) say they mean: text stays text, and where
 * YAML reads a number or true/false but the file needs text, the edit is refused with a hint to quote it,
 * never served changed (YAML 1.1 read `yes` as true, `0300` as 192 and `3.10` as 3.1).
 */
class YamlValuesTest {

    @TempDir
    Path dir;

    @Test
    void unquotedYesAndNoStayWords() {
        copyFixture(dir);
        edit(dir, "services.yaml", "- key: seat\n            name: {fi: Istuin, en: Seat}",
                "- key: yes\n            name: {fi: Istuin, en: No}");

        ServiceEntry.ValueEntry value = CatalogueLoader.load(dir).service("400").orElseThrow().attributeList().get(1).valueList().get(0);

        assertThat(value.key()).isEqualTo("yes");
        assertThat(value.name().en()).isEqualTo("No");
    }

    @Test
    void anUnquotedCodeWithALeadingZeroIsRefusedWithAHintToQuoteIt() {
        copyFixture(dir);
        edit(dir, "services.yaml", "code: \"200\"", "code: 0300");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly("services.yaml:34:11: service '0300' (services[1]) field code:"
                        + " write it in quotes: \"0300\" (unquoted, YAML reads it as a number, not as text)"));
    }

    @Test
    void anUnquotedDecimalKeyIsRefusedRatherThanShortened() {
        copyFixture(dir);
        edit(dir, "services.yaml", "- key: legs", "- key: 3.10");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly("services.yaml:66:18: service '400' (services[3]) field"
                        + " attributes[1].values[1].key: write it in quotes: \"3.10\" (unquoted, YAML reads it as a number, not as text)"));
    }

    @Test
    void quotedValuesAreTakenAsWritten() {
        copyFixture(dir);
        edit(dir, "services.yaml", "code: \"200\"", "code: \"0300\"");
        edit(dir, "services.yaml", "- key: legs", "- key: \"3.10\"");

        Catalogue catalogue = CatalogueLoader.load(dir);

        assertThat(catalogue.service("0300")).isPresent();
        assertThat(catalogue.service("400").orElseThrow().attributeList().get(1).valueList().get(1).key()).isEqualTo("3.10");
    }

    @Test
    void textWhereTrueOrFalseBelongsIsRefused() {
        copyFixture(dir);
        edit(dir, "services.yaml", "    active: false\n", "    active: no\n");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly(
                        "services.yaml:42:13: service '300' (services[2]) field active: wrong value 'no': expected true or false"));
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLines() {
        copyFixture(dir);
        edit(dir, "services.yaml", "    name: {fi: Töhryt, en: Graffiti}\n", "    name: {fi: Töhryt, en: Graffiti}\n    name: {en: Tags}\n");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly(
                        "services.yaml:37:5: service '200' (services[1]) field name: key 'name' given twice (first at line 36): keep one"));
    }

    @Test
    void anEmptyValueIsNamed() {
        copyFixture(dir);
        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {crm_category: }");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly(
                        "services.yaml:40:28: service '200' (services[1]) field routing.crm_category: empty: fill it in or remove it"));
    }

    @Test
    void mistakesInBothFilesAreListedTogetherInFileOrder() throws Exception {
        copyFixture(dir);
        edit(dir, "services.yaml", "order: 1\n        datatype: number", "order: 0\n        datatype: number");
        edit(dir, "services.yaml", "  - code: \"200\"\n", "  - code: \"200\"\n    colour: red\n");
        Files.writeString(dir.resolve("statuses.yaml"), "crm: {states: {}, unknown_state: IN_PROCESS}\n");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class, e ->
                assertThat(e.problems()).containsExactly(
                        "services.yaml:30:16: service '100' (services[0]) field attributes[1].order: must be 1 or more",
                        "services.yaml:35:5: service '200' (services[1]) field colour: unknown key 'colour' (allowed here: active,"
                                + " attributes, code, description, group, keywords, name, routing)",
                        "statuses.yaml:1:1: aspa: required",
                        "statuses.yaml:1:15: crm field states: at least one entry is required"));
    }

    @Test
    void aRecursiveAliasIsRefusedNotFollowed() throws Exception {
        copyFixture(dir);
        Files.writeString(dir.resolve("services.yaml"), "services: &loop [*loop]\n");

        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageContaining("services.yaml:");
    }
}

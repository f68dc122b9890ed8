package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/** Each mistake a CRM admin can make is refused with a message naming the file, the entry and the field. */
class CatalogueLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shippedMappingsAreValid() {
        Catalogue catalogue = CatalogueLoader.load(Path.of("mappings"));

        assertThat(catalogue.activeServices()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(catalogue.activeServices()).allSatisfy(service -> {
            assertThat(service.name().fi()).as("Finnish name of %s", service.code()).isNotBlank();
            assertThat(service.name().sv()).as("Swedish name of %s", service.code()).isNotBlank();
        });
        assertThat(catalogue.activeServices()).anySatisfy(s -> assertThat(s.routing().isPublicWorks()).isTrue());
    }

    @Test
    void fixtureLoadsWithItsServicesGroupsAndStatuses() {
        Catalogue catalogue = CatalogueLoader.load(copyFixture(dir));

        assertThat(catalogue.activeServices()).extracting(ServiceEntry::code).containsExactly("100", "200", "400");
        assertThat(catalogue.service("300")).get().extracting(ServiceEntry::isActive).isEqualTo(false);
        assertThat(catalogue.service("100").orElseThrow().routing().aspaWorkType()).isEqualTo("POTHOLE_REPAIR");
        assertThat(catalogue.service("200").orElseThrow().routing().isPublicWorks()).isFalse();
        assertThat(catalogue.groupName("parks", Language.FI)).isEqualTo("Parks");
        assertThat(catalogue.statuses().ofCrmState("PROCESSED")).isEqualTo(DetailedStatus.PROCESSED);
        assertThat(catalogue.statuses().ofAspaState("NEW")).isEqualTo(DetailedStatus.PUBLIC_WORKS_NEW);
    }

    @Test
    void versionChangesExactlyWhenTheFilesDo() {
        copyFixture(dir);
        String first = CatalogueLoader.load(dir).version();

        assertThat(CatalogueLoader.load(dir).version()).isEqualTo(first);
        edit(dir, "services.yaml", "en: Graffiti}", "en: Graffiti removal}");
        assertThat(CatalogueLoader.load(dir).version()).isNotEqualTo(first);
    }

    @Test
    void unknownKey() {
        copyFixture(dir);
        edit(dir, "services.yaml", "  - code: \"200\"\n", "  - code: \"200\"\n    colour: red\n");

        assertRefused("services.yaml: service '200' (services[1]) field colour: unknown key 'colour'");
    }

    @Test
    void unknownKeyInAnAttribute() {
        copyFixture(dir);
        edit(dir, "services.yaml", "      - code: depth\n", "      - code: depth\n        mandatory: true\n");

        assertRefused("services.yaml: service '100' (services[0]) field attributes[1].mandatory: unknown key 'mandatory'");
    }

    @Test
    void unknownLanguage() {
        copyFixture(dir);
        edit(dir, "services.yaml", "name: {fi: Töhryt, en: Graffiti}", "name: {fi: Töhryt, de: Graffiti, en: Graffiti}");

        assertRefused("service '200' (services[1]) field name.de: unknown key 'de'");
    }

    @Test
    void duplicateServiceCode() {
        copyFixture(dir);
        edit(dir, "services.yaml", "code: \"400\"", "code: \"100\"");

        assertRefused("services.yaml: service '100' (services[3]) field code: duplicate service code, also used by services[0]");
    }

    @Test
    void anAspaWorkTypeLongerThanTheStoreKeeps() {
        copyFixture(dir);
        edit(dir, "services.yaml", "aspa_work_type: PARK_FURNITURE}", "aspa_work_type: " + "P".repeat(ServiceEntry.CODE_MAX + 1) + "}");

        assertRefused("services.yaml: service '400' (services[3]) field routing.aspa_work_type: at most 64 characters");
    }

    @Test
    void missingEnglishName() {
        copyFixture(dir);
        edit(dir, "services.yaml", "name: {fi: Töhryt, en: Graffiti}", "name: {fi: Töhryt}");

        assertRefused("services.yaml: service '200' (services[1]) field name.en: required");
    }

    @Test
    void missingEnglishInAnAttributeValue() {
        copyFixture(dir);
        edit(dir, "services.yaml", "name: {fi: Suuri, en: Large}", "name: {fi: Suuri}");

        assertRefused("services.yaml: service '100' (services[0]) field attributes[0].values[1].name.en: required");
    }

    @Test
    void unknownCrmStatus() {
        copyFixture(dir);
        edit(dir, "statuses.yaml", "PROCESSED: PROCESSED", "PROCESSED: FINISHED");

        assertRefused("statuses.yaml: crm field states.PROCESSED: unknown status 'FINISHED'");
    }

    @Test
    void aspaStatusInTheCrmVocabulary() {
        copyFixture(dir);
        edit(dir, "statuses.yaml", "IN_PROCESS: IN_PROCESS", "IN_PROCESS: PUBLIC_WORKS_IN_PROGRESS");

        assertRefused("statuses.yaml: crm field states.IN_PROCESS: unknown status 'PUBLIC_WORKS_IN_PROGRESS'");
    }

    @Test
    void unknownFallbackStatus() {
        copyFixture(dir);
        edit(dir, "statuses.yaml", "unknown_state: PUBLIC_WORKS_IN_PROGRESS", "unknown_state: MAYBE");

        assertRefused("statuses.yaml: aspa field unknown_state: unknown status 'MAYBE'");
    }

    @Test
    void attributeWithoutDatatype() {
        copyFixture(dir);
        edit(dir, "services.yaml", "        datatype: number\n", "");

        assertRefused("services.yaml: service '100' (services[0]) field attributes[1].datatype: required");
    }

    @Test
    void attributeWithUnknownDatatype() {
        copyFixture(dir);
        edit(dir, "services.yaml", "datatype: number", "datatype: integer");

        assertRefused("services.yaml: service '100' (services[0]) field attributes[1].datatype: unknown datatype 'integer'");
    }

    @Test
    void duplicateAttributeOrder() {
        copyFixture(dir);
        edit(dir, "services.yaml", "        order: 2\n        datatype: multivaluelist", "        order: 1\n        datatype: multivaluelist");

        assertRefused("services.yaml: service '400' (services[3]) field attributes[1].order: duplicate order 1, also used by attribute 'emergency'");
    }

    @Test
    void listAttributeWithoutValues() {
        copyFixture(dir);
        edit(dir, "services.yaml", "datatype: number", "datatype: singlevaluelist");

        assertRefused("service '100' (services[0]) field attributes[1].values: required for datatype singlevaluelist");
    }

    @Test
    void unknownGroup() {
        copyFixture(dir);
        edit(dir, "services.yaml", "    group: parks\n    name: {fi: Puistonpenkki", "    group: benches\n    name: {fi: Puistonpenkki");

        assertRefused("services.yaml: service '400' (services[3]) field group: unknown group 'benches'");
    }

    @Test
    void missingCrmCategory() {
        copyFixture(dir);
        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {}");

        assertRefused("services.yaml: service '200' (services[1]) field routing.crm_category: required");
    }

    @Test
    void wrongValueType() {
        copyFixture(dir);
        edit(dir, "services.yaml", "order: 2\n        datatype: singlevaluelist", "order: second\n        datatype: singlevaluelist");

        assertRefused("services.yaml: service '100' (services[0]) field attributes[0].order: wrong value");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        copyFixture(dir);
        edit(dir, "services.yaml", "description: {en: Report graffiti.}", "description: {en: Is it: graffiti?}");

        assertRefused("services.yaml: not valid YAML (line ");
    }

    @Test
    void allProblemsAreListedAtOnce() {
        copyFixture(dir);
        edit(dir, "services.yaml", "name: {fi: Töhryt, en: Graffiti}", "name: {fi: Töhryt}");
        edit(dir, "statuses.yaml", "PROCESSED: PROCESSED", "PROCESSED: FINISHED");

        assertThatThrownBy(() -> CatalogueLoader.load(dir))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @Test
    void missingFile() throws Exception {
        copyFixture(dir);
        Files.delete(dir.resolve("statuses.yaml"));

        assertRefused("statuses.yaml: cannot be read");
    }

    private void assertRefused(String expectedProblem) {
        assertThatThrownBy(() -> CatalogueLoader.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining(expectedProblem);
    }
}

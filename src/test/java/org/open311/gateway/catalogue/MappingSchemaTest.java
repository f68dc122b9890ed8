package org.open311.gateway.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/**
 * The published JSON Schemas (mappings/schema/) and the gateway agree: what an admin's editor says of a
 * file (a YAML 1.2 reader and a standard JSON Schema validator, nothing of the gateway's) is what the
 * gateway says, and the gateway's own Java checks only add what a schema cannot say.
 */
class MappingSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMAS = Path.of("mappings/schema");

    @TempDir
    Path dir;

    @Test
    void theShippedMappingsFitThePublishedSchemasAndLoad() throws Exception {
        assertThat(editorErrors("services", Files.readString(Path.of("mappings/services.yaml")))).isEmpty();
        assertThat(editorErrors("statuses", Files.readString(Path.of("mappings/statuses.yaml")))).isEmpty();
        assertThat(CatalogueLoader.load(Path.of("mappings")).size()).isPositive();
    }

    @Test
    void eachMappingFileNamesItsSchemaForEditors() throws Exception {
        for (String file : List.of("services", "statuses")) {
            String firstLine = Files.readAllLines(Path.of("mappings", file + ".yaml")).get(0);
            assertThat(firstLine).isEqualTo("# yaml-language-server: $schema=schema/" + file + ".schema.json");
            assertThat(Path.of("mappings", firstLine.substring(firstLine.indexOf('=') + 1))).isRegularFile();
        }
    }

    @Test
    void theGatewayChecksThePublishedSchemasThemselves() throws Exception {
        for (String file : List.of("services.schema.json", "statuses.schema.json")) {
            try (InputStream inJar = MappingSchema.class.getResourceAsStream("/mappings-schema/" + file)) {
                assertThat(inJar).as(file + " in the jar").isNotNull();
                assertThat(inJar.readAllBytes()).isEqualTo(Files.readAllBytes(SCHEMAS.resolve(file)));
            }
        }
    }

    @Test
    void theSchemasListTheValuesTheGatewayKnows() throws Exception {
        JsonNode services = JSON.readTree(SCHEMAS.resolve("services.schema.json").toFile());
        assertThat(texts(services.at("/definitions/attribute/properties/datatype/enum")))
                .containsExactlyElementsOf(Arrays.stream(Datatype.values()).map(Datatype::wireName).toList());
        JsonNode statuses = JSON.readTree(SCHEMAS.resolve("statuses.schema.json").toFile());
        assertThat(texts(statuses.at("/definitions/crmStatus/enum"))).containsExactlyElementsOf(namesOf(DetailedStatus.Source.CRM));
        assertThat(texts(statuses.at("/definitions/aspaStatus/enum"))).containsExactlyElementsOf(namesOf(DetailedStatus.Source.ASPA));
    }

    @Test
    void theSchemasLimitsAreTheStoresColumns() throws Exception {
        JsonNode services = JSON.readTree(SCHEMAS.resolve("services.schema.json").toFile());
        assertThat(services.at("/definitions/code/pattern").asText()).endsWith("{1," + ServiceEntry.CODE_MAX + "}$");
        assertThat(services.at("/definitions/service/properties/routing/properties/aspa_work_type/maxLength").asInt())
                .isEqualTo(ServiceEntry.CODE_MAX);
    }

    static Stream<Arguments> mistakesTheSchemaCatches() {
        return Stream.of(
                Arguments.of("services.yaml", "  - code: \"200\"\n", "  - code: \"200\"\n    colour: red\n",
                        "services.yaml:35:5: service '200' (services[1]) field colour: unknown key 'colour' (allowed here: active,"
                                + " attributes, code, description, group, keywords, name, routing)"),
                Arguments.of("services.yaml", "name: {fi: Töhryt, en: Graffiti}", "name: {fi: Töhryt}",
                        "services.yaml:36:11: service '200' (services[1]) field name.en: required"),
                Arguments.of("services.yaml", "description: {en: Report graffiti.}", "description: {en: ' '}",
                        "services.yaml:37:23: service '200' (services[1]) field description.en: must not be empty"),
                Arguments.of("services.yaml", "code: \"200\"", "code: 0300",
                        "services.yaml:34:11: service '0300' (services[1]) field code: write it in quotes: \"0300\" (unquoted, YAML"
                                + " reads it as a number, not as text)"),
                Arguments.of("services.yaml", "code: \"200\"", "code: \"2 00\"",
                        "services.yaml:34:11: service '2 00' (services[1]) field code: use 1-64 letters, digits, '.', '_' or '-'"),
                Arguments.of("services.yaml", "- key: legs", "- key: 3.10",
                        "services.yaml:66:18: service '400' (services[3]) field attributes[1].values[1].key: write it in quotes:"
                                + " \"3.10\" (unquoted, YAML reads it as a number, not as text)"),
                Arguments.of("services.yaml", "name: {fi: Töhryt, en: Graffiti}", "name: {fi: Töhryt, en: true}",
                        "services.yaml:36:28: service '200' (services[1]) field name.en: write it in quotes: \"true\" (unquoted,"
                                + " YAML reads it as true or false, not as text)"),
                Arguments.of("services.yaml", "datatype: number", "datatype: integer",
                        "services.yaml:31:19: service '100' (services[0]) field attributes[1].datatype: unknown datatype 'integer'"
                                + " (one of string, number, datetime, text, singlevaluelist, multivaluelist)"),
                Arguments.of("services.yaml", "order: 1\n        datatype: number", "order: 0\n        datatype: number",
                        "services.yaml:30:16: service '100' (services[0]) field attributes[1].order: must be 1 or more"),
                Arguments.of("services.yaml", "    active: false\n", "    active: no\n",
                        "services.yaml:42:13: service '300' (services[2]) field active: wrong value 'no': expected true or false"),
                Arguments.of("services.yaml", "routing: {crm_category: CLEANING}", "routing: {}",
                        "services.yaml:40:14: service '200' (services[1]) field routing.crm_category: required"),
                Arguments.of("services.yaml", "aspa_work_type: PARK_FURNITURE", "aspa_work_type: " + "X".repeat(65),
                        "services.yaml:51:52: service '400' (services[3]) field routing.aspa_work_type: at most 64 characters"),
                Arguments.of("services.yaml", "      en: [graffiti, tag]", "      en: graffiti, tag",
                        "services.yaml:39:11: service '200' (services[1]) field keywords.en: wrong value 'graffiti, tag': expected a list"),
                Arguments.of("services.yaml", "  parks:\n    name: {en: Parks}\n", "  parks:\n    name: {en: Parks}\n    title: Parks\n",
                        "services.yaml:8:5: group 'parks' field title: unknown key 'title' (allowed here: name)"),
                Arguments.of("statuses.yaml", "PROCESSED: PROCESSED", "PROCESSED: FINISHED",
                        "statuses.yaml:22:16: crm field states.PROCESSED: unknown status 'FINISHED' (one of RECEIVED, IN_PROCESS,"
                                + " PROCESSED, ARCHIVED, REJECTED)"),
                Arguments.of("statuses.yaml", "  unknown_state: IN_PROCESS\n", "",
                        "statuses.yaml:19:3: crm field unknown_state: required"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("mistakesTheSchemaCatches")
    void anEditorAndTheGatewayRefuseTheSameMistake(String file, String from, String to, String gatewaySays) throws Exception {
        copyFixture(dir);
        edit(dir, file, from, to);

        assertThat(editorErrors(file.replace(".yaml", ""), Files.readString(dir.resolve(file)))).as("the editor's errors").isNotEmpty();
        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.problems()).containsExactly(gatewaySays));
    }

    static Stream<Arguments> mistakesOnlyTheGatewayCatches() {
        return Stream.of(
                Arguments.of("code: \"400\"", "code: \"100\"",
                        "services.yaml:47:11: service '100' (services[3]) field code: duplicate service code, also used by services[0]"),
                Arguments.of("    group: parks\n    name: {fi: Puistonpenkki", "    group: benches\n    name: {fi: Puistonpenkki",
                        "services.yaml:48:12: service '400' (services[3]) field group: unknown group 'benches' (define it under groups:)"),
                Arguments.of("datatype: number", "datatype: singlevaluelist",
                        "services.yaml:29:9: service '100' (services[0]) field attributes[1].values: required for datatype singlevaluelist"),
                Arguments.of("      - code: depth\n", "      - code: size\n",
                        "services.yaml:29:15: service '100' (services[0]) field attributes[1].code: duplicate attribute code 'size'"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("mistakesOnlyTheGatewayCatches")
    void referencesAndUniquenessAreTheGatewaysOwnChecks(String from, String to, String gatewaySays) throws Exception {
        copyFixture(dir);
        edit(dir, "services.yaml", from, to);

        assertThat(editorErrors("services", Files.readString(dir.resolve("services.yaml")))).as("what a schema cannot say").isEmpty();
        assertThatThrownBy(() -> CatalogueLoader.load(dir)).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.problems()).containsExactly(gatewaySays));
    }

    /** What an editor reports: the file read as YAML 1.2, checked by a standard JSON Schema validator against the published schema. */
    private static List<String> editorErrors(String name, String yaml) throws Exception {
        Object data = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(yaml);
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(JSON.readTree(SCHEMAS.resolve(name + ".schema.json").toFile()));
        return schema.validate(JSON.valueToTree(data)).stream().map(Error::toString).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> namesOf(DetailedStatus.Source source) {
        return Arrays.stream(DetailedStatus.values()).filter(s -> s.source() == source).map(Enum::name).toList();
    }
}

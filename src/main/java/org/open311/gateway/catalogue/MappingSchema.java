package org.open311.gateway.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The JSON Schema of one mapping file: mappings/schema/*.schema.json, the files admins' editors use
 * for validation and completion, shipped in the jar from the same source. Every way a file breaks
 * the schema becomes one message naming the file, line and column, entry and field; docs/mappings.md
 * lists them.
 */
final class MappingSchema {

    private static final Map<String, String> TYPE_WORDS = Map.of("string", "text", "integer", "a whole number",
            "number", "a number", "boolean", "true or false", "object", "keys with values (key: value)", "array", "a list");

    static final MappingSchema SERVICES = load("services.schema.json");
    static final MappingSchema STATUSES = load("statuses.schema.json");

    private final JsonNode document;
    private final Schema schema;

    private MappingSchema(JsonNode document, Schema schema) {
        this.document = document;
        this.schema = schema;
    }

    static MappingSchema forFile(String fileName) {
        return CatalogueValidator.SERVICES_FILE.equals(fileName) ? SERVICES : STATUSES;
    }

    private static MappingSchema load(String schemaFile) {
        try (InputStream in = MappingSchema.class.getResourceAsStream("/mappings-schema/" + schemaFile)) {
            if (in == null) {
                throw new IllegalStateException("mappings-schema/" + schemaFile + " is missing from the jar (see pom.xml)");
            }
            JsonNode document = new ObjectMapper().readTree(in);
            SchemaRegistryConfig config = SchemaRegistryConfig.builder().locale(Locale.ENGLISH).typeLoose(false).build();
            // patternErrorMessage: the message editors (VS Code, yaml-language-server) show for a pattern; so does the gateway
            Dialect draft7 = Dialect.builder(Dialects.getDraft7()).keyword(new AnnotationKeyword("patternErrorMessage")).build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(draft7, builder -> builder.schemaRegistryConfig(config));
            return new MappingSchema(document, registry.getSchema(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every way the file breaks the schema, in the order of the file; empty when it fits. */
    List<String> check(YamlTree tree) {
        record Problem(YamlTree.Position position, String text) {
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Problem> problems = new ArrayList<>();
        for (Error error : schema.validate(tree.root())) {
            List<Object> path = elements(error.getInstanceLocation());
            boolean namesAKey = error.getProperty() != null && List.of("required", "additionalProperties").contains(error.getKeyword());
            if (namesAKey) {
                path.add(error.getProperty());
            }
            YamlTree.Position position = "additionalProperties".equals(error.getKeyword())
                    ? tree.keyPositionOf(path).orElse(null) : tree.positionOf(path).orElse(null);
            String text = FilePlace.of(tree, path, position) + ": " + explain(error, tree, path);
            if (seen.add(text)) {
                problems.add(new Problem(position, text));
            }
        }
        return problems.stream()
                .sorted(Comparator.comparing((Problem p) -> p.position() == null ? 0 : p.position().line())
                        .thenComparing(p -> p.position() == null ? 0 : p.position().column()))
                .map(Problem::text).toList();
    }

    private String explain(Error error, YamlTree tree, List<Object> path) {
        JsonNode value = error.getInstanceNode();
        return switch (error.getKeyword()) {
            case "required" -> "required";
            case "additionalProperties" -> "unknown key '" + error.getProperty() + "' (allowed here: " + allowedKeys(error) + ")";
            case "type" -> wrongType(value, error.getSchemaNode(), tree, path);
            case "enum" -> "unknown " + schemaOf(error).path("title").asText("value") + " '" + tree.textAt(path) + "' (one of "
                    + StreamSupport.stream(error.getSchemaNode().spliterator(), false).map(JsonNode::asText)
                    .collect(Collectors.joining(", ")) + ")";
            case "pattern" -> schemaOf(error).path("patternErrorMessage").asText("does not match " + error.getSchemaNode().asText());
            case "minItems", "minProperties" -> "at least one entry is required";
            case "minimum" -> "must be " + error.getSchemaNode().asText() + " or more";
            case "maxLength" -> "at most " + error.getSchemaNode().asText() + " characters";
            default -> error.getMessage();
        };
    }

    /** "write it in quotes" when YAML read an unquoted scalar as a number or true/false where the schema wants text. */
    private static String wrongType(JsonNode value, JsonNode expected, YamlTree tree, List<Object> path) {
        if (value == null || value.isNull()) {
            return "empty: fill it in or remove it";
        }
        String written = tree.unquotedText(path).orElse(null);
        if ("string".equals(expected.asText()) && written != null) {
            return "write it in quotes: \"" + written + "\" (unquoted, YAML reads it as "
                    + (value.isBoolean() ? "true or false" : "a number") + ", not as text)";
        }
        String shown = value.isValueNode() ? " '" + tree.textAt(path) + "'" : "";
        return "wrong value" + shown + ": expected " + TYPE_WORDS.getOrDefault(expected.asText(), expected.asText());
    }

    /** The keys the schema object around an unknown key allows, for "allowed here: …". */
    private String allowedKeys(Error error) {
        JsonNode properties = schemaOf(error).path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList());
    }

    /** The schema object that holds the failed keyword (its title, properties, patternErrorMessage). */
    private JsonNode schemaOf(Error error) {
        List<Object> location = elements(error.getSchemaLocation().getFragment());
        if (!location.isEmpty()) {
            location.remove(location.size() - 1);
        }
        return document.at(YamlTree.pointer(location));
    }

    private static List<Object> elements(NodePath path) {
        List<Object> elements = new ArrayList<>();
        if (path == null) {
            return elements;
        }
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }
}

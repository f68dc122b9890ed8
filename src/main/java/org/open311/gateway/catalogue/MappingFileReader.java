package org.open311.gateway.catalogue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads one mapping file strictly: unknown keys, duplicate keys and wrong types are refused with a
 * message naming the file, the entry (with its service code where there is one) and the field.
 */
final class MappingFileReader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private MappingFileReader() {
    }

    static <T> T read(String fileName, byte[] content, Class<T> type) {
        JsonNode tree;
        try {
            tree = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            throw new MappingException(List.of(fileName + ": not valid YAML" + lineOf(e) + ": "
                    + yamlProblem(e)));
        } catch (java.io.IOException e) {
            throw new MappingException(List.of(fileName + ": cannot be read: " + e.getMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new MappingException(List.of(fileName + ": the file is empty"));
        }
        try {
            return YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new MappingException(List.of(where(fileName, tree, e) + ": unknown key '" + e.getPropertyName()
                    + "' (allowed here: " + allowed(e) + ")"));
        } catch (JsonMappingException e) {
            throw new MappingException(List.of(where(fileName, tree, e) + ": wrong value: "
                    + e.getOriginalMessage().split("\n")[0]));
        } catch (JsonProcessingException e) {
            throw new MappingException(List.of(fileName + ": " + e.getOriginalMessage()));
        }
    }

    /** "services.yaml: service '171' (services[3]) field attributes[0].colour". */
    private static String where(String fileName, JsonNode tree, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        StringBuilder field = new StringBuilder();
        String entry = null;
        for (int i = 0; i < path.size(); i++) {
            JsonMappingException.Reference ref = path.get(i);
            boolean serviceEntry = i == 1 && ref.getIndex() >= 0 && "services".equals(path.get(0).getFieldName());
            if (serviceEntry) {
                String code = tree.path("services").path(ref.getIndex()).path("code").asText("");
                entry = "service '" + code + "' (services[" + ref.getIndex() + "])";
                field.setLength(0);
                continue;
            }
            if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return fileName + ": " + (entry == null ? "" : entry + " ") + "field " + field;
    }

    private static String allowed(UnrecognizedPropertyException e) {
        return e.getKnownPropertyIds() == null ? "?" : e.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** SnakeYAML's message without its echo of the source lines: "while parsing…; expected…". */
    private static String yamlProblem(JsonProcessingException e) {
        return e.getOriginalMessage().lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
    }

    private static String lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}

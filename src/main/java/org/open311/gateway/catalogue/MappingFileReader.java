package org.open311.gateway.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one mapping file strictly: YAML 1.2 (text stays text), then its JSON Schema, then into its
 * Java shape. Each problem names the file, the line and column, the entry and the field.
 */
final class MappingFileReader {

    /** After the schema the tree has exactly the shape of the records: nothing is coerced or ignored. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private MappingFileReader() {
    }

    /** One file as read: its content, or the problems that stop it, and where each of its parts is written. */
    record Read<T>(T content, YamlTree tree, List<String> problems) {
    }

    static <T> Read<T> read(String fileName, byte[] bytes, Class<T> type) {
        YamlTree tree;
        try {
            tree = YamlTree.read(fileName, bytes);
        } catch (MappingException e) {
            return new Read<>(null, null, e.problems());
        }
        List<String> problems = new ArrayList<>(MappingSchema.forFile(fileName).check(tree));
        if (!problems.isEmpty()) {
            return new Read<>(null, tree, problems);
        }
        try {
            return new Read<>(MAPPER.treeToValue(tree.root(), type), tree, List.of());
        } catch (JsonMappingException e) {
            // the schema and the records disagree (e.g. a whole number too big for Java): still name the place
            List<Object> path = new ArrayList<>();
            e.getPath().forEach(ref -> path.add(ref.getIndex() >= 0 ? (Object) ref.getIndex() : ref.getFieldName()));
            return new Read<>(null, tree, List.of(FilePlace.of(tree, path) + ": wrong value: " + e.getOriginalMessage().split("\n")[0]));
        } catch (JsonProcessingException e) {
            return new Read<>(null, tree, List.of(fileName + ": " + e.getOriginalMessage()));
        }
    }
}

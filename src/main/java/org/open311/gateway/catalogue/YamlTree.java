package org.open311.gateway.catalogue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One mapping file read as YAML 1.2 with its core schema, as admins' editors read it: {@code yes} and
 * {@code no} are words, {@code 0300} is the number 300 (never octal 192), and an unquoted number or
 * {@code true} where the schema expects text is refused with a hint to quote it instead of being served
 * changed. Keeps the line and column of every key and value, and the text of each unquoted scalar that
 * YAML read as something other than text.
 */
final class YamlTree {

    /** Deeper than any mapping file needs; stops a recursive alias (&a [*a]) from looping. */
    private static final int MAX_DEPTH = 32;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A line and a column, counted from 1 as editors show them. */
    record Position(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    private final String fileName;
    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Position> keys = new HashMap<>();
    private final Map<String, String> unquoted = new HashMap<>();
    private final List<Duplicate> duplicates = new ArrayList<>();
    private JsonNode root;

    private YamlTree(String fileName) {
        this.fileName = fileName;
    }

    /** Reads the file, or throws a {@link MappingException} naming the line and column of a YAML mistake. */
    static YamlTree read(String fileName, byte[] content) {
        YamlTree tree = new YamlTree(fileName);
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setSchema(new CoreSchema()).build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeInputStream(new ByteArrayInputStream(content));
        } catch (MarkedYamlEngineException e) {
            throw new MappingException(List.of(fileName + e.getProblemMark().map(m -> ":" + position(m)).orElse("")
                    + ": not valid YAML: " + syntaxProblem(e)));
        } catch (YamlEngineException e) {
            throw new MappingException(List.of(fileName + ": not valid YAML: " + e.getMessage()));
        }
        if (document.isEmpty()) {
            throw new MappingException(List.of(fileName + ": the file is empty"));
        }
        tree.root = tree.convert(document.get(), List.of(), 0);
        tree.refuseDuplicates();
        return tree;
    }

    JsonNode root() {
        return root;
    }

    String fileName() {
        return fileName;
    }

    /** Where the node at {@code path} (names and indexes) was written; a missing node's nearest ancestor. */
    Optional<Position> positionOf(List<Object> path) {
        for (int end = path.size(); end >= 0; end--) {
            Position position = values.get(pointer(path.subList(0, end)).toString());
            if (position != null) {
                return Optional.of(position);
            }
        }
        return Optional.empty();
    }

    /** Where the key that names the node at {@code path} was written (an unknown key's own place). */
    Optional<Position> keyPositionOf(List<Object> path) {
        Position key = keys.get(pointer(path).toString());
        return key != null ? Optional.of(key) : positionOf(path);
    }

    /** The text of the scalar at {@code path} if it was written unquoted and YAML did not read it as text. */
    Optional<String> unquotedText(List<Object> path) {
        return Optional.ofNullable(unquoted.get(pointer(path).toString()));
    }

    /** The scalar at {@code path} as it was written ("0300", not 300), or "" if there is none. */
    String textAt(List<Object> path) {
        return unquotedText(path).orElseGet(() -> {
            JsonNode node = root.at(pointer(path));
            return node.isValueNode() && !node.isNull() ? node.asText() : "";
        });
    }

    static JsonPointer pointer(List<Object> path) {
        JsonPointer pointer = JsonPointer.empty();
        for (Object element : path) {
            pointer = element instanceof Integer index ? pointer.appendIndex(index) : pointer.appendProperty(String.valueOf(element));
        }
        return pointer;
    }

    private JsonNode convert(Node node, List<Object> path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MappingException(List.of(fileName + node.getStartMark().map(m -> ":" + position(m)).orElse("")
                    + ": not valid YAML: nested more than " + MAX_DEPTH + " levels deep"));
        }
        node.getStartMark().ifPresent(mark -> values.put(pointer(path).toString(), position(mark)));
        if (node instanceof MappingNode mapping) {
            return object(mapping, path, depth);
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            for (Node item : sequence.getValue()) {
                array.add(convert(item, append(path, array.size()), depth + 1));
            }
            return array;
        }
        return scalar((ScalarNode) node, path);
    }

    private ObjectNode object(MappingNode mapping, List<Object> path, int depth) {
        ObjectNode object = NODES.objectNode();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Position keyPosition = keyNode.getStartMark().map(YamlTree::position).orElse(null);
            if (!(keyNode instanceof ScalarNode key)) {
                throw new MappingException(List.of(fileName + (keyPosition == null ? "" : ":" + keyPosition)
                        + ": not valid YAML: a key must be a plain name, not a list or a mapping"));
            }
            // a key is the name as written: `yes:` and `0300:` are names, never true or 192
            String name = key.getValue();
            List<Object> child = append(path, name);
            if (object.has(name)) {
                duplicates.add(new Duplicate(child, keyPosition, keys.get(pointer(child).toString())));
                continue;
            }
            if (keyPosition != null) {
                keys.put(pointer(child).toString(), keyPosition);
            }
            object.set(name, convert(tuple.getValueNode(), child, depth + 1));
        }
        return object;
    }

    private JsonNode scalar(ScalarNode scalar, List<Object> path) {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        JsonNode value;
        if (Tag.NULL.equals(tag)) {
            value = NODES.nullNode();
        } else if (Tag.BOOL.equals(tag)) {
            value = NODES.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
        } else if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            try {
                value = Tag.INT.equals(tag) ? NODES.numberNode(coreInteger(text)) : coreFloat(text);
            } catch (NumberFormatException e) {
                return NODES.textNode(text);
            }
        } else {
            return NODES.textNode(text);
        }
        if (scalar.isPlain()) {
            unquoted.put(pointer(path).toString(), text);
        }
        return value;
    }

    /** YAML 1.2 core integers: decimal (leading zeros are decimal), 0o octal, 0x hexadecimal. */
    private static BigInteger coreInteger(String text) {
        String digits = text.startsWith("+") ? text.substring(1) : text;
        if (digits.startsWith("0o")) {
            return new BigInteger(digits.substring(2), 8);
        }
        if (digits.startsWith("0x")) {
            return new BigInteger(digits.substring(2), 16);
        }
        return new BigInteger(digits);
    }

    private static JsonNode coreFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".inf") || lower.endsWith(".nan")) {
            return NODES.numberNode(lower.endsWith(".nan") ? Double.NaN
                    : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return NODES.numberNode(new BigDecimal(text));
    }

    private void refuseDuplicates() {
        if (duplicates.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Duplicate duplicate : duplicates) {
            List<Object> path = duplicate.path();
            problems.add(FilePlace.of(this, path, duplicate.at()) + ": key '" + path.get(path.size() - 1) + "' given twice"
                    + (duplicate.first() == null ? "" : " (first at line " + duplicate.first().line() + ")") + ": keep one");
        }
        throw new MappingException(problems);
    }

    private record Duplicate(List<Object> path, Position at, Position first) {
    }

    private static List<Object> append(List<Object> path, Object element) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(element);
        return List.copyOf(longer);
    }

    private static Position position(Mark mark) {
        return new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** SnakeYAML's words without its echo of the source: "while parsing a flow mapping; expected ',' or '}', but got ':'". */
    private static String syntaxProblem(MarkedYamlEngineException e) {
        String context = e.getContext();
        return (context == null || context.isBlank() ? "" : context + "; ") + e.getProblem();
    }
}

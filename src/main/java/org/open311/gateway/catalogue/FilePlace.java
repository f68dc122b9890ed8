package org.open311.gateway.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names a place in a mapping file the way every message does: the file, the line and column (as
 * editors count them), the entry and the field, e.g.
 * {@code services.yaml:37:7: service '200' (services[1]) field routing.crm_category}.
 */
final class FilePlace {

    /** The start of a message of {@link CatalogueValidator}: "services.yaml: service '200' (services[1]) field code: …". */
    private static final Pattern VALIDATOR_MESSAGE = Pattern.compile(
            "^(?<file>[\\w.-]+\\.yaml): (?:service '[^']*' \\(services\\[(?<index>\\d+)]\\)|group '(?<group>[^']*)'|(?<vocabulary>crm|aspa))?"
                    + "(?: ?field (?<field>[^:]+))?:");
    private static final Pattern FIELD_PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private FilePlace() {
    }

    /** "services.yaml:37:7: service '200' (services[1]) field routing.crm_category", placed at the node at {@code path}. */
    static String of(YamlTree tree, List<Object> path) {
        return of(tree, path, tree.positionOf(path).orElse(null));
    }

    static String of(YamlTree tree, List<Object> path, YamlTree.Position position) {
        String where = describe(tree, path);
        return tree.fileName() + (position == null ? "" : ":" + position) + (where.isEmpty() ? "" : ": " + where);
    }

    /** The entry and field of {@code path}: "service '200' (services[1]) field routing.crm_category", "crm field states.DONE". */
    static String describe(YamlTree tree, List<Object> path) {
        if (path.isEmpty()) {
            return "";
        }
        Object first = path.get(0);
        if (CatalogueValidator.SERVICES_FILE.equals(tree.fileName()) && "services".equals(first)
                && path.size() > 1 && path.get(1) instanceof Integer index) {
            String code = tree.textAt(List.of("services", index, "code"));
            return withField("service '" + code + "' (services[" + index + "])", path.subList(2, path.size()));
        }
        if (CatalogueValidator.SERVICES_FILE.equals(tree.fileName()) && "groups".equals(first) && path.size() > 1) {
            return withField("group '" + path.get(1) + "'", path.subList(2, path.size()));
        }
        if (CatalogueValidator.STATUSES_FILE.equals(tree.fileName())) {
            return withField(String.valueOf(first), path.subList(1, path.size()));
        }
        return "field " + field(path);
    }

    /**
     * Adds the line and column to a message of {@link CatalogueValidator}, which names the entry and the
     * field but not where they are: the place of the field, or of its nearest part that is written.
     */
    static String locate(String problem, Map<String, YamlTree> trees) {
        Matcher message = VALIDATOR_MESSAGE.matcher(problem);
        if (!message.find() || !trees.containsKey(message.group("file"))) {
            return problem;
        }
        YamlTree tree = trees.get(message.group("file"));
        List<Object> path = new ArrayList<>();
        if (message.group("index") != null) {
            path.addAll(List.of("services", Integer.parseInt(message.group("index"))));
        } else if (message.group("group") != null) {
            path.addAll(List.of("groups", message.group("group")));
        } else if (message.group("vocabulary") != null) {
            path.add(message.group("vocabulary"));
        }
        if (message.group("field") != null) {
            path.addAll(fieldPath(message.group("field").trim()));
        }
        Optional<YamlTree.Position> position = tree.positionOf(path);
        return position.map(p -> tree.fileName() + ":" + p + problem.substring(tree.fileName().length())).orElse(problem);
    }

    private static String withField(String entry, List<Object> rest) {
        return rest.isEmpty() ? entry : entry + " field " + field(rest);
    }

    /** "attributes[1].values[0].name.en" */
    static String field(List<Object> path) {
        StringBuilder field = new StringBuilder();
        for (Object element : path) {
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(element);
            }
        }
        return field.toString();
    }

    private static List<Object> fieldPath(String field) {
        List<Object> path = new ArrayList<>();
        Matcher part = FIELD_PART.matcher(field);
        while (part.find()) {
            path.add(part.group(2) != null ? (Object) Integer.parseInt(part.group(2)) : part.group(1));
        }
        return path;
    }
}

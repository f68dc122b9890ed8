package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an XML answer against an OpenAPI schema, as GeoReport v2 writes XML: element names from the
 * schemas' {@code xml.name}, a list as a parent whose children are its items, an object's fields as
 * child elements (only declared ones; every required one present), and a leaf's text by its type.
 * The Atlassian validator checks JSON bodies only; this covers the same schemas for XML.
 */
final class XmlShapeCheck {

    private final JsonNode document;
    private final List<String> problems = new ArrayList<>();

    private XmlShapeCheck(JsonNode document) {
        this.document = document;
    }

    /** Every difference between the XML root and the schema, each with its path; empty if none. */
    static List<String> problems(JsonNode document, JsonNode schema, Element root) {
        XmlShapeCheck check = new XmlShapeCheck(document);
        JsonNode resolved = check.resolve(schema);
        String expected = resolved.path("xml").path("name").asText();
        if (!root.getNodeName().equals(expected)) {
            check.problems.add("/" + root.getNodeName() + ": root should be <" + expected + ">");
        }
        check.element(root, resolved, "/" + root.getNodeName());
        return check.problems;
    }

    private void element(Element element, JsonNode schema, String path) {
        switch (schema.path("type").asText()) {
            case "array" -> list(element, resolve(schema.path("items")), path);
            case "object" -> object(element, schema, path);
            default -> leaf(element, schema, path);
        }
    }

    private void list(Element element, JsonNode items, String path) {
        String itemName = items.path("xml").path("name").asText();
        for (Element child : children(element)) {
            if (!child.getNodeName().equals(itemName)) {
                problems.add(path + ": <" + child.getNodeName() + "> where items are <" + itemName + ">");
            } else {
                element(child, items, path + "/" + itemName);
            }
        }
    }

    private void object(Element element, JsonNode schema, String path) {
        JsonNode properties = schema.path("properties");
        Set<String> present = new LinkedHashSet<>();
        for (Element child : children(element)) {
            String name = child.getNodeName();
            present.add(name);
            if (!properties.has(name)) {
                problems.add(path + ": <" + name + "> is not in the schema");
            } else {
                element(child, resolve(properties.get(name)), path + "/" + name);
            }
        }
        schema.path("required").forEach(required -> {
            if (!present.contains(required.asText())) {
                problems.add(path + ": required <" + required.asText() + "> is missing");
            }
        });
    }

    private void leaf(Element element, JsonNode schema, String path) {
        if (!children(element).isEmpty()) {
            problems.add(path + ": has child elements where the schema has a " + schema.path("type").asText());
            return;
        }
        String text = element.getTextContent();
        if (text.isEmpty() && schema.path("nullable").asBoolean(false)) {
            return;
        }
        boolean fits = switch (schema.path("type").asText()) {
            case "boolean" -> text.equals("true") || text.equals("false");
            case "integer" -> text.matches("-?\\d+");
            case "number" -> text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
            default -> true;
        };
        if (!fits) {
            problems.add(path + ": '" + text + "' is not a " + schema.path("type").asText());
        }
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.path("enum").forEach(value -> allowed.add(value.asText()));
            if (!allowed.contains(text)) {
                problems.add(path + ": '" + text + "' is not one of " + allowed);
            }
        }
    }

    private static List<Element> children(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement) {
                children.add(childElement);
            }
        }
        return children;
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.isEmpty() ? node : resolve(document.at(ref.substring(1)));
    }
}

package org.open311.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Datatype;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.requests.InputLimits;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code attribute[CODE]} form fields of the catalogue in service, as OpenAPI properties of the posted
 * form. Code generators send only the fields a schema names (none understands {@code deepObject} in a
 * form, nor {@code additionalProperties}), so each attribute code gets a property of its own: a
 * multivaluelist's as {@code attribute[CODE][]}, an array sent once per value. A code several services
 * share gets one property (the union of their values); whether each service asking it requires it is in its
 * description (a requirement is per service, so never required in the schema).
 */
public final class AttributeFields {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One form field: its name and its schema. */
    public record Field(String name, ObjectNode schema, boolean repeated) {
    }

    private AttributeFields() {
    }

    /** Every attribute field of the active services, ordered by name (a generated client's parameters stay put). */
    public static List<Field> of(Catalogue catalogue) {
        Map<String, Uses> byName = new TreeMap<>();
        for (ServiceEntry service : catalogue.activeServices()) {
            for (ServiceEntry.AttributeEntry attribute : service.attributeList()) {
                if (attribute.isVariable()) {
                    boolean repeated = attribute.type() == Datatype.MULTIVALUELIST;
                    String name = "attribute[" + attribute.code() + "]" + (repeated ? "[]" : "");
                    byName.computeIfAbsent(name, n -> new Uses(repeated)).add(service, attribute);
                }
            }
        }
        List<Field> fields = new ArrayList<>();
        byName.forEach((name, uses) -> fields.add(new Field(name, uses.schema(), uses.repeated)));
        return fields;
    }

    /** The services that ask one attribute code, with one datatype kind (repeated or not). */
    private static final class Uses {
        private final boolean repeated;
        private final Set<Datatype> datatypes = new LinkedHashSet<>();
        private final Set<String> keys = new LinkedHashSet<>();
        private final List<String> askedBy = new ArrayList<>();

        Uses(boolean repeated) {
            this.repeated = repeated;
        }

        void add(ServiceEntry service, ServiceEntry.AttributeEntry attribute) {
            datatypes.add(attribute.type());
            attribute.valueList().forEach(v -> keys.add(v.key()));
            String question = attribute.description() == null ? attribute.code() : attribute.description().in(Language.EN);
            askedBy.add("service " + service.code() + " (" + service.name().in(Language.EN) + "): " + question
                    + (attribute.isRequired() ? " (required there: a post to it without this field is a 400)" : " (optional)"));
        }

        ObjectNode schema() {
            ObjectNode value = valueSchema();
            String description = "Answer to the attribute of " + String.join("; ", askedBy) + ". Checked against the"
                    + " chosen service's definition (services/{service_code}); a field another service asks is a 400.";
            if (!repeated) {
                return value.put("description", description);
            }
            // no uniqueItems: openapi-generator's Java clients then take a Set and fail to compile
            ObjectNode array = NODES.objectNode().put("type", "array")
                    .put("description", description + " One field per chosen value, each value at most once.");
            array.set("items", value);
            return array;
        }

        /** A number or a datetime where every service agrees, a choice among the union of keys, or else text. */
        private ObjectNode valueSchema() {
            ObjectNode value = NODES.objectNode();
            Datatype only = datatypes.size() == 1 ? datatypes.iterator().next() : null;
            if (only == Datatype.NUMBER) {
                return value.put("type", "number");
            }
            value.put("type", "string");
            if (only == Datatype.DATETIME) {
                return value.put("format", "date-time");
            }
            if (only != null && only.isList() && !keys.isEmpty()) {
                keys.forEach(value.putArray("enum")::add);
                return value;
            }
            return value.put("maxLength", InputLimits.ATTRIBUTE_VALUE_MAX);
        }
    }
}

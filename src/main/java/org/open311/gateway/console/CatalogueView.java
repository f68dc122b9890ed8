package org.open311.gateway.console;

import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.LocalizedText;
import org.open311.gateway.catalogue.ServiceEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The catalogue in service as the console shows it to a CRM admin: each service's texts in Finnish,
 * Swedish and English side by side (an empty one is what clients get in English), where it is routed
 * (the CRM category, an Aspa work type, the back ends that receive it), its attributes, and the status
 * vocabularies; and the refused edit on disk, each problem with file, line and column.
 */
public final class CatalogueView {

    public record Texts(String fi, String sv, String en) {
        static Texts of(LocalizedText text) {
            return text == null ? new Texts("", "", "") : new Texts(blank(text.fi()), blank(text.sv()), blank(text.en()));
        }
    }

    public record Value(String key, Texts name) {
    }

    public record Attribute(String code, String datatype, boolean required, boolean variable, Texts description, List<Value> values) {
    }

    public record Service(String code, boolean active, String group, Texts name, Texts description, String crmCategory,
                          String aspaWorkType, List<String> backends, List<Attribute> attributes) {
    }

    public record State(String state, String detailedStatus) {
    }

    public record Vocabulary(String section, List<State> states) {
    }

    public record View(String version, String loadedAt, String source, List<Service> services, List<Vocabulary> vocabularies,
                       List<String> refusedEdit) {
    }

    private final LiveCatalogue catalogue;
    /** The back ends a new request of a service is forwarded to (backends/IntakeTasks decides). */
    private final Function<String, List<String>> receivers;

    public CatalogueView(LiveCatalogue catalogue, Function<String, List<String>> receivers) {
        this.catalogue = catalogue;
        this.receivers = receivers;
    }

    public View read() {
        Catalogue current = catalogue.current();
        List<Service> services = current.codes().stream().sorted()
                .map(code -> service(current.service(code).orElseThrow())).toList();
        List<Vocabulary> vocabularies = new ArrayList<>();
        for (String section : List.of("crm", "aspa", "open311")) {
            Map<String, String> states = new TreeMap<>();
            current.statuses().states(section).forEach((state, detailed) -> states.put(state, detailed.name()));
            vocabularies.add(new Vocabulary(section, states.entrySet().stream().map(e -> new State(e.getKey(), e.getValue())).toList()));
        }
        return new View(current.version(), Times.iso(current.loadedAt()), catalogue.source().wireName(), services, vocabularies,
                catalogue.refusedEdit().map(LiveCatalogue.Refusal::problems).orElse(List.of()));
    }

    private Service service(ServiceEntry entry) {
        List<Attribute> attributes = entry.attributeList().stream()
                .sorted(Comparator.comparing(a -> a.order() == null ? Integer.MAX_VALUE : a.order()))
                .map(a -> new Attribute(a.code(), a.datatype(), a.isRequired(), a.isVariable(), Texts.of(a.description()),
                        a.valueList().stream().map(v -> new Value(v.key(), Texts.of(v.name()))).toList()))
                .toList();
        List<String> receiving = entry.isActive() ? receivers.apply(entry.code()) : List.of();
        return new Service(entry.code(), entry.isActive(), blank(entry.group()), Texts.of(entry.name()), Texts.of(entry.description()),
                blank(entry.routing() == null ? null : entry.routing().crmCategory()),
                blank(entry.routing() == null ? null : entry.routing().aspaWorkType()), receiving, attributes);
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }

    /** Languages the console's preview offers (the CLI's --locale). */
    public static List<String> previewLanguages() {
        return java.util.Arrays.stream(Language.values()).map(Language::code).toList();
    }
}

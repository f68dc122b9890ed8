package org.open311.gateway.cli;

import org.open311.gateway.api.CatalogueApi;
import org.open311.gateway.api.view.ServiceDefinitionView;
import org.open311.gateway.api.view.ServiceView;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.LocalizedText;
import org.open311.gateway.catalogue.ServiceEntry;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the catalogue as clients will see it in one language: the very service list and definitions
 * the API answers (through {@link CatalogueApi}), plus, for the CRM admin, where each service is routed
 * and which of its texts fall back to English. The web console shows the same preview of a pasted draft.
 */
public final class CataloguePreview {

    private final Catalogue current;
    private final CatalogueApi api;

    CataloguePreview(LiveCatalogue catalogue) {
        this(catalogue.current());
    }

    /** The preview of a catalogue that is not (yet) in service, e.g. a draft checked in the web console. */
    public CataloguePreview(Catalogue catalogue) {
        this.current = catalogue;
        // only the API's methods that are given the catalogue are called: it needs no live one
        this.api = new CatalogueApi(null);
    }

    public void print(Language language, PrintWriter out) {
        out.println("== Catalogue in " + language.code() + " (locale=" + language.code() + "), version " + current.version() + " ==");
        for (ServiceView service : api.services(current, language).services()) {
            ServiceEntry entry = current.service(service.serviceCode()).orElseThrow();
            out.println();
            out.println(service.serviceCode() + "  " + service.serviceName());
            out.println("    group:       " + service.group());
            out.println("    description: " + service.description());
            out.println("    keywords:    " + (service.keywords().isBlank() ? "-" : service.keywords()));
            out.println("    routed to:   CRM " + entry.routing().crmCategory()
                    + (entry.routing().isPublicWorks() ? ", Aspa " + entry.routing().aspaWorkType() : ""));
            if (service.metadata()) {
                printAttributes(api.definition(current, service.serviceCode(), language), out);
            }
            List<String> untranslated = untranslated(entry, language);
            if (!untranslated.isEmpty()) {
                out.println("    shown in English (no " + language.code() + " text): " + String.join(", ", untranslated));
            }
        }
        out.println();
    }

    private static void printAttributes(ServiceDefinitionView definition, PrintWriter out) {
        out.println("    attributes:");
        for (ServiceDefinitionView.Attribute attribute : definition.attributes()) {
            out.println("      " + attribute.order() + ". " + attribute.code() + " (" + attribute.datatype()
                    + (attribute.required() ? ", required" : "") + (attribute.variable() ? "" : ", informs only") + "): "
                    + attribute.description()
                    + (attribute.datatypeDescription().isBlank() ? "" : " [" + attribute.datatypeDescription() + "]"));
            attribute.values().forEach(value -> out.println("           " + value.key() + " = " + value.name()));
        }
    }

    /** The fields whose text in this language is missing, so clients get the English one. */
    static List<String> untranslated(ServiceEntry service, Language language) {
        List<String> missing = new ArrayList<>();
        if (language == Language.EN) {
            return missing;
        }
        addIfMissing(missing, "name", service.name(), language);
        addIfMissing(missing, "description", service.description(), language);
        for (ServiceEntry.AttributeEntry attribute : service.attributeList()) {
            addIfMissing(missing, "attributes." + attribute.code() + ".description", attribute.description(), language);
            for (ServiceEntry.ValueEntry value : attribute.valueList()) {
                addIfMissing(missing, "attributes." + attribute.code() + ".values." + value.key(), value.name(), language);
            }
        }
        return missing;
    }

    private static void addIfMissing(List<String> missing, String field, LocalizedText text, Language language) {
        String translated = text == null ? null : language == Language.FI ? text.fi() : text.sv();
        if (text != null && (translated == null || translated.isBlank())) {
            missing.add(field);
        }
    }
}

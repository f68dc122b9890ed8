package org.open311.gateway.api;

import org.open311.gateway.api.view.ServiceDefinitionView;
import org.open311.gateway.api.view.ServiceList;
import org.open311.gateway.api.view.ServiceView;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.catalogue.LocalizedText;

import java.util.Comparator;

/** Maps the catalogue in service to GeoReport v2's service list and service definitions, localised. */
public final class CatalogueApi {

    private final LiveCatalogue catalogue;

    public CatalogueApi(LiveCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public ServiceList services(String locale) {
        return services(catalogue.current(), Language.fromLocale(locale));
    }

    public ServiceDefinitionView definition(String code, String locale) {
        return definition(catalogue.current(), code, Language.fromLocale(locale));
    }

    /** The catalogue in service: one version, for answers that must all come from the same one. */
    public Catalogue current() {
        return catalogue.current();
    }

    public ServiceList services(Catalogue current, Language language) {
        return new ServiceList(current.activeServices().stream()
                .map(service -> view(current, service, language))
                .toList());
    }

    public ServiceDefinitionView definition(Catalogue current, String code, Language language) {
        ServiceEntry service = current.activeService(code).orElseThrow(() ->
                ApiException.notFound("Service '" + ApiException.quoteSafe(code) + "' not found"));
        return new ServiceDefinitionView(service.code(), service.attributeList().stream()
                .sorted(Comparator.comparing(ServiceEntry.AttributeEntry::order))
                .map(attribute -> attribute(attribute, language))
                .toList());
    }

    private static ServiceView view(Catalogue catalogue, ServiceEntry service, Language language) {
        return new ServiceView(
                service.code(),
                service.name().in(language),
                service.description().in(language),
                !service.attributeList().isEmpty(),
                "realtime",
                service.keywordsOrNone().in(language),
                catalogue.groupName(service.group(), language));
    }

    private static ServiceDefinitionView.Attribute attribute(ServiceEntry.AttributeEntry attribute, Language language) {
        return new ServiceDefinitionView.Attribute(
                attribute.isVariable(),
                attribute.code(),
                attribute.type().wireName(),
                attribute.isRequired(),
                text(attribute.datatypeDescription(), language),
                attribute.order(),
                text(attribute.description(), language),
                attribute.valueList().stream()
                        .map(value -> new ServiceDefinitionView.Value(value.key(), value.name().in(language)))
                        .toList());
    }

    private static String text(LocalizedText text, Language language) {
        return text == null ? "" : text.in(language);
    }
}

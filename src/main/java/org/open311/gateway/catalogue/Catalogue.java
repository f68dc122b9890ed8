package org.open311.gateway.catalogue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One validated, immutable version of the mappings: the services, their groups and the status vocabularies. */
public final class Catalogue {

    private final String version;
    private final Instant loadedAt;
    private final List<ServiceEntry> services;
    private final Map<String, ServiceEntry> servicesByCode;
    private final Map<String, ServicesFile.Group> groups;
    private final StatusVocabulary statuses;

    public Catalogue(String version, Instant loadedAt, List<ServiceEntry> services,
                     Map<String, ServicesFile.Group> groups, StatusVocabulary statuses) {
        this.version = version;
        this.loadedAt = loadedAt;
        this.services = List.copyOf(services);
        this.groups = Map.copyOf(groups);
        this.statuses = statuses;
        Map<String, ServiceEntry> byCode = new LinkedHashMap<>();
        services.forEach(s -> byCode.put(s.code(), s));
        this.servicesByCode = Map.copyOf(byCode);
    }

    /** A short hash of the mapping files' content: changes exactly when the files do. */
    public String version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** The services clients may use, in file order (retired ones left out). */
    public List<ServiceEntry> activeServices() {
        return services.stream().filter(ServiceEntry::isActive).toList();
    }

    /** Any service, active or retired (stored requests keep showing their service's name). */
    public Optional<ServiceEntry> service(String code) {
        return Optional.ofNullable(code).map(servicesByCode::get);
    }

    public Optional<ServiceEntry> activeService(String code) {
        return service(code).filter(ServiceEntry::isActive);
    }

    public String groupName(String groupId, Language language) {
        ServicesFile.Group group = groups.get(groupId);
        return group == null ? "" : group.name().in(language);
    }

    public StatusVocabulary statuses() {
        return statuses;
    }

    public int size() {
        return services.size();
    }

    /** Every service code, active or retired. */
    public Set<String> codes() {
        return servicesByCode.keySet();
    }
}

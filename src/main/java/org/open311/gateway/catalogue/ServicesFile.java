package org.open311.gateway.catalogue;

import java.util.List;
import java.util.Map;

/** The content of mappings/services.yaml. */
public record ServicesFile(Map<String, Group> groups, List<ServiceEntry> services) {

    public record Group(LocalizedText name) {
    }
}

package org.open311.gateway.catalogue;

import java.util.Map;

/**
 * The content of mappings/statuses.yaml: each kind of back end's own state names and their Open311 meaning
 * ({@code open311}, a GeoReport server's open and closed, is optional).
 */
public record StatusesFile(Vocabulary crm, Vocabulary aspa, Vocabulary open311) {

    /**
     * @param states       back-end state name to detailed status
     * @param unknownState the detailed status shown for a state the file does not list
     */
    public record Vocabulary(Map<String, String> states, String unknownState) {
    }
}

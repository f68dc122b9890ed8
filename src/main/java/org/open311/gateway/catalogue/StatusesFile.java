package org.open311.gateway.catalogue;

import java.util.Map;

/** The content of mappings/statuses.yaml: each back end's own state names and their Open311 meaning. */
public record StatusesFile(Vocabulary crm, Vocabulary aspa) {

    /**
     * @param states       back-end state name to detailed status
     * @param unknownState the detailed status shown for a state the file does not list
     */
    public record Vocabulary(Map<String, String> states, String unknownState) {
    }
}

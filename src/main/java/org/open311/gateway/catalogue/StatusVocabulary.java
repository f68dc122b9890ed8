package org.open311.gateway.catalogue;

import java.util.Map;

/** Translates the back ends' state names into Open311 detailed statuses, as mappings/statuses.yaml says. */
public final class StatusVocabulary {

    private final Map<String, DetailedStatus> crm;
    private final DetailedStatus crmUnknown;
    private final Map<String, DetailedStatus> aspa;
    private final DetailedStatus aspaUnknown;

    public StatusVocabulary(Map<String, DetailedStatus> crm, DetailedStatus crmUnknown,
                            Map<String, DetailedStatus> aspa, DetailedStatus aspaUnknown) {
        this.crm = Map.copyOf(crm);
        this.crmUnknown = crmUnknown;
        this.aspa = Map.copyOf(aspa);
        this.aspaUnknown = aspaUnknown;
    }

    /** The detailed status of a CRM case state; an unlisted state maps to the file's {@code unknown_state}. */
    public DetailedStatus ofCrmState(String state) {
        return state == null ? crmUnknown : crm.getOrDefault(state, crmUnknown);
    }

    /** The detailed status of an Aspa work-order state; an unlisted state maps to {@code unknown_state}. */
    public DetailedStatus ofAspaState(String state) {
        return state == null ? aspaUnknown : aspa.getOrDefault(state, aspaUnknown);
    }

    public boolean knowsCrmState(String state) {
        return crm.containsKey(state);
    }

    public boolean knowsAspaState(String state) {
        return aspa.containsKey(state);
    }
}

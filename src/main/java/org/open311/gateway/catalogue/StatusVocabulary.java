package org.open311.gateway.catalogue;

import java.util.Map;

/** Translates the back ends' state names into Open311 detailed statuses, as mappings/statuses.yaml says. */
public final class StatusVocabulary {

    private final Map<String, DetailedStatus> crm;
    private final DetailedStatus crmUnknown;
    private final Map<String, DetailedStatus> aspa;
    private final DetailedStatus aspaUnknown;
    /** A GeoReport server's open/closed; without an open311 section in the file: open IN_PROCESS, closed PROCESSED. */
    private final Map<String, DetailedStatus> open311;
    private final DetailedStatus open311Unknown;

    public StatusVocabulary(Map<String, DetailedStatus> crm, DetailedStatus crmUnknown,
                            Map<String, DetailedStatus> aspa, DetailedStatus aspaUnknown) {
        this(crm, crmUnknown, aspa, aspaUnknown, Map.of("open", DetailedStatus.IN_PROCESS, "closed", DetailedStatus.PROCESSED),
                DetailedStatus.IN_PROCESS);
    }

    public StatusVocabulary(Map<String, DetailedStatus> crm, DetailedStatus crmUnknown,
                            Map<String, DetailedStatus> aspa, DetailedStatus aspaUnknown,
                            Map<String, DetailedStatus> open311, DetailedStatus open311Unknown) {
        this.open311 = Map.copyOf(open311);
        this.open311Unknown = open311Unknown;
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

    /**
     * The detailed status of a state in a section of mappings/statuses.yaml (a back end's vocabulary,
     * gateway.backend.&lt;name&gt;.statuses): {@code crm} or {@code aspa}.
     */
    public DetailedStatus of(String section, String state) {
        return switch (section) {
            case "crm" -> ofCrmState(state);
            case "aspa" -> ofAspaState(state);
            case "open311" -> state == null ? open311Unknown : open311.getOrDefault(state, open311Unknown);
            default -> throw new IllegalArgumentException("no status vocabulary '" + section + "' in mappings/statuses.yaml");
        };
    }

    /** Whether the section lists the state (an unlisted one is shown as the section's unknown_state, and logged). */
    public boolean knows(String section, String state) {
        return switch (section) {
            case "crm" -> knowsCrmState(state);
            case "aspa" -> knowsAspaState(state);
            case "open311" -> open311.containsKey(state);
            default -> false;
        };
    }

    /** The sections a back end may name. */
    public static boolean isSection(String section) {
        return "crm".equals(section) || "aspa".equals(section) || "open311".equals(section);
    }

    /** A section's states and the detailed status each means (the console shows the vocabularies). */
    public Map<String, DetailedStatus> states(String section) {
        return switch (section) {
            case "crm" -> crm;
            case "aspa" -> aspa;
            case "open311" -> open311;
            default -> Map.of();
        };
    }

    public boolean knowsCrmState(String state) {
        return crm.containsKey(state);
    }

    public boolean knowsAspaState(String state) {
        return aspa.containsKey(state);
    }
}

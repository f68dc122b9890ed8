package org.open311.gateway.backends;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of back end the gateway can talk to: each kind is one contract (docs/backends/), one field
 * mapping and one set of client routes. Any number of back ends of a kind can be configured.
 */
public enum BackendKind {
    /** A feedback CRM (docs/backends/feedback-crm.md): receives every request it is routed, decides the status. */
    FEEDBACK_CRM("feedback-crm", StatusMerge.Role.DECIDES, "crm", "Authorization", "/cases", "token", "the CRM's bearer token", "CRM"),
    /** Aspa, the public-works work-order system (docs/backends/aspa.md): its work orders are tasks. */
    ASPA("aspa", StatusMerge.Role.TASK, "aspa", "X-Api-Key", "/work-orders", "api-key", "Aspa's X-Api-Key", "Aspa"),
    /**
     * Any GeoReport v2 server (docs/backends/open311.md): requests are POSTed to it as a client would, its
     * status followed by polling its requests by id. Its api_key goes in the form, not a header.
     */
    OPEN311("open311", StatusMerge.Role.DECIDES, "open311", null, "/requests", "api-key", "the GeoReport server's api_key",
            "Open311 server");

    private final String id;
    private final StatusMerge.Role role;
    private final String vocabulary;
    private final String credentialHeader;
    private final String recordPath;
    private final String credentialSetting;
    private final String credentialDescription;
    private final String system;

    BackendKind(String id, StatusMerge.Role role, String vocabulary, String credentialHeader, String recordPath,
                String credentialSetting, String credentialDescription, String system) {
        this.system = system;
        this.recordPath = recordPath;
        this.credentialSetting = credentialSetting;
        this.credentialDescription = credentialDescription;
        this.id = id;
        this.role = role;
        this.vocabulary = vocabulary;
        this.credentialHeader = credentialHeader;
    }

    /** The name settings use: gateway.backend.&lt;name&gt;.kind=feedback-crm. */
    public String id() {
        return id;
    }

    public StatusMerge.Role role() {
        return role;
    }

    /** The section of mappings/statuses.yaml a back end of this kind reads its states with, unless configured. */
    public String defaultVocabulary() {
        return vocabulary;
    }

    /** The header the credential goes in (a bearer token for the CRM, an API key for Aspa). */
    public String credentialHeader() {
        return credentialHeader;
    }

    /**
     * Whether it follows the contract of the feedback CRM and Aspa (PUT a record, GET a change feed), or
     * GeoReport's (POST a form, poll requests by id): which route templates its routes are made from.
     */
    public boolean putsRecords() {
        return this != OPEN311;
    }

    /** The credential as the header carries it. */
    public String credentialValue(String credential) {
        return this == FEEDBACK_CRM ? "Bearer " + credential : credential;
    }

    /** Where a record lives under the back end's URL: /cases/{reference}, /work-orders/{reference}. */
    public String recordPath() {
        return recordPath;
    }

    /** The setting under gateway.backend.&lt;name&gt;. that holds the credential (a name Camel masks as a secret). */
    public String credentialSetting() {
        return credentialSetting;
    }

    /** What an operator calls a system of this kind, for messages: CRM, Aspa. */
    public String system() {
        return system;
    }

    public String credentialDescription() {
        return credentialDescription;
    }

    public static Optional<BackendKind> of(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(BackendKind::id).toList());
    }
}

package org.open311.gateway.backends;

import java.util.Locale;

/** The back ends requests are forwarded to; the name prefixes their columns in the store. */
public enum Backend {
    CRM, ASPA;

    /** Column prefix in service_request, e.g. {@code crm_forward}. Fixed names, never client input. */
    String column(String suffix) {
        return name().toLowerCase(Locale.ROOT) + "_" + suffix;
    }
}

package org.open311.gateway.catalogue;

import java.util.Arrays;
import java.util.Optional;

/**
 * The detailed status values of the Helsinki Open311 API ("Detailed status" chapter). The CRM's values
 * decide whether a request is open or closed; the PUBLIC_WORKS_* values describe an Aspa work order.
 */
public enum DetailedStatus {
    RECEIVED(Source.CRM, true),
    IN_PROCESS(Source.CRM, true),
    PROCESSED(Source.CRM, false),
    ARCHIVED(Source.CRM, false),
    REJECTED(Source.CRM, false),
    PUBLIC_WORKS_NEW(Source.ASPA, true),
    PUBLIC_WORKS_IN_PROGRESS(Source.ASPA, true),
    PUBLIC_WORKS_COMPLETED(Source.ASPA, false),
    PUBLIC_WORKS_COMPLETED_SCHEDULED_LATER(Source.ASPA, false),
    PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION(Source.ASPA, false),
    PUBLIC_WORKS_INTERRUPTED(Source.ASPA, false);

    public enum Source { CRM, ASPA }

    private final Source source;
    private final boolean open;

    DetailedStatus(Source source, boolean open) {
        this.source = source;
        this.open = open;
    }

    public static Optional<DetailedStatus> parse(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
    }

    public Source source() {
        return source;
    }

    /** The GeoReport v2 {@code status}; only meaningful for CRM values, which decide it. */
    public String open311Status() {
        return open ? "open" : "closed";
    }
}

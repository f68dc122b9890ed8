package org.open311.gateway.catalogue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** GeoReport v2 attribute datatypes. */
public enum Datatype {
    STRING, NUMBER, DATETIME, TEXT, SINGLEVALUELIST, MULTIVALUELIST;

    public static Optional<Datatype> fromWireName(String name) {
        return Arrays.stream(values()).filter(d -> d.wireName().equals(name)).findFirst();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isList() {
        return this == SINGLEVALUELIST || this == MULTIVALUELIST;
    }
}

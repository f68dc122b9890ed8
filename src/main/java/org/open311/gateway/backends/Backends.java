package org.open311.gateway.backends;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured back ends, in the order of gateway.backends (the order their statuses are merged in). */
public final class Backends {

    private final Map<String, BackendSpec> byName = new LinkedHashMap<>();

    public Backends(List<BackendSpec> specs) {
        specs.forEach(spec -> byName.put(spec.name(), spec));
    }

    public List<BackendSpec> all() {
        return List.copyOf(byName.values());
    }

    public Optional<BackendSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A back end a route or a stored row names: always configured (the routes are made from these specs). */
    public BackendSpec named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no back end named '" + name + "' is configured"));
    }

    /** The back ends a back end's records may ask for (gateway.backend.&lt;name&gt;.requested-by). */
    public List<BackendSpec> requestedBy(String name) {
        return byName.values().stream().filter(spec -> name.equals(spec.requestedBy())).toList();
    }

    /** The position of a back end in the configured order, for the merge; unknown ones last. */
    int order(String name) {
        int i = 0;
        for (String known : byName.keySet()) {
            if (known.equals(name)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }
}

package org.open311.gateway.health;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.util.Map;

/**
 * The catalogue in service, its version and whether an edit was refused. A refused edit does not make
 * the gateway unready (the last good catalogue serves on), but it shows here for the operators.
 */
public final class MappingsHealthCheck extends AbstractHealthCheck {

    private final LiveCatalogue catalogue;

    public MappingsHealthCheck(LiveCatalogue catalogue) {
        super("open311", "mappings");
        this.catalogue = catalogue;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Catalogue current = catalogue.current();
        builder.detail("version", current.version());
        builder.detail("loaded_at", current.loadedAt().toString());
        builder.detail("services", current.size());
        catalogue.lastRefusal().ifPresent(refusal -> builder.detail("refused_edit", refusal));
        builder.up();
    }
}

package org.open311.gateway.health;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.util.Map;

/**
 * The catalogue in service, its version, where it came from (the files, or the last good copy at a start
 * with refused files) and the refused edit still on disk, with every problem. A refused edit does not
 * make the gateway unready (the last good catalogue serves on), but it shows here for the operators.
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
        builder.detail("source", catalogue.source().wireName());
        builder.detail("refusals", catalogue.refusals());
        catalogue.refusedEdit().ifPresent(refusal -> {
            builder.detail("refused_edit", String.join("\n", refusal.problems()));
            builder.detail("refused_version", refusal.version());
            builder.detail("refused_at", refusal.at().toString());
        });
        builder.up();
    }
}

package org.open311.gateway.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.util.List;

/**
 * The mappings in service as Prometheus series (docs/operations.md), so a refused edit shows on a
 * dashboard and in alerts, not only in the log: every series exists from the start, the counter at 0.
 */
public final class MappingsMetrics {

    private MappingsMetrics() {
    }

    public static void bind(MeterRegistry registry, LiveCatalogue catalogue) {
        FunctionCounter.builder("open311.mappings.refusals", catalogue, LiveCatalogue::refusals)
                .description("Edits of the mapping files refused (each refused version once, a refusal at start included)")
                .register(registry);
        Gauge.builder("open311.mappings.refused.edit", catalogue, c -> c.refusedEdit().isPresent() ? 1 : 0)
                .description("1 while the mapping files on disk are a refused edit (an older version is in service), else 0")
                .strongReference(true).register(registry);
        Gauge.builder("open311.mappings.loaded.timestamp", catalogue, c -> c.current().loadedAt().toEpochMilli() / 1000.0)
                .description("When the catalogue in service was loaded (Unix time): the last good load")
                .baseUnit("seconds").strongReference(true).register(registry);
        MultiGauge info = MultiGauge.builder("open311.mappings.info")
                .description("Always 1: the version of the mappings in service and where it came from (files or last_good_copy)")
                .register(registry);
        Runnable showVersion = () -> {
            Catalogue current = catalogue.current();
            info.register(List.of(MultiGauge.Row.of(Tags.of("version", current.version(), "source", catalogue.source().wireName()), 1)), true);
        };
        showVersion.run();
        catalogue.whenReplaced(showVersion);
    }
}

package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

class LiveCatalogueTest {

    @TempDir
    Path dir;

    @Test
    void unchangedFilesKeepTheSameCatalogue() {
        LiveCatalogue live = new LiveCatalogue(copyFixture(dir));
        Catalogue first = live.current();

        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.current()).isSameAs(first);
    }

    @Test
    void validEditIsSwappedIn() {
        LiveCatalogue live = new LiveCatalogue(copyFixture(dir));
        edit(dir, "services.yaml", "en: Graffiti}", "en: Graffiti removal}");

        assertThat(live.reloadIfChanged()).isTrue();
        assertThat(live.current().service("200").orElseThrow().name().en()).isEqualTo("Graffiti removal");
        assertThat(live.lastRefusal()).isEmpty();
    }

    @Test
    void invalidEditIsRefusedAndTheLastGoodCatalogueStays() {
        LiveCatalogue live = new LiveCatalogue(copyFixture(dir));
        Catalogue good = live.current();
        edit(dir, "services.yaml", "code: \"400\"", "code: \"100\"");

        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.current()).isSameAs(good);
        assertThat(live.lastRefusal()).get().asString().contains("duplicate service code");

        edit(dir, "services.yaml", "  - code: \"100\"\n    group: parks", "  - code: \"401\"\n    group: parks");
        assertThat(live.reloadIfChanged()).isTrue();
        assertThat(live.current().activeService("401")).isPresent();
        assertThat(live.lastRefusal()).isEmpty();
    }
}

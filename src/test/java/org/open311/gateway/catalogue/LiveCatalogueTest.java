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
        assertThat(live.refusedEdit()).isEmpty();
        assertThat(live.lastRefusal()).isEmpty();
    }

    @Test
    void invalidEditIsRefusedAndTheLastGoodCatalogueStays() {
        LiveCatalogue live = new LiveCatalogue(copyFixture(dir));
        Catalogue good = live.current();
        edit(dir, "services.yaml", "code: \"400\"", "code: \"100\"");

        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.current()).isSameAs(good);
        assertThat(live.refusedEdit()).get().satisfies(refusal -> assertThat(refusal.problems()).containsExactly(
                "services.yaml:47:11: service '100' (services[3]) field code: duplicate service code, also used by services[0]"));
        assertThat(live.refusals()).isEqualTo(1);
        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.refusals()).as("the same refused files are counted once").isEqualTo(1);

        edit(dir, "services.yaml", "  - code: \"100\"\n    group: parks", "  - code: \"401\"\n    group: parks");
        assertThat(live.reloadIfChanged()).isTrue();
        assertThat(live.current().activeService("401")).isPresent();
        assertThat(live.refusedEdit()).isEmpty();
        assertThat(live.lastRefusal()).as("kept after the fix").get()
                .satisfies(refusal -> assertThat(refusal.problems().get(0)).contains("duplicate service code"));
    }
}

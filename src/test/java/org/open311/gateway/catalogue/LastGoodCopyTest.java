package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/** A refused edit left on disk does not stop a restart: the gateway starts from the last good copy and shows the refusal. */
class LastGoodCopyTest {

    @TempDir
    Path root;

    private Path mappings() throws Exception {
        return Files.createDirectories(root.resolve("mappings"));
    }

    private LastGoodCopy copy() {
        return LastGoodCopy.in(root.resolve("data/mappings-last-good"));
    }

    @Test
    void aStartWithARefusedEditOnDiskStartsFromTheLastGoodCopyAndShowsTheRefusal() throws Exception {
        Path dir = copyFixture(mappings());
        String good = new LiveCatalogue(dir, copy(), CatalogueCheck.NONE).current().version();
        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {}");

        LiveCatalogue restarted = new LiveCatalogue(dir, copy(), CatalogueCheck.NONE);

        assertThat(restarted.current().version()).isEqualTo(good);
        assertThat(restarted.current().service("200").orElseThrow().routing().crmCategory()).isEqualTo("CLEANING");
        assertThat(restarted.source()).isEqualTo(LiveCatalogue.Source.LAST_GOOD_COPY);
        assertThat(restarted.refusals()).isEqualTo(1);
        assertThat(restarted.refusedEdit()).get().satisfies(refusal -> {
            assertThat(refusal.version()).isEqualTo(CatalogueLoader.read(dir).fingerprint());
            assertThat(refusal.problems()).containsExactly("services.yaml:40:14: service '200' (services[1]) field routing.crm_category: required");
        });
        assertThat(restarted.reloadIfChanged()).as("the refused files are not refused again").isFalse();
        assertThat(restarted.refusals()).isEqualTo(1);

        edit(dir, "services.yaml", "routing: {}", "routing: {crm_category: CLEANING_2}");
        assertThat(restarted.reloadIfChanged()).isTrue();
        assertThat(restarted.source()).isEqualTo(LiveCatalogue.Source.FILES);
        assertThat(restarted.refusedEdit()).isEmpty();
        assertThat(new LiveCatalogue(dir, copy(), CatalogueCheck.NONE).current().service("200").orElseThrow().routing().crmCategory())
                .as("the fixed files are the new last good copy").isEqualTo("CLEANING_2");
        assertThat(copy().load()).get().satisfies(saved -> assertThat(saved.catalogue().version()).isEqualTo(restarted.current().version()));
    }

    @Test
    void filesThatCannotBeReadAtStartAlsoFallBackToTheCopy() throws Exception {
        Path dir = copyFixture(mappings());
        new LiveCatalogue(dir, copy(), CatalogueCheck.NONE);
        Files.delete(dir.resolve("statuses.yaml"));

        LiveCatalogue restarted = new LiveCatalogue(dir, copy(), CatalogueCheck.NONE);

        assertThat(restarted.source()).isEqualTo(LiveCatalogue.Source.LAST_GOOD_COPY);
        assertThat(restarted.refusedEdit()).get().satisfies(refusal -> {
            assertThat(refusal.version()).isEqualTo("unreadable");
            assertThat(refusal.problems().get(0)).startsWith("statuses.yaml: cannot be read from ");
        });
    }

    @Test
    void withoutACopyARefusedEditStopsTheStartNamingTheFilesAndTheCopysPlace() throws Exception {
        Path dir = copyFixture(mappings());
        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {}");

        assertThatThrownBy(() -> new LiveCatalogue(dir, copy(), CatalogueCheck.NONE))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.problems()).containsExactly(
                        "services.yaml:40:14: service '200' (services[1]) field routing.crm_category: required",
                        "no last good copy to start from (gateway.mappings.last-good-dir: " + root.resolve("data/mappings-last-good")
                                + "): fix services.yaml and statuses.yaml in " + dir));
        assertThatThrownBy(() -> new LiveCatalogue(dir, LastGoodCopy.none(), CatalogueCheck.NONE))
                .hasMessageContaining("no last good copy to start from (gateway.mappings.last-good-dir: empty, so no copy is kept)");
    }

    @Test
    void aCopyChangedOnDiskIsNotTrusted() throws Exception {
        Path dir = copyFixture(mappings());
        String version = new LiveCatalogue(dir, copy(), CatalogueCheck.NONE).current().version();
        Path kept = root.resolve("data/mappings-last-good").resolve(version);
        Files.writeString(kept.resolve("services.yaml"), Files.readString(kept.resolve("services.yaml")).replace("Pothole", "Hole"));
        edit(dir, "services.yaml", "routing: {crm_category: CLEANING}", "routing: {}");

        assertThat(copy().load()).isEmpty();
        assertThatThrownBy(() -> new LiveCatalogue(dir, copy(), CatalogueCheck.NONE)).isInstanceOf(MappingException.class);
    }

    @Test
    void onlyTheVersionInServiceIsKept() throws Exception {
        Path dir = copyFixture(mappings());
        LiveCatalogue live = new LiveCatalogue(dir, copy(), CatalogueCheck.NONE);
        edit(dir, "services.yaml", "en: Graffiti}", "en: Graffiti removal}");
        assertThat(live.reloadIfChanged()).isTrue();

        try (var entries = Files.list(root.resolve("data/mappings-last-good"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyInAnyOrder("current", live.current().version());
        }
    }

    @Test
    void aCopyThatCannotBeWrittenDoesNotStopTheGateway() throws Exception {
        Path dir = copyFixture(mappings());
        Files.writeString(root.resolve("not-a-directory"), "");

        LiveCatalogue live = new LiveCatalogue(dir, LastGoodCopy.in(root.resolve("not-a-directory")), CatalogueCheck.NONE);

        assertThat(live.source()).isEqualTo(LiveCatalogue.Source.FILES);
    }

    @Test
    void aCheckAgainstTheStoreRefusesLikeAProblemInTheFilesAndIsRetriedWhenTheStoreDidNotAnswer() throws Exception {
        Path dir = copyFixture(mappings());
        AtomicInteger storeDown = new AtomicInteger(1);
        CatalogueCheck check = (inService, next) -> {
            if (inService != null && storeDown.getAndDecrement() > 0) {
                throw new CatalogueCheck.Unavailable("the store did not answer", null);
            }
            return next.service("400").isPresent() ? List.of() : List.of("services.yaml: service '400': deleted");
        };
        LiveCatalogue live = new LiveCatalogue(dir, copy(), check);
        String good = live.current().version();
        edit(dir, "services.yaml", "  - code: \"400\"", "  - code: \"401\"");

        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.refusedEdit()).as("not checked: neither accepted nor refused").isEmpty();
        assertThat(live.reloadIfChanged()).isFalse();
        assertThat(live.refusedEdit()).get().satisfies(r -> assertThat(r.problems()).containsExactly("services.yaml: service '400': deleted"));
        assertThat(live.current().version()).isEqualTo(good);
    }
}

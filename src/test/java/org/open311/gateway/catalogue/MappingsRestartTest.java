package org.open311.gateway.catalogue;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.Application;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.open311.gateway.catalogue.MappingFixtures.copyFixture;
import static org.open311.gateway.catalogue.MappingFixtures.edit;

/** The gateway as operators run it, started twice: a refused edit left on disk between the starts does not stop the second. */
class MappingsRestartTest {

    @TempDir
    Path dir;

    @Test
    void aRestartWithARefusedEditOnDiskStartsFromTheCopyTheFirstRunKept() throws Exception {
        Path mappings = copyFixture(Files.createDirectories(dir.resolve("mappings")));
        String first = startAndStop(mappings);

        edit(mappings, "services.yaml", "code: \"400\"", "code: \"100\"");
        Main restarted = gateway(mappings);
        try {
            restarted.start();
            LiveCatalogue catalogue = restarted.getCamelContext().getRegistry().lookupByNameAndType("catalogue", LiveCatalogue.class);
            assertThat(restarted.getCamelContext().isStarted()).isTrue();
            assertThat(catalogue.current().version()).isEqualTo(first);
            assertThat(catalogue.source()).isEqualTo(LiveCatalogue.Source.LAST_GOOD_COPY);
            assertThat(catalogue.refusedEdit()).get().satisfies(refusal -> assertThat(refusal.problems()).containsExactly(
                    "services.yaml:47:11: service '100' (services[3]) field code: duplicate service code, also used by services[0]"));
        } finally {
            restarted.stop();
        }
    }

    private String startAndStop(Path mappings) throws Exception {
        Main main = gateway(mappings);
        try {
            main.start();
            return main.getCamelContext().getRegistry().lookupByNameAndType("catalogue", LiveCatalogue.class).current().version();
        } finally {
            main.stop();
        }
    }

    /** Only ports, the store and the two directories differ from the shipped settings: the last good copy is kept where they say. */
    private Main gateway(Path mappings) {
        Main main = Application.gateway();
        main.addOverrideProperty("gateway.mappings.dir", mappings.toString());
        main.addOverrideProperty("gateway.mappings.last-good-dir", dir.resolve("data/mappings-last-good").toString());
        main.addOverrideProperty("gateway.db.url", "jdbc:h2:file:" + dir.resolve("data/open311"));
        main.addOverrideProperty("gateway.simulators.state-dir", dir.resolve("data/simulators").toString());
        main.addOverrideProperty("gateway.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.management-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.crm-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.aspa-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("gateway.simulators.open311-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        return main;
    }
}

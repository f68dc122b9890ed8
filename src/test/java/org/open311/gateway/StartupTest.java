package org.open311.gateway;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.catalogue.MappingException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid mappings stop the start with a message an admin can act on; the server never comes up. */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void invalidMappingsStopTheStart() throws Exception {
        Path fixture = Path.of("src/test/resources/fixtures/mappings");
        Files.writeString(dir.resolve("services.yaml"),
                Files.readString(fixture.resolve("services.yaml")).replace("code: \"400\"", "code: \"200\""));
        Files.copy(fixture.resolve("statuses.yaml"), dir.resolve("statuses.yaml"));
        Main main = new Main(Application.class);
        main.addOverrideProperty("gateway.mappings.dir", dir.toString());
        main.addOverrideProperty("gateway.port", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()));

        try {
            assertThatThrownBy(main::start)
                    .satisfies(failure -> {
                        MappingException invalid = Application.findMappingException(failure);
                        assertThat(invalid).isNotNull();
                        assertThat(invalid.getMessage()).contains(
                                "services.yaml: service '200' (services[3]) field code: duplicate service code");
                    });
            assertThat(main.getCamelContext() == null || !main.getCamelContext().isStarted()).isTrue();
        } finally {
            main.stop();
        }
    }
}

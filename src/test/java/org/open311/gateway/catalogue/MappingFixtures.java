package org.open311.gateway.catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes mapping files for tests: the fixture catalogue, then any edit a test makes to it. */
final class MappingFixtures {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/mappings");

    private MappingFixtures() {
    }

    /** A copy of the fixture catalogue in {@code directory}. */
    static Path copyFixture(Path directory) {
        try {
            Files.copy(FIXTURE.resolve("services.yaml"), directory.resolve("services.yaml"));
            Files.copy(FIXTURE.resolve("statuses.yaml"), directory.resolve("statuses.yaml"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces one exact piece of a file's text, failing if it is not there (so a test cannot pass vacuously). */
    static void edit(Path directory, String file, String from, String to) {
        try {
            Path path = directory.resolve(file);
            String text = Files.readString(path);
            if (!text.contains(from)) {
                throw new AssertionError(file + " does not contain: " + from);
            }
            Files.writeString(path, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

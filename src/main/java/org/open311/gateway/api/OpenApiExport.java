package org.open311.gateway.api;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.open311.gateway.catalogue.CatalogueLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the public API's document as a gateway with these mapping files would serve it, without starting
 * one: for generating a client at build time (the {@code generated-client} profile of the pom).
 * Arguments: the mappings directory, the public URL, the JSON file to write.
 */
public final class OpenApiExport {

    private OpenApiExport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: OpenApiExport MAPPINGS_DIR PUBLIC_URL OUTPUT.json");
        }
        var catalogue = CatalogueLoader.load(Path.of(args[0]));
        Path output = Path.of(args[2]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                .writeValue(output.toFile(), OpenApiDocument.publicApi(args[1], () -> catalogue).tree());
    }
}

package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.open311.gateway.media.MediaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of the public API: written by hand as the resource {@value #RESOURCE} (the
 * single source), served in YAML and JSON with this gateway's own public URL as its server.
 */
public final class OpenApiDocument {

    public static final String RESOURCE = "openapi/open311-gateway.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public OpenApiDocument(String publicUrl) {
        JsonNode document = withServer(read(), publicUrl);
        try {
            this.yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build().writeValueAsBytes(document);
            this.json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the OpenAPI document", e);
        }
    }

    /** The document as it is in the jar (its server is the embedded run's). */
    public static JsonNode read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public MediaStore.StoredFile yaml() {
        return new MediaStore.StoredFile(yaml, "application/yaml; charset=utf-8");
    }

    public MediaStore.StoredFile json() {
        return new MediaStore.StoredFile(json, "application/json; charset=utf-8");
    }

    /** Clients (and code generators) reach the API at the public URL, behind a proxy the proxy's. */
    private static JsonNode withServer(JsonNode document, String publicUrl) {
        ObjectNode copy = document.deepCopy();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode server = mapper.createObjectNode().put("url", publicUrl).put("description", "this gateway");
        copy.putArray("servers").add(server);
        return copy;
    }
}

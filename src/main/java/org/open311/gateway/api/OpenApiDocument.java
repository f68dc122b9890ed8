package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.open311.gateway.media.MediaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document of the public API: written by hand as the resource {@value #RESOURCE} (the
 * single source), served as written (comments and all) in YAML and converted to JSON, with this
 * gateway's own public URL as its only server.
 */
public final class OpenApiDocument {

    public static final String RESOURCE = "openapi/open311-gateway.yaml";
    /** The top-level servers block: "servers:" and its indented lines. */
    private static final Pattern SERVERS = Pattern.compile("(?m)^servers:\\n(?:[ #].*\\n|\\n)*");

    private final byte[] yaml;
    private final byte[] json;

    public OpenApiDocument(String publicUrl) {
        String text = withServer(read(), publicUrl);
        try {
            JsonNode document = new YAMLMapper().readTree(text);
            this.yaml = text.getBytes(StandardCharsets.UTF_8);
            this.json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot convert the OpenAPI document", e);
        }
    }

    /** The document as it is in the jar (its server is the embedded run's). */
    static String read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public MediaStore.StoredFile yaml() {
        return new MediaStore.StoredFile(yaml, "application/yaml; charset=utf-8", "openapi.yaml");
    }

    public MediaStore.StoredFile json() {
        return new MediaStore.StoredFile(json, "application/json; charset=utf-8", "openapi.json");
    }

    /** Clients (and code generators) reach the API at the public URL, behind a proxy the proxy's. */
    static String withServer(String document, String publicUrl) {
        Matcher servers = SERVERS.matcher(document);
        if (!servers.find()) {
            throw new IllegalStateException(RESOURCE + " has no top-level servers: block");
        }
        String url = publicUrl.replace("\\", "\\\\").replace("\"", "\\\"");
        return document.substring(0, servers.start()) + "servers:\n  - url: \"" + url + "\"\n    description: this gateway\n"
                + document.substring(servers.end());
    }
}

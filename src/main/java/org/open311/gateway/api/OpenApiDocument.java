package org.open311.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.media.MediaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An OpenAPI 3 document of the gateway, written by hand as a resource (the single source) and served in
 * YAML and JSON as this gateway runs it: its own public URL as the server and, in the public API's
 * document, one form field per attribute code of the catalogue in service ({@link AttributeFields}), so
 * that a generated client can send them. Rendered again only when the catalogue's version changes.
 */
public final class OpenApiDocument {

    public static final String PUBLIC_API = "openapi/open311-gateway.yaml";
    public static final String INTEGRATION = "openapi/open311-gateway-integration.yaml";
    /** The base path the hand-written documents' paths use; the gateway serves them with its own. */
    static final String WRITTEN_BASE_PATH = "/v1";
    /** The posted form's schemas, each with the content type of the POST that uses it. */
    private static final Map<String, String> FORMS = Map.of(
            "NewServiceRequest", "application/x-www-form-urlencoded",
            "NewServiceRequestWithPhotos", "multipart/form-data");
    private static final String POST_BODY = "/paths/~1requests.{format}/post/requestBody/content/";
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private final JsonNode written;
    private final String header;
    private final Supplier<Catalogue> catalogue;
    private volatile Rendered rendered;

    private record Rendered(String version, MediaStore.StoredFile yaml, MediaStore.StoredFile json) {
    }

    private OpenApiDocument(JsonNode written, String header, Supplier<Catalogue> catalogue) {
        this.written = written;
        this.header = header;
        this.catalogue = catalogue;
    }

    /** The public API's document, for clients at {@code publicUrl}, with the catalogue's attribute fields. */
    public static OpenApiDocument publicApi(String publicUrl, Supplier<Catalogue> catalogue) {
        ObjectNode document = (ObjectNode) parse(read(PUBLIC_API));
        server(document, publicUrl, "this gateway");
        return new OpenApiDocument(document, "# The public API of this gateway (" + PUBLIC_API + " with its public URL and the"
                + " attribute fields of its catalogue). The integration team's API: openapi-integration.yaml beside it.\n", catalogue);
    }

    /**
     * The integration team's document (admin API and back-end notifications): served from the origin of the
     * public URL (the admin API is on the API's port at /admin), the notifications under the base path.
     */
    public static OpenApiDocument integration(String publicUrl, String basePath) {
        ObjectNode document = (ObjectNode) parse(read(INTEGRATION));
        URI url = URI.create(publicUrl);
        String origin = url.getScheme() + "://" + url.getRawAuthority();
        server(document, origin, "this gateway's API port, as the integration team reaches it (keep /admin off the public proxy)");
        ObjectNode paths = (ObjectNode) document.path("paths");
        Map<String, JsonNode> renamed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> each = paths.fields(); each.hasNext(); ) {
            Map.Entry<String, JsonNode> path = each.next();
            String name = path.getKey().startsWith(WRITTEN_BASE_PATH + "/")
                    ? basePath + path.getKey().substring(WRITTEN_BASE_PATH.length()) : path.getKey();
            renamed.put(name, path.getValue());
        }
        paths.removeAll();
        renamed.forEach(paths::set);
        return new OpenApiDocument(document, "# The admin API and back-end notifications of this gateway (" + INTEGRATION + ").\n",
                null);
    }

    public MediaStore.StoredFile yaml() {
        return current().yaml();
    }

    public MediaStore.StoredFile json() {
        return current().json();
    }

    /** The document as served now (for tests and the build's client generation). */
    public JsonNode tree() {
        return tree(catalogue == null ? null : catalogue.get());
    }

    private JsonNode tree(Catalogue current) {
        return current == null ? written : withAttributeFields(current);
    }

    private Rendered current() {
        Catalogue current = catalogue == null ? null : catalogue.get();
        String version = current == null ? "" : current.version();
        Rendered now = rendered;
        if (now == null || !now.version().equals(version)) {
            now = render(version, tree(current));
            rendered = now;
        }
        return now;
    }

    private Rendered render(String version, JsonNode document) {
        try {
            byte[] yaml = (header + YAML.writeValueAsString(document)).getBytes(StandardCharsets.UTF_8);
            byte[] json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
            return new Rendered(version, new MediaStore.StoredFile(yaml, "application/yaml; charset=utf-8", "openapi.yaml"),
                    new MediaStore.StoredFile(json, "application/json; charset=utf-8", "openapi.json"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot write the OpenAPI document", e);
        }
    }

    /** Each form schema gets the attribute fields; repeated ones are said to be sent once per value. */
    private JsonNode withAttributeFields(Catalogue current) {
        ObjectNode document = written.deepCopy();
        for (AttributeFields.Field field : AttributeFields.of(current)) {
            FORMS.forEach((schema, contentType) -> {
                ((ObjectNode) document.at("/components/schemas/" + schema + "/properties")).set(field.name(), field.schema());
                if (field.repeated()) {
                    ((ObjectNode) document.at(POST_BODY + contentType.replace("/", "~1") + "/encoding"))
                            .putObject(field.name()).put("style", "form").put("explode", true);
                }
            });
        }
        return document;
    }

    private static void server(ObjectNode document, String url, String description) {
        document.putArray("servers").addObject().put("url", url).put("description", description);
    }

    static JsonNode parse(String yaml) {
        try {
            return new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OpenAPI document", e);
        }
    }

    /** A document as it is in the jar. */
    static String read(String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}

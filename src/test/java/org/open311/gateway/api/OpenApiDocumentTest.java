package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The documents as the gateway serves them: the catalogue's attribute fields, the server, the base path. */
class OpenApiDocumentTest {

    private static final String FORM = "/components/schemas/NewServiceRequest/properties/";
    private static final String PHOTOS_FORM = "/components/schemas/NewServiceRequestWithPhotos/properties/";
    private static final String POST_BODY = "/paths/~1requests.{format}/post/requestBody/content/";
    private static final Catalogue SHIPPED = CatalogueLoader.load(Path.of("mappings"));

    @Test
    void theMultipartFormHasEveryFieldOfTheUrlencodedOneAndThePhotos() {
        JsonNode written = OpenApiDocument.parse(OpenApiDocument.read(OpenApiDocument.PUBLIC_API));
        List<String> form = names(written.at("/components/schemas/NewServiceRequest/properties"));
        List<String> photos = names(written.at("/components/schemas/NewServiceRequestWithPhotos/properties"));
        assertThat(photos).containsExactlyElementsOf(concat(form, "media"));
        form.forEach(name -> assertThat(written.at(PHOTOS_FORM + name)).as(name).isEqualTo(written.at(FORM + name)));
        assertThat(written.at("/components/schemas/NewServiceRequestWithPhotos/required"))
                .isEqualTo(written.at("/components/schemas/NewServiceRequest/required"));
        // generators use the first content type only: the one that can carry photos
        assertThat(names(written.at("/paths/~1requests.{format}/post/requestBody/content")))
                .containsExactly("multipart/form-data", "application/x-www-form-urlencoded");
    }

    @Test
    void eachAttributeCodeOfTheCatalogueIsAFormFieldOfItsOwn() {
        JsonNode served = OpenApiDocument.publicApi("https://open311.city.test/v1", () -> SHIPPED).tree();
        for (String form : List.of(FORM, PHOTOS_FORM)) {
            assertThat(served.at(form + "attribute[size]/enum")).extracting(JsonNode::asText).containsExactly("small", "medium", "large");
            assertThat(served.at(form + "attribute[size]/description").asText())
                    .contains("service 171 (Pothole): How big is the pothole? (optional)").doesNotContain("required");
            assertThat(served.at(form + "attribute[depth_cm]/type").asText()).isEqualTo("number");
            assertThat(served.at(form + "attribute[first_seen]/format").asText()).isEqualTo("date-time");
            assertThat(served.at(form + "attribute[registration_number]/maxLength").asInt()).isEqualTo(5000);
            assertThat(served.at(form + "attribute[equipment][]/type").asText()).isEqualTo("array");
            assertThat(served.at(form + "attribute[equipment][]/items/enum")).extracting(JsonNode::asText).contains("swing", "slide");
            assertThat(served.at(form + "attribute[equipment]").isMissingNode()).isTrue();
        }
        for (String contentType : List.of("multipart~1form-data", "application~1x-www-form-urlencoded")) {
            JsonNode encoding = served.at(POST_BODY + contentType + "/encoding");
            assertThat(encoding.at("/attribute[equipment][]")).isEqualTo(new ObjectMapper().createObjectNode()
                    .put("style", "form").put("explode", true));
            assertThat(encoding.at("/media_url/explode").asBoolean()).isTrue();
        }
        assertThat(served.at("/servers/0/url").asText()).isEqualTo("https://open311.city.test/v1");
    }

    /** The shipped catalogue asks only optional questions: each field says so, none says it is required. */
    @Test
    void everyAttributeFieldOfTheShippedCatalogueSaysItIsOptional() {
        JsonNode served = OpenApiDocument.publicApi("https://open311.city.test/v1", () -> SHIPPED).tree();
        List<String> fields = names(served.at(FORM.substring(0, FORM.length() - 1))).stream().filter(name -> name.startsWith("attribute[")).toList();
        assertThat(fields).hasSizeGreaterThan(5);
        for (String field : fields) {
            assertThat(served.at(FORM + field + "/description").asText()).as(field)
                    .contains("(optional)").doesNotContain("required");
        }
    }

    @Test
    void anEditedCatalogueIsServedAtOnceAndTheSameVersionIsNotRenderedAgain() throws Exception {
        Path edited = Files.createTempDirectory("openapi-mappings");
        for (String file : CatalogueLoader.FILES) {
            String text = Files.readString(Path.of("mappings", file));
            Files.writeString(edited.resolve(file), file.equals("services.yaml") ? text.replace("- code: size", "- code: hole_size") : text);
        }
        AtomicReference<Catalogue> inService = new AtomicReference<>(SHIPPED);
        OpenApiDocument document = OpenApiDocument.publicApi("http://localhost:8080/v1", inService::get);

        String before = new String(document.yaml().bytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(document.yaml().bytes()).isSameAs(document.yaml().bytes());
        inService.set(CatalogueLoader.load(edited));
        JsonNode after = new ObjectMapper().readTree(document.json().bytes());

        assertThat(before).contains("attribute[size]:");
        assertThat(after.at(FORM + "attribute[hole_size]").isObject()).isTrue();
        assertThat(after.at(FORM + "attribute[size]").isMissingNode()).isTrue();
        assertThat(new YAMLMapper().readTree(document.yaml().bytes())).isEqualTo(after);
    }

    @Test
    void theIntegrationDocumentIsServedFromTheOriginWithTheNotificationsUnderTheBasePath() {
        JsonNode served = OpenApiDocument.integration("https://open311.city.test:8443/api/v1", "/api/v1").tree();
        assertThat(served.at("/servers/0/url").asText()).isEqualTo("https://open311.city.test:8443");
        assertThat(names(served.path("paths"))).contains("/admin/dead-letters", "/api/v1/backend/crm/notifications",
                "/api/v1/backend/aspa/notifications").doesNotContain("/v1/backend/crm/notifications");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> concat(List<String> names, String last) {
        List<String> all = new ArrayList<>(names);
        all.add(last);
        return all;
    }
}

package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.generated.ApiClient;
import org.open311.gateway.generated.ApiException;
import org.open311.gateway.generated.ApiResponse;
import org.open311.gateway.generated.api.RequestsApi;
import org.open311.gateway.generated.model.ServiceRequest;
import org.open311.gateway.simulator.CrmSimulator;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Java client that openapi-generator's Maven plugin generated (library "native") from the public API's
 * document as the gateway serves it for mappings/ (see the pom: OpenApiExport, then the generator, into
 * target/generated-test-sources) posts a request with attributes, two media URLs and a photo to the
 * running gateway over real HTTP, and reads it back through the same client: what an app developer who
 * generates a client gets.
 */
class GeneratedClientTest extends GatewayTestSupport {

    private static final String KEY = "generated-client-key";
    private static final Path GENERATED_FROM = Path.of("target/openapi/open311-gateway.json");

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        return settings;
    }

    private RequestsApi requests() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port() + "/v1");
        return new RequestsApi(client);
    }

    /** The client was generated from what the gateway serves (bar the server: the build's is the embedded run's). */
    @Test
    void theClientWasGeneratedFromTheServedDocument() throws Exception {
        HttpAnswer served = get("/v1/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        ObjectNode servedDocument = (ObjectNode) json.readTree(served.body());
        ObjectNode generatedFrom = (ObjectNode) json.readTree(GENERATED_FROM.toFile());
        servedDocument.remove("servers");
        generatedFrom.remove("servers");
        assertThat(generatedFrom).isEqualTo(servedDocument);
        assertThat(servedDocument.at("/components/schemas/NewServiceRequestWithPhotos/properties").has("attribute[equipment][]"))
                .isTrue();
    }

    @Test
    void aGeneratedClientPostsAttributesAndAPhotoAndReadsThemBack() throws Exception {
        File photo = Files.write(Files.createTempFile("swing", ".png"), TestImages.png()).toFile();
        photo.deleteOnExit();
        String description = "Keinu rikki leikkipuistossa: ketju on poikki, älä istu siihen";
        RequestsApi api = requests();

        String id = api.postRequest(RequestsApi.APIPostRequestRequest.newBuilder()
                .format("json").apiKey(KEY).serviceCode("210").description(description)
                .lat(new BigDecimal("60.1699"))._long(new BigDecimal("24.9384"))
                .mediaUrl(List.of(URI.create("https://photos.example.org/swing.jpg"),
                        URI.create("https://photos.example.org/chain.jpg")))
                .media(List.of(photo))
                .attributeEquipment(List.of("swing", "sandbox"))
                .attributeInjuryRisk("yes")
                .email("resident@example.org")
                .build()).get(0).getServiceRequestId();

        ServiceRequest read = api.getRequest(RequestsApi.APIGetRequestRequest.newBuilder()
                .serviceRequestId(id).format("json").extensions(true).build()).get(0);
        assertThat(read.getServiceCode()).isEqualTo("210");
        assertThat(read.getDescription()).isEqualTo(description);
        assertThat(read.getLat()).isEqualByComparingTo("60.1699");
        List<URI> mediaUrls = read.getExtendedAttributes().getMediaUrls();
        assertThat(mediaUrls).hasSize(3).startsWith(URI.create("https://photos.example.org/swing.jpg"),
                URI.create("https://photos.example.org/chain.jpg"));
        String uploaded = mediaUrls.get(2).getPath();
        assertThat(uploaded).startsWith("/v1/media/").endsWith(".png");

        File served = api.getMedia(RequestsApi.APIGetMediaRequest.newBuilder()
                .name(uploaded.substring("/v1/media/".length())).build());
        BufferedImage sent = ImageIO.read(new ByteArrayInputStream(TestImages.png()));
        BufferedImage back = ImageIO.read(served);
        assertThat(back.getWidth()).isEqualTo(sent.getWidth());
        assertThat(back.getHeight()).isEqualTo(sent.getHeight());
        assertThat(back.getRGB(0, 0)).isEqualTo(sent.getRGB(0, 0));

        // the attributes reached the city's CRM as the resident answered them
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(id).isPresent());
        JsonNode attributes = crm.caseByReference(id).orElseThrow().path("attributes");
        assertThat(attributes).isEqualTo(new ObjectMapper().readTree("{\"equipment\":[\"swing\",\"sandbox\"],\"injury_risk\":\"yes\"}"));
    }

    /**
     * The generated client reads a request with its ETag and polls it with If-None-Match: the unchanged request
     * is a 304, which the generated code (anything but 2xx is an error to it) throws as an ApiException of code 304.
     */
    @Test
    void aGeneratedClientPollsWithIfNoneMatchAndGetsA304() throws Exception {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171",
                "description", "Kuoppa, jota kysellään", "lat", "60.17", "long", "24.94");
        String id = posted.json().get(0).path("service_request_id").asText();
        RequestsApi api = requests();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ApiResponse<List<ServiceRequest>> read = api.getRequestWithHttpInfo(RequestsApi.APIGetRequestRequest.newBuilder()
                    .serviceRequestId(id).format("json").build());
            assertThat(read.getData().get(0).getAddressId()).isEmpty();
            assertThat(read.getData().get(0).getZipCode()).isEmpty();
            String etag = read.getHeaders().entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase("ETag"))
                    .findFirst().orElseThrow().getValue().get(0);
            ApiException notModified = catchThrowableOfType(ApiException.class, () -> api.getRequest(
                    RequestsApi.APIGetRequestRequest.newBuilder().serviceRequestId(id).format("json").ifNoneMatch(etag).build()));
            assertThat(notModified).isNotNull();
            assertThat(notModified.getCode()).isEqualTo(304);
            assertThat(notModified.getResponseHeaders().firstValue("ETag")).contains(etag);
        });
    }

    /** The gateway's 400 reaches the client's code with the field it names. */
    @Test
    void aRefusedPostIsAnApiExceptionNamingTheField() {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> requests().postRequest(
                RequestsApi.APIPostRequestRequest.newBuilder()
                        .format("json").apiKey(KEY).serviceCode("210").description("Keinu rikki leikkipuistossa")
                        .lat(new BigDecimal("60.17")).mediaUrl(List.of()).media(List.of())
                        .attributeEquipment(List.of("trampoline")).attributeInjuryRisk("yes")
                        .build()));
        assertThat(refused.getCode()).isEqualTo(400);
        assertThat(refused.getResponseBody()).contains("attribute[equipment]: 'trampoline' is not one of")
                .contains("long: required with lat");
    }
}

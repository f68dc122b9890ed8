package org.open311.gateway.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped catalogue (mappings/, not a test fixture) as a client written to the city's document uses
 * it: the document says no service has attributes, so such a client posts service_code, description
 * and a location only. Every active service must accept that post, in both formats (issue #16, item 1).
 */
class ShippedCatalogueHttpTest extends GatewayTestSupport {

    private static final String KEY = "shipped-catalogue-key";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        return settings;
    }

    @Test
    void everyActiveServiceAcceptsAPostWithoutAttributesInBothFormats() {
        List<String> codes = new ArrayList<>();
        get("/v1/services.json").json().forEach(service -> codes.add(service.path("service_code").asText()));
        assertThat(codes).hasSizeGreaterThan(5).contains("171", "174", "180", "190", "210", "220");

        for (String code : codes) {
            HttpAnswer json = postForm("/v1/requests.json", "api_key", KEY, "service_code", code,
                    "description", "Ilmoitus ilman lisäkysymyksiä palvelulle " + code, "lat", "60.1841", "long", "24.9519");
            assertThat(json.status()).as("service %s, JSON: %s", code, json.body()).isEqualTo(200);
            String id = json.json().get(0).path("service_request_id").asText();
            JsonNode stored = get("/v1/requests/" + id + ".json").json().get(0);
            assertThat(stored.path("service_code").asText()).isEqualTo(code);

            HttpAnswer xml = postForm("/v1/requests.xml", "api_key", KEY, "service_code", code,
                    "description", "Ilmoitus ilman lisäkysymyksiä palvelulle " + code, "lat", "60.1841", "long", "24.9519");
            assertThat(xml.status()).as("service %s, XML: %s", code, xml.body()).isEqualTo(200);
            assertThat(xml.xpath("/service_requests/request/service_request_id")).hasSize(1);
        }
    }

    @Test
    void questionsStayOfferedAsOptionalOnes() {
        JsonNode pothole = get("/v1/services/171.json").json();
        assertThat(pothole.path("attributes")).isNotEmpty();
        pothole.path("attributes").forEach(attribute -> assertThat(attribute.path("required").asBoolean())
                .as(attribute.path("code").asText()).isFalse());
        HttpAnswer withAnswer = postForm("/v1/requests.json", "api_key", KEY, "service_code", "171",
                "description", "Syvä kuoppa pyörätiellä Hämeentien kohdalla", "lat", "60.1841", "long", "24.9519",
                "attribute[size]", "huge");
        assertThat(withAnswer.status()).isEqualTo(400);
        assertThat(withAnswer.body()).contains("attribute[size]");
    }
}

package org.open311.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue endpoints over real HTTP, on a fixture catalogue whose texts the test knows. */
class CatalogueHttpTest extends GatewayTestSupport {

    private static final String JSON = "application/json; charset=utf-8";
    private static final String XML = "text/xml; charset=utf-8";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        return settings;
    }

    @Test
    void discoveryListsTheSameContentInBothFormats() {
        HttpAnswer json = get("/v1/discovery.json");
        HttpAnswer xml = get("/v1/discovery.xml");

        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).isEqualTo(JSON);
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo(XML);

        JsonNode discovery = json.json();
        JsonNode endpoint = discovery.path("endpoints").get(0);
        assertThat(endpoint.path("specification").asText()).isEqualTo("http://wiki.open311.org/GeoReport_v2");
        assertThat(endpoint.path("url").asText()).isEqualTo("http://localhost:" + port() + "/v1");
        assertThat(endpoint.path("type").asText()).isIn("production", "test");
        List<String> formats = List.of(endpoint.path("formats").get(0).asText(), endpoint.path("formats").get(1).asText());
        assertThat(formats).containsExactlyInAnyOrder("text/xml", "application/json");

        assertThat(xml.xpath("/discovery/changeset")).containsExactly(discovery.path("changeset").asText());
        assertThat(xml.xpath("/discovery/contact")).containsExactly(discovery.path("contact").asText());
        assertThat(xml.xpath("/discovery/key_service")).containsExactly(discovery.path("key_service").asText());
        JsonNode updates = discovery.path("endpoints").get(1);
        assertThat(discovery.path("endpoints")).hasSize(2);
        assertThat(updates.path("specification").asText()).contains("mysociety");
        assertThat(updates.path("url").asText()).isEqualTo(endpoint.path("url").asText());
        assertThat(xml.xpath("/discovery/endpoints/endpoint/specification"))
                .containsExactly(endpoint.path("specification").asText(), updates.path("specification").asText());
        assertThat(xml.xpath("/discovery/endpoints/endpoint/url")).containsExactly(endpoint.path("url").asText(), updates.path("url").asText());
        assertThat(xml.xpath("/discovery/endpoints/endpoint/changeset"))
                .containsExactly(endpoint.path("changeset").asText(), updates.path("changeset").asText());
        assertThat(xml.xpath("/discovery/endpoints/endpoint/type")).containsExactly(endpoint.path("type").asText(), updates.path("type").asText());
        assertThat(xml.xpath("/discovery/endpoints/endpoint[1]/formats/format")).containsExactlyElementsOf(formats);
    }

    @Test
    void servicesInFinnishAreTheSameInJsonAndXml() {
        HttpAnswer json = get("/v1/services.json?locale=fi");
        HttpAnswer xml = get("/v1/services.xml?locale=fi");

        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).isEqualTo(JSON);
        assertThat(json.json().isArray()).isTrue();
        assertThat(json.jsonField("service_code")).containsExactly("100", "200", "400");
        assertThat(json.jsonField("service_name")).containsExactly("Kuoppa kadussa", "Töhryt", "Puistonpenkki");
        assertThat(json.jsonField("group")).containsExactly("Kadut", "Kadut", "Parks");
        assertThat(json.jsonField("keywords")).containsExactly("kuoppa,asfaltti", "graffiti,tag", "");
        assertThat(json.jsonField("metadata")).containsExactly("true", "false", "true");
        assertThat(json.jsonField("type")).containsOnly("realtime");

        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo(XML);
        for (String field : List.of("service_code", "service_name", "description", "metadata", "type", "keywords", "group")) {
            assertThat(xml.xpath("/services/service/" + field)).as(field).containsExactlyElementsOf(json.jsonField(field));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "fi, Kuoppa kadussa, Ilmoita kuopasta., Kadut",
            "fi_FI, Kuoppa kadussa, Ilmoita kuopasta., Kadut",
            "sv, Grop i gatan, Anmäl en grop., Gator",
            "sv_SE, Grop i gatan, Anmäl en grop., Gator",
            "en, Pothole, Report a pothole., Streets",
            "en_GB, Pothole, Report a pothole., Streets",
            "en_US, Pothole, Report a pothole., Streets",
            "de_DE, Pothole, Report a pothole., Streets",
            "'', Pothole, Report a pothole., Streets"})
    void localeChoosesTheLanguageAndFallsBackToEnglish(String locale, String name, String description, String group) {
        JsonNode pothole = get("/v1/services.json?locale=" + locale).json().get(0);

        assertThat(pothole.path("service_name").asText()).isEqualTo(name);
        assertThat(pothole.path("description").asText()).isEqualTo(description);
        assertThat(pothole.path("group").asText()).isEqualTo(group);
    }

    @Test
    void missingLocaleMeansEnglish() {
        assertThat(get("/v1/services.json").jsonField("service_name")).containsExactly("Pothole", "Graffiti", "Park bench");
    }

    @Test
    void textMissingInTheAskedLanguageFallsBackToEnglish() {
        HttpAnswer swedish = get("/v1/services.json?locale=sv");

        JsonNode graffiti = swedish.json().get(1);
        assertThat(graffiti.path("service_name").asText()).isEqualTo("Graffiti");
        assertThat(graffiti.path("description").asText()).isEqualTo("Report graffiti.");
        assertThat(graffiti.path("keywords").asText()).isEqualTo("graffiti,tag");
        assertThat(swedish.json().get(2).path("group").asText()).isEqualTo("Parks");
    }

    @Test
    void serviceDefinitionListsAttributesInOrderInBothFormats() {
        HttpAnswer json = get("/v1/services/100.json?locale=fi_FI");
        HttpAnswer xml = get("/v1/services/100.xml?locale=fi_FI");

        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).isEqualTo(JSON);
        JsonNode definition = json.json();
        assertThat(definition.path("service_code").asText()).isEqualTo("100");
        JsonNode depth = definition.path("attributes").get(0);
        assertThat(depth.path("code").asText()).isEqualTo("depth");
        assertThat(depth.path("order").asInt()).isEqualTo(1);
        assertThat(depth.path("datatype").asText()).isEqualTo("number");
        assertThat(depth.path("required").asBoolean()).isFalse();
        assertThat(depth.path("variable").asBoolean()).isTrue();
        assertThat(depth.path("description").asText()).isEqualTo("Syvyys");
        assertThat(depth.path("datatype_description").asText()).isEqualTo("Senttimetreinä");
        assertThat(depth.path("values").isArray()).isTrue();
        assertThat(depth.path("values")).isEmpty();
        JsonNode size = definition.path("attributes").get(1);
        assertThat(size.path("code").asText()).isEqualTo("size");
        assertThat(size.path("datatype").asText()).isEqualTo("singlevaluelist");
        assertThat(size.path("required").asBoolean()).isTrue();
        assertThat(size.path("values").get(0).path("key").asText()).isEqualTo("small");
        assertThat(size.path("values").get(0).path("name").asText()).isEqualTo("Pieni");

        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo(XML);
        assertThat(xml.xpath("/service_definition/service_code")).containsExactly("100");
        assertThat(xml.xpath("/service_definition/attributes/attribute/code")).containsExactly("depth", "size");
        assertThat(xml.xpath("/service_definition/attributes/attribute/order")).containsExactly("1", "2");
        assertThat(xml.xpath("/service_definition/attributes/attribute/datatype")).containsExactly("number", "singlevaluelist");
        assertThat(xml.xpath("/service_definition/attributes/attribute/variable")).containsExactly("true", "true");
        assertThat(xml.xpath("/service_definition/attributes/attribute/required")).containsExactly("false", "true");
        assertThat(xml.xpath("/service_definition/attributes/attribute[code='size']/values/value/key")).containsExactly("small", "large");
        assertThat(xml.xpath("/service_definition/attributes/attribute[code='size']/values/value/name")).containsExactly("Pieni", "Suuri");
    }

    @Test
    void serviceDefinitionValueNamesFallBackToEnglish() {
        JsonNode values = get("/v1/services/100.json?locale=sv").json().path("attributes").get(1).path("values");

        assertThat(values.get(0).path("name").asText()).isEqualTo("Liten");
        assertThat(values.get(1).path("name").asText()).isEqualTo("Large");
    }

    @Test
    void informationalAndMultiValueAttributes() {
        JsonNode attributes = get("/v1/services/400.json").json().path("attributes");

        assertThat(attributes.get(0).path("variable").asBoolean()).isFalse();
        assertThat(attributes.get(0).path("description").asText()).isEqualTo("In an emergency call 112.");
        assertThat(attributes.get(1).path("datatype").asText()).isEqualTo("multivaluelist");
        assertThat(attributes.get(1).path("values").size()).isEqualTo(2);
    }

    @Test
    void serviceWithoutAttributesHasAnEmptyDefinition() {
        HttpAnswer answer = get("/v1/services/200.json");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("attributes").isArray()).isTrue();
        assertThat(answer.json().path("attributes")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"999", "300"})
    void unknownOrRetiredServiceIs404InTheAskedFormat(String code) {
        HttpAnswer json = get("/v1/services/" + code + ".json");
        HttpAnswer xml = get("/v1/services/" + code + ".xml");

        assertThat(json.status()).isEqualTo(404);
        assertThat(json.contentType()).isEqualTo(JSON);
        assertThat(json.json().get(0).path("code").asInt()).isEqualTo(404);
        assertThat(json.json().get(0).path("description").asText()).contains(code);
        assertThat(xml.status()).isEqualTo(404);
        assertThat(xml.contentType()).isEqualTo(XML);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("404");
        assertThat(xml.xpath("/errors/error/description").get(0)).contains(code);
    }

    @ParameterizedTest
    @CsvSource({"/v1/services.html", "/v1/discovery.yaml", "/v1/services/100.html", "/v1/services.JSON"})
    void unknownSuffixIsAJsonError(String path) {
        HttpAnswer answer = get(path);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo(JSON);
        assertThat(answer.json().get(0).path("code").asInt()).isEqualTo(400);
        assertThat(answer.json().get(0).path("description").asText()).contains(".json or .xml");
    }

    @ParameterizedTest
    @CsvSource({"/v1/nothing.json, " + JSON, "/v1/nothing.xml, " + XML, "/, " + JSON, "/v2/services.json, " + JSON,
            "/v1/services, " + JSON, "/v1/services/100, " + JSON})
    void unknownPathIsA404ErrorBody(String path, String contentType) {
        HttpAnswer answer = get(path);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo(contentType);
        assertThat(answer.body()).doesNotContain("<html", "Exception", "at org.");
        if (contentType.equals(JSON)) {
            assertThat(answer.json().get(0).path("code").asInt()).isEqualTo(404);
        } else {
            assertThat(answer.xpath("/errors/error/code")).containsExactly("404");
        }
    }

    @Test
    void unsupportedMethodIsAnErrorBody() {
        HttpAnswer answer = send(HttpRequest.newBuilder(uri("/v1/services.xml"))
                .DELETE().build());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.raw().headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(answer.contentType()).isEqualTo(XML);
        assertThat(answer.xpath("/errors/error/description").get(0)).contains("DELETE");
    }

    @Test
    void acceptHeaderNeverDecidesTheFormat() {
        HttpAnswer json = get("/v1/services.json", "Accept", "text/xml");
        HttpAnswer xml = get("/v1/services.xml", "Accept", "application/jsno");

        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).isEqualTo(JSON);
        assertThat(json.json().isArray()).isTrue();
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo(XML);
        assertThat(xml.xpath("/services/service/service_code")).hasSize(3);
    }

    @Test
    void requestHeadersAndParametersAreNotEchoedBack() {
        HttpAnswer answer = get("/v1/services.json?locale=fi&api_key=secret-key-123", "X-Secret", "s3cr3t");

        // x-correlation-id is the gateway's own (docs/operations.md), never a client value it did not vet;
        // x-content-type-options is on every answer (docs/reliability.md); etag, cache-control and vary (CORS)
        // are the gateway's own (docs/clients.md)
        assertThat(answer.raw().headers().map().keySet()).allSatisfy(name ->
                assertThat(name.toLowerCase()).isIn(":status", "content-type", "content-length", "transfer-encoding", "date", "connection",
                        "x-correlation-id", "x-content-type-options", "etag", "cache-control", "vary"));
        assertThat(answer.raw().headers().map().values().toString()).doesNotContain("secret-key-123", "s3cr3t");
    }
}

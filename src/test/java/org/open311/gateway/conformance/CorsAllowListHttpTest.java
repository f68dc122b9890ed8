package org.open311.gateway.conformance;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** CORS limited to the city's own origins (gateway.cors.allowed-origins): others are refused before anything is done. */
class CorsAllowListHttpTest extends GatewayTestSupport {

    private static final String KEY = "cors-key";
    private static final String CITY = "https://www.hel.fi";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.cors.allowed-origins", CITY + ", https://palaute.example.fi:8443");
        return settings;
    }

    @Test
    void anAllowedOriginGetsItsOwnNameBackAndVaryOrigin() {
        HttpAnswer read = get("/v1/services.json", "Origin", CITY);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("Access-Control-Allow-Origin")).contains(CITY);
        assertThat(read.raw().headers().allValues("Vary").toString()).containsIgnoringCase("Origin");
        // answers the routes write (not only the catalogue's fast path): a shared cache must not give one
        // allowed site's answer, naming that site, to another
        for (String path : new String[] {"/v1/requests.json", "/v1/requests.xml", "/v1/discovery.json"}) {
            HttpAnswer routed = get(path, "Origin", CITY, "Accept-Encoding", "gzip");
            assertThat(routed.status()).as(path).isEqualTo(200);
            assertThat(routed.raw().headers().firstValue("Access-Control-Allow-Origin")).as(path).contains(CITY);
            assertThat(String.join(",", routed.raw().headers().allValues("Vary"))).as(path).containsIgnoringCase("Origin");
        }

        HttpAnswer preflight = send(HttpRequest.newBuilder(uri("/v1/requests.xml")).timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://palaute.example.fi:8443").header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.raw().headers().firstValue("Access-Control-Allow-Origin")).contains("https://palaute.example.fi:8443");
    }

    @Test
    void anotherOriginIsRefusedInTheErrorShapeAndNothingIsStored() throws Exception {
        long before = storedRequests();
        HttpAnswer json = postForm("/v1/requests.json", Map.of("Origin", "https://evil.example"), "api_key", KEY,
                "service_code", "200", "description", "Roskia puistossa penkin vieressä", "lat", "60.17", "long", "24.94");
        HttpAnswer xml = get("/v1/requests.xml", "Origin", "https://www.hel.fi.evil.example");

        assertThat(json.status()).isEqualTo(403);
        assertThat(json.json().get(0).path("code").asInt()).isEqualTo(403);
        assertThat(json.json().get(0).path("description").asText()).contains("gateway.cors.allowed-origins");
        assertThat(json.raw().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(xml.status()).isEqualTo(403);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("403");
        assertThat(storedRequests()).isEqualTo(before);
    }

    @Test
    void clientsThatAreNoBrowsersSendNoOriginAndAreServedAsAlways() {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Roskia puistossa penkin vieressä", "lat", "60.17", "long", "24.94");

        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.raw().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private long storedRequests() throws Exception {
        DataSource store = context.getRegistry().lookupByNameAndType("store", DataSource.class);
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM service_request")) {
            count.next();
            return count.getLong(1);
        }
    }
}

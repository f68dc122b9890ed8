package org.open311.gateway;

import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings for a gateway started by a test against simulators the test owns (so that they outlive a
 * restart or serve several gateways), with fast polls.
 */
public final class ExternalBackends {

    public static final String CRM_TOKEN = "crm-token";
    public static final String ASPA_KEY = "aspa-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ExternalBackends() {
    }

    public static Map<String, String> settings(int port, String apiKey, CrmSimulator crm, AspaSimulator aspa) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway.port", String.valueOf(port));
        settings.put("gateway.management-port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        settings.put("gateway.api-keys.demo", apiKey);
        settings.put("gateway.simulators.enabled", "false");
        settings.put("gateway.backend.crm.url", crm.baseUrl());
        settings.put("gateway.backend.crm.token", CRM_TOKEN);
        settings.put("gateway.backend.aspa.url", aspa.baseUrl());
        settings.put("gateway.backend.aspa.api-key", ASPA_KEY);
        settings.put("gateway.forwarding.interval-ms", "50");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.sync.interval-ms", "200");
        return settings;
    }

    /** Starts the gateway in this JVM with these settings. */
    public static Main start(Map<String, String> settings) throws Exception {
        Main main = Application.gateway();
        settings.forEach(main::addOverrideProperty);
        main.start();
        return main;
    }

    /**
     * Posts a valid request over HTTP: service 171 with its required attribute, or any service
     * without required attributes. The answer is the caller's to check.
     */
    public static HttpResponse<String> postRequest(int port, String apiKey, String serviceCode) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/requests.json"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + apiKey + "&service_code=" + serviceCode
                        + "&description=Posted+by+a+reliability+test&lat=60.17&long=24.94"
                        + ("171".equals(serviceCode) ? "&attribute[size]=small" : "")))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The service_request_id of a successful POST answer. */
    public static String requestId(HttpResponse<String> posted) throws Exception {
        return new ObjectMapper().readTree(posted.body()).get(0).path("service_request_id").asText();
    }

    /** The same settings as environment variables, for a gateway started as its own process. */
    public static Map<String, String> asEnvironment(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
        return env;
    }
}

package org.open311.gateway.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the gateway starts, its HTTP server listens before its routes have started. The test holds the
 * start at its first route (an event notifier runs on the starting thread) and calls the API meanwhile:
 * every answer is 503 with Retry-After in the error shape, never the server's HTML 404 that clients took
 * as final. Once started, the same calls are served.
 */
class StartupGateHttpTest extends GatewayTestSupport {

    private static final String KEY = "startup-gate-key";

    private final Map<String, HttpAnswer> whileStarting = new LinkedHashMap<>();
    private final Map<String, Throwable> failedWhileStarting = new LinkedHashMap<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        return settings;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            private boolean asked;

            @Override
            public boolean isEnabled(CamelEvent event) {
                return !asked && event instanceof CamelEvent.RouteStartingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                asked = true;
                calls().forEach((name, call) -> {
                    try {
                        whileStarting.put(name, call.call());
                    } catch (Throwable e) {
                        failedWhileStarting.put(name, e);
                    }
                });
            }
        });
        return context;
    }

    private Map<String, Callable<HttpAnswer>> calls() {
        Map<String, Callable<HttpAnswer>> calls = new LinkedHashMap<>();
        calls.put("post", this::validPost);
        calls.put("services.xml", () -> get("/v1/services.xml"));
        calls.put("discovery.json", () -> get("/v1/discovery.json"));
        calls.put("request.json", () -> get("/v1/requests/unknown.json"));
        calls.put("unknown path", () -> get("/v1/no-such-thing"));
        return calls;
    }

    private HttpAnswer validPost() {
        return postForm("/v1/requests.json", "api_key", KEY, "service_code", "171", "attribute[size]", "small",
                "description", "Kuoppa pyörätiellä Kalliossa", "lat", "60.18", "long", "24.95");
    }

    @Test
    void everyApiCallBeforeTheRoutesHaveStartedIs503WithRetryAfterInTheErrorShape() throws Exception {
        assertThat(failedWhileStarting).as("the server listened while the routes were starting").isEmpty();
        assertThat(whileStarting).hasSize(calls().size());
        whileStarting.forEach((name, answer) -> {
            assertThat(answer.status()).as(name).isEqualTo(503);
            assertThat(answer.raw().headers().firstValue("Retry-After")).as(name).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
            assertThat(answer.raw().headers().firstValue("X-Content-Type-Options")).as(name).contains("nosniff");
            assertThat(answer.body()).as(name).doesNotContainIgnoringCase("<html").doesNotContain("Resource not found");
        });
        assertThat(whileStarting.get("post").jsonField("code")).containsExactly("503");
        assertThat(whileStarting.get("post").jsonField("description"))
                .containsExactly("The service is starting. Please try again in a few seconds.");
        assertThat(whileStarting.get("services.xml").xpath("/errors/error/code")).containsExactly("503");

        HttpAnswer started = validPost();
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(get("/v1/services.xml").status()).isEqualTo(200);
        assertThat(get("/v1/no-such-thing").status()).isEqualTo(404);
    }
}

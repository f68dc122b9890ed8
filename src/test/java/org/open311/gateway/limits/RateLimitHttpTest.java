package org.open311.gateway.limits;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.store.ApiKeyAdmin;

import javax.sql.DataSource;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Low limits configured: reads per address and posts per API key get 429 with Retry-After in the asked format. */
class RateLimitHttpTest extends GatewayTestSupport {

    static final String KEY = "rate-limited-key";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.rate-limit.period-seconds", "3600");
        settings.put("gateway.rate-limit.posts-per-key", "3");
        settings.put("gateway.rate-limit.reads-per-address", "8");
        return settings;
    }

    @Test
    void readsOverTheLimitAre429WithRetryAfterAndAForgedForwardedForDoesNotHelp() {
        int ok = 0;
        HttpAnswer refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpAnswer answer = get(i % 2 == 0 ? "/v1/services.json" : "/v1/discovery.xml");
            if (answer.status() == 429) {
                refused = answer;
            } else {
                assertThat(answer.status()).isEqualTo(200);
                ok++;
            }
        }
        HttpAnswer xml = get("/v1/requests.xml");
        HttpAnswer forged = get("/v1/services.json", "X-Forwarded-For", "198.51.100.77");
        HttpAnswer updates = get("/v1/servicerequestupdates.json");

        assertThat(ok).isEqualTo(8);
        assertThat(refused).isNotNull();
        assertThat(refused.jsonField("code")).containsExactly("429");
        assertThat(refused.jsonField("description")).containsExactly("Too many requests from this address: try again later");
        assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(xml.status()).isEqualTo(429);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("429");
        assertThat(xml.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(forged.status()).isEqualTo(429);
        assertThat(updates.status()).isEqualTo(429);
        assertThat(updates.jsonField("code")).containsExactly("429");
        assertThat(refusalsInMetrics("read")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void postsOverTheLimitOfOneKeyAre429WhileAnotherKeyGoesOn() throws Exception {
        String otherKey = "second-app-key";
        new ApiKeyAdmin(context.getRegistry().lookupByNameAndType("store", DataSource.class)).ensure("second app", otherKey);

        for (int i = 0; i < 3; i++) {
            assertThat(post(KEY).status()).isEqualTo(200);
        }
        HttpAnswer refused = post(KEY);
        HttpAnswer other = post(otherKey);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.jsonField("description")).containsExactly("Too many requests with this api_key: try again later");
        assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(refused.body()).doesNotContain(KEY);
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        // at least this one: residentUpdatesCountAgainstTheKeysPostLimit may have run first
        assertThat(refusalsInMetrics("post")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void residentUpdatesCountAgainstTheKeysPostLimit() throws Exception {
        String key = "updates-app-key";
        new ApiKeyAdmin(context.getRegistry().lookupByNameAndType("store", DataSource.class)).ensure("updates app", key);
        for (int i = 0; i < 3; i++) {
            assertThat(postUpdate(key, i).status()).isEqualTo(404);
        }
        HttpAnswer refused = postUpdate(key, 3);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.jsonField("description")).containsExactly("Too many requests with this api_key: try again later");
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
    }

    private HttpAnswer postUpdate(String key, int n) {
        return postForm("/v1/servicerequestupdates.json", "api_key", key, "service_request_id", "0000000000000000000a",
                "update_id", "rate-" + n, "status", "OPEN", "updated_datetime", "2026-11-29T10:00:00Z", "description", "Yhä rikki");
    }

    private HttpAnswer post(String key) {
        return postForm("/v1/requests.json", "api_key", key, "service_code", "171", "attribute[size]", "small",
                "description", "Kuoppa pyörätiellä, syvä", "lat", "60.17", "long", "24.94");
    }

    /** The operator's view of refusals: open311_rate_limited_total{scope=...} on the management port. */
    private double refusalsInMetrics(String scope) {
        HttpAnswer metrics = send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + managementPort() + "/observe/metrics")).build());
        return metrics.body().lines()
                .filter(line -> line.startsWith("open311_rate_limited_total{") && line.contains("scope=\"" + scope + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}

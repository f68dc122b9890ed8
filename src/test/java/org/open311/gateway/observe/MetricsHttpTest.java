package org.open311.gateway.observe;

import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scrapes /observe/metrics on the management port before and after real HTTP traffic and checks that
 * the right series moved: requests by route template, format and status (also answers no route
 * writes: an unknown path, a body over the limit), posts accepted, forwarding per back end, the
 * outbox gauges, and the rate-limit counter other code calls.
 */
class MetricsHttpTest extends GatewayTestSupport {

    private static final String HTTP_COUNT = "open311_http_server_requests_seconds_count";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("camel.server.max-body-size", "20000");
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.metrics.store-refresh-ms", "200");
        return settings;
    }

    @Test
    void requestsAreCountedByRouteTemplateFormatAndStatus() {
        PrometheusText before = PrometheusText.scrape(managementPort());

        assertThat(get("/v1/services.json").status()).isEqualTo(200);
        assertThat(get("/v1/requests/nosuchrequest0000000.xml").status()).isEqualTo(404);
        assertThat(get("/v1/requests/nosuchrequest0000001.xml").status()).isEqualTo(404);
        assertThat(get("/v1/no/such/path/42").status()).isEqualTo(404);
        assertThat(postForm("/v1/requests.json", "api_key", "open311-demo-key", "service_code", "171",
                "description", "x".repeat(30000)).status()).isEqualTo(413);

        // a request is counted once its answer is fully sent, which may be just after the client has read it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/services.{format}", "method", "GET",
                    "format", "json", "status", "200")).isEqualTo(1);
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/requests/{id}.{format}", "method", "GET",
                    "format", "xml", "status", "404")).isEqualTo(2);
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "unmatched", "format", "other", "status", "404")).isEqualTo(1);
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/requests.{format}", "method", "POST",
                    "format", "json", "status", "413")).isEqualTo(1);
        });
        PrometheusText after = PrometheusText.scrape(managementPort());
        // no raw path (with its ids) ever becomes a label
        assertThat(after.matching(HTTP_COUNT)).allSatisfy(sample ->
                assertThat(sample.labels().get("endpoint")).doesNotContain("nosuchrequest", "/42"));
        // a latency histogram, not just a count
        assertThat(after.matching("open311_http_server_requests_seconds_bucket", "endpoint", "/v1/services.{format}"))
                .hasSizeGreaterThan(5)
                .anySatisfy(bucket -> assertThat(bucket.labels()).containsEntry("le", "0.1"));
    }

    @Test
    void theUpdateFeedHasItsOwnSeriesByFormatAndStatus() {
        PrometheusText before = PrometheusText.scrape(managementPort());

        assertThat(get("/v1/servicerequestupdates.xml?start_date=2026-11-29T08:00:00Z&end_date=2026-11-29T10:00:00Z")
                .status()).isEqualTo(200);
        assertThat(get("/v1/servicerequestupdates.json?start_date=yesterday").status()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/servicerequestupdates.{format}", "method", "GET",
                    "format", "xml", "status", "200")).isEqualTo(1);
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/servicerequestupdates.{format}", "method", "GET",
                    "format", "json", "status", "400")).isEqualTo(1);
        });
        assertThat(PrometheusText.scrape(managementPort()).matching("open311_http_server_requests_seconds_bucket",
                "endpoint", "/v1/servicerequestupdates.{format}")).hasSizeGreaterThan(5);
    }

    @Test
    void anAcceptedPostIsCountedAndForwardedToBothBackEnds() {
        PrometheusText before = PrometheusText.scrape(managementPort());

        HttpAnswer posted = postForm("/v1/requests.json", "api_key", "open311-demo-key", "service_code", "171",
                "description", "Syvä kuoppa pyörätiellä", "lat", "60.1841", "long", "24.9519", "attribute[size]", "large");
        assertThat(posted.status()).isEqualTo(200);

        PrometheusText after = PrometheusText.scrape(managementPort());
        assertThat(delta(before, after, "open311_service_requests_accepted_total", "service_code", "171")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            assertThat(delta(before, now, HTTP_COUNT, "endpoint", "/v1/requests.{format}", "method", "POST", "status", "200"))
                    .isEqualTo(1);
            assertThat(delta(before, now, "open311_forwarding_attempts_total", "backend", "crm", "outcome", "sent")).isEqualTo(1);
            assertThat(delta(before, now, "open311_forwarding_attempts_total", "backend", "aspa", "outcome", "sent")).isEqualTo(1);
            assertThat(now.sum("open311_outbox_unsent", "backend", "crm")).isZero();
            assertThat(now.sum("open311_outbox_unsent", "backend", "aspa")).isZero();
        });
        PrometheusText now = PrometheusText.scrape(managementPort());
        assertThat(now.sum("open311_outbox_dead_letters", "backend", "crm")).isZero();
        assertThat(now.sum("open311_backend_up", "backend", "crm")).isEqualTo(1);
        assertThat(now.matching("open311_feed_lag_seconds")).hasSize(2)
                .allSatisfy(lag -> assertThat(lag.value()).isBetween(0.0, 60.0));
    }

    @Test
    void rateLimitRefusalsAreCountedByScope() {
        PrometheusText before = PrometheusText.scrape(managementPort());
        context.getRegistry().lookupByNameAndType("metrics", GatewayMetrics.class).rateLimited("api_key");
        PrometheusText after = PrometheusText.scrape(managementPort());
        assertThat(delta(before, after, "open311_rate_limited_total", "scope", "api_key")).isEqualTo(1);
    }

    @Test
    void everyAnswerCarriesTheCorrelationIdTheClientSentWhenSane() {
        HttpAnswer kept = get("/v1/services.json", "X-Correlation-Id", "client-id-0001");
        assertThat(kept.raw().headers().firstValue("X-Correlation-Id")).contains("client-id-0001");

        HttpAnswer notFound = get("/v1/no/such/path", "X-Correlation-Id", "client-id-0002");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.raw().headers().firstValue("X-Correlation-Id")).contains("client-id-0002");

        HttpAnswer tooLarge = send(HttpRequest.newBuilder(uri("/v1/requests.xml")).header("X-Correlation-Id", "client-id-0003")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("description=" + "x".repeat(30000))).build());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.raw().headers().firstValue("X-Correlation-Id")).contains("client-id-0003");

        // an id that could forge log lines or carry data is replaced by one of the gateway's
        HttpAnswer replaced = get("/v1/services.json", "X-Correlation-Id", "name=Matti Meikäläinen;phone=0401234567");
        assertThat(replaced.raw().headers().firstValue("X-Correlation-Id")).get().asString()
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        HttpAnswer generated = get("/v1/services.json");
        assertThat(generated.raw().headers().firstValue("X-Correlation-Id")).isPresent()
                .isNotEqualTo(replaced.raw().headers().firstValue("X-Correlation-Id"));
    }

    @Test
    void countersExistFromTheStartWithTheBuildAndThePool() {
        PrometheusText now = PrometheusText.scrape(managementPort());
        // every counter whose labels are known at start is there before its first event (value 0 or more)
        for (String backend : new String[]{"crm", "aspa"}) {
            for (String outcome : new String[]{"sent", "retry", "dead"}) {
                assertThat(now.matching("open311_forwarding_attempts_total", "backend", backend, "outcome", outcome))
                        .as(backend + " " + outcome).hasSize(1);
            }
            assertThat(now.matching("open311_forwarding_skipped_total", "backend", backend)).hasSize(1);
            assertThat(now.matching("open311_feed_poll_failures_total", "backend", backend)).hasSize(1);
            assertThat(now.matching("open311_feed_poll_skipped_total", "backend", backend)).hasSize(1);
            assertThat(now.matching("open311_feed_rewinds_total", "backend", backend)).hasSize(1);
            assertThat(now.matching("open311_backend_credentials_refused", "backend", backend)).hasSize(1);
        }
        for (String scope : new String[]{"post", "read", "auth"}) {
            assertThat(now.matching("open311_rate_limited_total", "scope", scope)).hasSize(1);
        }
        assertThat(now.matching("open311_build_info")).singleElement().satisfies(info -> {
            assertThat(info.value()).isEqualTo(1);
            assertThat(info.labels().get("version")).isEqualTo(BuildInfo.version()).isNotEqualTo("unknown");
        });
        // HikariCP's own binder, under the pool's name
        assertThat(now.sum("hikaricp_connections_max", "pool", "store")).isPositive();
        assertThat(now.matching("hikaricp_connections_active", "pool", "store")).hasSize(1);
        assertThat(now.matching("hikaricp_connections_acquire_seconds_count", "pool", "store")).hasSize(1);
        // one label style, Camel's and the JVM's series included: lower snake_case label names
        assertThat(now.matching("camel_exchanges_total")).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels()).containsKey("route_id").doesNotContainKey("routeId"));
        assertThat(now.samples()).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels().keySet()).as(sample.name())
                        .allMatch(label -> label.matches("[a-z][a-z0-9_]*")));
    }

    @Test
    void adminAndBackEndCallsStayOutOfThePublicApisSeries() {
        PrometheusText before = PrometheusText.scrape(managementPort());
        assertThat(get("/admin/dead-letters", "Authorization", "Bearer open311-demo-admin-token").status()).isEqualTo(200);
        assertThat(get("/admin/dead-letters").status()).isEqualTo(401);
        HttpAnswer push = send(HttpRequest.newBuilder(uri("/v1/backend/crm/notifications")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(push.status()).isEqualTo(401);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(managementPort());
            assertThat(delta(before, now, "open311_http_internal_requests_seconds_count", "surface", "admin",
                    "endpoint", "/admin/dead-letters", "method", "GET", "status", "200")).isEqualTo(1);
            assertThat(delta(before, now, "open311_http_internal_requests_seconds_count", "surface", "admin", "status", "401"))
                    .isEqualTo(1);
            assertThat(delta(before, now, "open311_http_internal_requests_seconds_count", "surface", "backend_push",
                    "method", "POST", "status", "401")).isEqualTo(1);
        });
        assertThat(PrometheusText.scrape(managementPort()).matching(HTTP_COUNT)).allSatisfy(sample ->
                assertThat(sample.labels().get("endpoint")).doesNotStartWith("/admin").doesNotContain("/backend/"));
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}

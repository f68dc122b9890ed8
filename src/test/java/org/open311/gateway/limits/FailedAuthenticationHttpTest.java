package org.open311.gateway.limits;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong API keys and admin tokens from one client address: after the configured number of failures that
 * address gets 429 with Retry-After in the error shape, even with valid credentials, while another
 * address goes on; the failures are logged as a rate, never with what was presented. The clients are
 * told apart by X-Forwarded-For, the test's loopback connection being a trusted proxy.
 */
class FailedAuthenticationHttpTest extends GatewayTestSupport {

    static final int LIMIT = 5;
    static final String KEY = "valid-key-" + UUID.randomUUID();
    static final String ADMIN_TOKEN = "admin-token-" + UUID.randomUUID();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    FailedAuthenticationHttpTest() {
        log.start();
        root.addAppender(log);
    }

    @AfterAll
    void stopWatchingTheLog() {
        root.detachAppender(log);
    }

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.admin.token", ADMIN_TOKEN);
        settings.put("gateway.rate-limit.auth-failures-per-address", String.valueOf(LIMIT));
        settings.put("gateway.rate-limit.auth-failure-period-seconds", "3600");
        settings.put("gateway.rate-limit.trusted-proxies", "127.0.0.1, 0:0:0:0:0:0:0:1");
        return settings;
    }

    @Test
    void manyDistinctWrongKeysFromOneAddressAre429AfterTheLimitWhileAnotherAddressPosts() {
        String attacker = "198.51.100.7";
        List<String> wrongKeys = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String wrong = "guessed-key-" + UUID.randomUUID();
            wrongKeys.add(wrong);
            statuses.add(post("json", wrong, attacker).status());
        }
        HttpAnswer refused = post("json", "guessed-key-" + UUID.randomUUID(), attacker);
        HttpAnswer refusedXml = post("xml", "guessed-key-" + UUID.randomUUID(), attacker);
        HttpAnswer validKeyFromAttacker = post("json", KEY, attacker);
        HttpAnswer otherAddress = post("json", KEY, "198.51.100.8");

        assertThat(statuses.subList(0, LIMIT)).containsOnly(403);
        assertThat(statuses.subList(LIMIT, statuses.size())).containsOnly(429);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.jsonField("code")).containsExactly("429");
        assertThat(refused.jsonField("description")).containsExactly("Too many failed authentications from this address: try again later");
        assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(refusedXml.status()).isEqualTo(429);
        assertThat(refusedXml.xpath("/errors/error/code")).containsExactly("429");
        assertThat(refusedXml.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(validKeyFromAttacker.status()).as("a valid key does not lift the refusal").isEqualTo(429);
        assertThat(otherAddress.status()).as(otherAddress.body()).isEqualTo(200);

        List<String> lines = warnings(attacker);
        assertThat(lines).as("one line at the first failure, one at the refusal").hasSize(2);
        assertThat(lines.get(1)).contains("Refusing " + attacker, LIMIT + " failed authentications", "api_key");
        assertThat(logText()).doesNotContain(wrongKeys).doesNotContain(KEY);
        assertThat(refusalsInMetrics()).isGreaterThanOrEqualTo(statuses.size() - LIMIT + 3);
    }

    @Test
    void wrongAdminTokensAre429AfterTheLimitWithBoundedLogLines() {
        String attacker = "198.51.100.9";
        List<String> wrongTokens = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String wrong = "guessed-token-" + UUID.randomUUID();
            wrongTokens.add(wrong);
            statuses.add(admin(wrong, attacker).status());
        }
        HttpAnswer refused = admin("guessed-token-" + UUID.randomUUID(), attacker);
        HttpAnswer rightTokenFromAttacker = admin(ADMIN_TOKEN, attacker);
        HttpAnswer otherAddress = admin(ADMIN_TOKEN, "198.51.100.10");

        assertThat(statuses.subList(0, LIMIT)).containsOnly(401);
        assertThat(statuses.subList(LIMIT, statuses.size())).containsOnly(429);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.jsonField("code")).containsExactly("429");
        assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(rightTokenFromAttacker.status()).isEqualTo(429);
        assertThat(otherAddress.status()).as(otherAddress.body()).isEqualTo(200);

        List<String> lines = warnings(attacker);
        assertThat(lines).as("100 wrong tokens, 2 lines").hasSize(2);
        assertThat(lines.get(0)).contains("Failed authentication from " + attacker, "wrong admin token");
        assertThat(logText()).doesNotContain(wrongTokens).doesNotContain(ADMIN_TOKEN);
    }

    private HttpAnswer post(String format, String key, String client) {
        return send(HttpRequest.newBuilder(uri("/v1/requests." + format)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + key + "&service_code=171&attribute%5Bsize%5D=small"
                        + "&description=Kuoppa+py%C3%B6r%C3%A4tiell%C3%A4&lat=60.17&long=24.94")).build());
    }

    private HttpAnswer admin(String token, String client) {
        return send(HttpRequest.newBuilder(uri("/admin/dead-letters")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("X-Forwarded-For", client).GET().build());
    }

    /** WARN (or worse) lines of the whole run that name the address. */
    private List<String> warnings(String address) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).filter(message -> message.contains(address)).toList();
    }

    private String logText() {
        StringBuilder text = new StringBuilder();
        events().forEach(e -> text.append(e.getFormattedMessage()).append(' ').append(e.getKeyValuePairs()).append('\n'));
        return text.toString();
    }

    private List<ILoggingEvent> events() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    /** Refusals of this limit as the operator sees them: open311_rate_limited_total{scope="auth"}. */
    private double refusalsInMetrics() {
        HttpAnswer metrics = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + "/observe/metrics")).build());
        return metrics.body().lines()
                .filter(line -> line.startsWith("open311_rate_limited_total{") && line.contains("scope=\"auth\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}

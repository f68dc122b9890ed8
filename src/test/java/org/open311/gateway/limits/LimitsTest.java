package org.open311.gateway.limits;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsTest {

    /** Only a request that may still send a body arms the body timer (a GET's timer held the request for the whole timeout). */
    @Test
    void onlyRequestsThatMaySendABodyWaitForOne() {
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_1_1, HttpMethod.GET, -1, null)).isFalse();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_1_1, HttpMethod.POST, 0, null)).isFalse();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_1_1, HttpMethod.POST, 120, null)).isTrue();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_1_1, HttpMethod.GET, 5, null)).isTrue();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_1_1, HttpMethod.POST, -1, "chunked")).isTrue();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_2, HttpMethod.POST, -1, null)).isTrue();
        assertThat(HttpGuard.mayHaveBody(HttpVersion.HTTP_2, HttpMethod.GET, -1, null)).isFalse();
    }

    @Test
    void eachClientHasItsOwnBudgetAndWaitsWithinThePeriod() {
        ClientRateLimits limits = new ClientRateLimits(3, Duration.ofSeconds(60), 100);

        for (int i = 0; i < 3; i++) {
            assertThat(limits.secondsToWait("a")).isZero();
        }
        long wait = limits.secondsToWait("a");
        assertThat(wait).isBetween(1L, 60L);
        assertThat(limits.secondsToWait("b")).isZero();
    }

    @Test
    void anAddressIsRefusedAfterItsFailuresUntilThePeriodFromItsFirstEnds() {
        AtomicLong now = new AtomicLong(0);
        FailedAuthentications failures = new FailedAuthentications(true, 3, Duration.ofSeconds(60), 100, new ClientAddress(""),
                scope -> { }, now::get);

        failures.failed("a", "api_key");
        now.set(Duration.ofSeconds(20).toNanos());
        failures.failed("a", "api_key");
        assertThat(failures.secondsRefused("a")).isZero();
        failures.failed("a", "wrong admin token");

        assertThat(failures.secondsRefused("a")).isEqualTo(40);
        assertThat(failures.secondsRefused("b")).isZero();
        now.set(Duration.ofSeconds(59).toNanos());
        assertThat(failures.secondsRefused("a")).isEqualTo(1);
        now.set(Duration.ofSeconds(60).toNanos());
        assertThat(failures.secondsRefused("a")).isZero();
        // a new period: its own count from its first failure
        failures.failed("a", "api_key");
        assertThat(failures.secondsRefused("a")).isZero();
    }

    @Test
    void withTheRateLimitsOffFailuresAreCountedButNobodyIsRefused() {
        FailedAuthentications failures = new FailedAuthentications(false, 1, Duration.ofSeconds(60), 100, new ClientAddress(""),
                scope -> { }, System::nanoTime);

        failures.failed("a", "api_key");
        failures.failed("a", "api_key");

        assertThat(failures.secondsRefused("a")).isZero();
    }

    @Test
    void aLimitNeedsSensibleSettings() {
        assertThatThrownBy(() -> new ClientRateLimits(0, Duration.ofSeconds(1), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRateLimits(1, Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailedAuthentications(true, 0, Duration.ofSeconds(1), 10, new ClientAddress(""), s -> { },
                System::nanoTime)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardedForCountsOnlyBehindATrustedProxy() {
        ClientAddress none = new ClientAddress("");
        ClientAddress proxied = new ClientAddress("10.0.0.1, 10.0.0.2");

        assertThat(none.of("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(proxied.of("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(proxied.of("10.0.0.1", "198.51.100.1")).isEqualTo("198.51.100.1");
        // a client-written entry left of the real one is ignored; the city's own hops are skipped
        assertThat(proxied.of("10.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2")).isEqualTo("198.51.100.1");
        assertThat(proxied.of("10.0.0.1", null)).isEqualTo("10.0.0.1");
        assertThat(proxied.of(null, "1.2.3.4")).isEqualTo("unknown");
    }

    @Test
    void pathsAndQueriesMustBeUtf8PercentEncoding() {
        assertThat(HttpGuard.isValidUtf8(null)).isTrue();
        assertThat(HttpGuard.isValidUtf8("locale=fi&q=py%C3%B6r%C3%A4tie")).isTrue();
        assertThat(HttpGuard.isValidUtf8("/v1/requests.json")).isTrue();
        assertThat(HttpGuard.isValidUtf8("q=%FF")).isFalse();
        assertThat(HttpGuard.isValidUtf8("q=%C3%28")).isFalse();
        assertThat(HttpGuard.isValidUtf8("q=%ZZ")).isFalse();
        assertThat(HttpGuard.isValidUtf8("q=%C")).isFalse();
        // bytes sent unencoded arrive one char per byte: invalid UTF-8 stays detectable
        assertThat(HttpGuard.isValidUtf8("q=\u00ff")).isFalse();
        assertThat(HttpGuard.isValidUtf8("q=\u00c3\u00a4")).isTrue();
    }

    @Test
    void serverTuningKeepsTheServersOwnOptionsAndAddsItsLimits() {
        io.vertx.core.http.HttpServerOptions camels = new io.vertx.core.http.HttpServerOptions().setPort(1234).setCompressionSupported(true);

        io.vertx.core.http.HttpServerOptions tuned = ServerTuning.tuned(camels, 45, 65536, 0);

        assertThat(tuned.getPort()).isEqualTo(1234);
        assertThat(tuned.isCompressionSupported()).isTrue();
        assertThat(tuned.getIdleTimeout()).isEqualTo(45);
        assertThat(tuned.getIdleTimeoutUnit()).isEqualTo(java.util.concurrent.TimeUnit.SECONDS);
        assertThat(tuned.getMaxFormAttributeSize()).isEqualTo(65536);
        assertThat(tuned.getMaxInitialLineLength()).isEqualTo(ServerTuning.MAX_REQUEST_LINE_BYTES);
        assertThat(tuned.isHttp2ClearTextEnabled()).as("h2c off: each connection's decoder is made strict before it reads").isFalse();
        assertThat(camels.getIdleTimeout()).isZero();
    }

    @Test
    void serverTuningCompressesAtTheLevelAskedOrNotAtAll() {
        io.vertx.core.http.HttpServerOptions camels = new io.vertx.core.http.HttpServerOptions();

        assertThat(ServerTuning.tuned(camels, 45, 65536, 4).isCompressionSupported()).isTrue();
        assertThat(ServerTuning.tuned(camels, 45, 65536, 4).getCompressionLevel()).isEqualTo(4);
        assertThat(ServerTuning.tuned(camels, 45, 65536, 0).isCompressionSupported()).isFalse();
    }
}

package org.open311.gateway.backends;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.open311.gateway.backends.DeliveryPolicy.Decision;
import org.open311.gateway.backends.DeliveryPolicy.Outcome;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of a request whose send did not succeed: skipped by the open circuit, failed, refused, or waiting too long. */
class DeliveryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final OffsetDateTime NOW_UTC = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
    private static final Forwarding.Settings SETTINGS = new Forwarding.Settings(10, Duration.ofSeconds(60), 3,
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofHours(72));

    private final DeliveryPolicy policy = new DeliveryPolicy(SETTINGS);
    private final CamelContext camel = new DefaultCamelContext();
    private final Forwarding forwarding = new Forwarding(SETTINGS, null, Clock.fixed(NOW, ZoneOffset.UTC));

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://crm/cases/abc", status, "", null, null, "");
    }

    @Test
    void aSendTheOpenCircuitSkippedIsNoAttemptAndWaitsForTheCircuitHoweverManyAttemptsCame() {
        for (int attempts : new int[] {0, 2, 50}) {
            Decision decision = policy.afterFailure(attempts, new ShortCircuited("crm"), true, Duration.ofHours(71));

            assertThat(decision).isEqualTo(new Decision(Outcome.CIRCUIT_OPEN, false, Duration.ofSeconds(15), "circuit open"));
        }
    }

    @Test
    void aFailedCallIsAnAttemptBackedOffAndItsLastMakesADeadLetter() {
        assertThat(policy.afterFailure(0, http(503), false, Duration.ZERO))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(1), "HTTP 503"));
        assertThat(policy.afterFailure(1, new ConnectException(), false, Duration.ofSeconds(1)))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(2), "ConnectException"));
        assertThat(policy.afterFailure(2, http(500), false, Duration.ofSeconds(3)))
                .isEqualTo(new Decision(Outcome.DEAD, true, null, "HTTP 500"));
    }

    @Test
    void theLastAttemptMakesNoDeadLetterWhileTheBackEndIsDownAsAWhole() {
        // e.g. the half-open circuit's one trial call failed: the back end is down, not refusing this request
        assertThat(policy.afterFailure(2, http(503), true, Duration.ofMinutes(5)))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(4), "HTTP 503"));
        assertThat(policy.afterFailure(40, http(503), true, Duration.ofHours(1)))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(8), "HTTP 503"));
    }

    @Test
    void aRefusalIsADeadLetterAtOnceWhateverTheCircuit() {
        assertThat(policy.afterFailure(0, http(400), false, Duration.ZERO)).isEqualTo(new Decision(Outcome.DEAD, true, null, "HTTP 400"));
        assertThat(policy.afterFailure(0, http(422), true, Duration.ZERO)).isEqualTo(new Decision(Outcome.DEAD, true, null, "HTTP 422"));
    }

    @Test
    void aRefusalOfOurCredentialsIsRetriedAndNeverADeadLetterByItsAttempts() {
        // the gateway's credential is wrong, not the request: fixing it must deliver every waiting request
        assertThat(policy.afterFailure(0, http(401), false, Duration.ZERO))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(1), "HTTP 401"));
        assertThat(policy.afterFailure(40, http(403), false, Duration.ofHours(1)))
                .isEqualTo(new Decision(Outcome.RETRY, true, Duration.ofSeconds(8), "HTTP 403"));
        // the give-up time still applies
        assertThat(policy.afterFailure(40, http(401), false, Duration.ofHours(72)).outcome()).isEqualTo(Outcome.DEAD);
    }

    @Test
    void aRequestUndeliveredForTheGiveUpTimeIsADeadLetterWhateverTheCircuit() {
        assertThat(policy.afterFailure(1, new ShortCircuited("crm"), true, Duration.ofHours(72)))
                .isEqualTo(new Decision(Outcome.DEAD, false, null, "back end unavailable for longer than 72 h (last: circuit open)"));
        assertThat(policy.afterFailure(1, http(503), true, Duration.ofHours(80)))
                .isEqualTo(new Decision(Outcome.DEAD, true, null, "back end unavailable for longer than 72 h (last: HTTP 503)"));
        assertThat(policy.afterFailure(1, http(503), true, Duration.ofHours(72).minusSeconds(1)).outcome()).isEqualTo(Outcome.RETRY);
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCap() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(30)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void onlyServerErrorsTimeoutsAndThrottlingAreRetried() {
        assertThat(DeliveryPolicy.retryable(http(503))).isTrue();
        assertThat(DeliveryPolicy.retryable(http(429))).isTrue();
        assertThat(DeliveryPolicy.retryable(http(408))).isTrue();
        assertThat(DeliveryPolicy.retryable(http(400))).isFalse();
        assertThat(DeliveryPolicy.retryable(http(404))).isFalse();
        assertThat(DeliveryPolicy.retryable(http(401))).isTrue();
        assertThat(DeliveryPolicy.retryable(new ConnectException())).isTrue();
    }

    // Forwarding reads the breaker's fallback as camel-resilience4j leaves it (CircuitFallbackTest pins that)

    @Test
    void aFallbackWithNoExceptionAndTheCircuitOpenIsASkipThatLeavesAttemptsAndErrorAlone() {
        Exchange exchange = fallback(null, "OPEN", row(2, null));

        Outbox.Outcome outcome = forwarding.decide(exchange, Forwarding.rowOf(exchange), NOW_UTC);

        assertThat(outcome).isEqualTo(new Outbox.Outcome("PENDING", false, "circuit open", true, NOW_UTC.plusSeconds(15), true,
                null, "CIRCUIT_OPEN", "circuit open"));
    }

    @Test
    void aFallbackWithTheCallsExceptionIsAFailedAttempt() {
        Exchange exchange = fallback(http(503), "CLOSED", row(0, null));

        Outbox.Outcome outcome = forwarding.decide(exchange, Forwarding.rowOf(exchange), NOW_UTC);

        assertThat(outcome).isEqualTo(new Outbox.Outcome("PENDING", true, "HTTP 503", false, NOW_UTC.plusSeconds(1), true,
                null, "RETRY", "HTTP 503"));
    }

    @Test
    void aSkipOfARequestFailingSinceLongerThanTheGiveUpTimeMakesADeadLetterWithTheCause() {
        Exchange exchange = fallback(null, "OPEN", row(1, OffsetDateTime.ofInstant(NOW.minus(Duration.ofHours(73)), ZoneOffset.UTC)));

        Outbox.Outcome outcome = forwarding.decide(exchange, Forwarding.rowOf(exchange), NOW_UTC);

        String cause = "back end unavailable for longer than 72 h (last: circuit open)";
        assertThat(outcome).isEqualTo(new Outbox.Outcome("DEAD", false, cause, false, null, false, null, "DEAD", cause));
    }

    @Test
    void anAcceptedSendIsSentWithTheBackEndsId() {
        Exchange exchange = fallback(null, "CLOSED", row(3, OffsetDateTime.ofInstant(NOW.minusSeconds(60), ZoneOffset.UTC)));
        exchange.setProperty(Forwarding.BACKEND_ID, "CASE-1");

        assertThat(forwarding.decide(exchange, Forwarding.rowOf(exchange), NOW_UTC))
                .isEqualTo(new Outbox.Outcome("SENT", true, null, false, null, false, "CASE-1", "SENT", "CASE-1"));
    }

    @Test
    void failingSinceIsReadAsEitherStoreReturnsIt() {
        OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
        assertThat(Forwarding.failingFor(null, now)).isEqualTo(Duration.ZERO);
        assertThat(Forwarding.failingFor(now.minusHours(2), now)).isEqualTo(Duration.ofHours(2));
        assertThat(Forwarding.failingFor(java.sql.Timestamp.from(NOW.minusSeconds(90)), now)).isEqualTo(Duration.ofSeconds(90));
    }

    /** An exchange as the breaker's fallback leaves it, after {@code Forwarding.failed} ran in it. */
    private Exchange fallback(Exception caught, String circuitState, Map<String, Object> row) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(row);
        forwarding.begin(exchange);
        exchange.setProperty(Forwarding.CLAIM, "claim-1");
        if (caught != null) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        }
        exchange.setProperty(Exchange.CIRCUIT_BREAKER_STATE, circuitState);
        forwarding.failed(exchange, "crm");
        return exchange;
    }

    private static Map<String, Object> row(int attempts, OffsetDateTime failingSince) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", "abc123");
        row.put("task_attempts", attempts);
        row.put("task_failing_since", failingSince);
        return row;
    }
}

package org.open311.gateway.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheck;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.open311.gateway.observe.CredentialRefusals;
import org.open311.gateway.observe.FeedRewinds;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The back end's check names a refusal of our credentials before the open circuit it causes. */
class BackendHealthCheckTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T08:00:00Z"), ZoneOffset.UTC);
    private final CircuitBreaker circuit = CircuitBreaker.ofDefaults("crm");
    private final CredentialRefusals credentials = new CredentialRefusals(clock);
    private final FeedRewinds rewinds = new FeedRewinds(clock);
    private final BackendHealthCheck check = new BackendHealthCheck("crm", circuit, store(), credentials, rewinds);

    @Test
    void refusedCredentialsAreNamedEvenWhileTheCircuitIsOpen() {
        circuit.transitionToForcedOpenState();
        credentials.refused("crm", 403, CredentialRefusals.SEND);

        HealthCheck.Result result = check.call();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("crm: credentials refused (HTTP 403) since 2026-11-28T08:00:00Z").doesNotContain("circuit"));
        assertThat(result.getDetails()).containsEntry("credentials", "credentials refused (HTTP 403)")
                .containsEntry("circuit", "FORCED_OPEN");

        // a feed read (which may need no credential) does not end a refusal of the sends
        credentials.accepted("crm", CredentialRefusals.FEED);
        assertThat(check.call().getDetails()).containsEntry("credentials", "credentials refused (HTTP 403)");
        credentials.accepted("crm", CredentialRefusals.SEND);
        HealthCheck.Result after = check.call();
        assertThat(after.getDetails()).containsEntry("credentials", "accepted");
        assertThat(after.getMessage()).hasValueSatisfying(message -> assertThat(message).contains("circuit is open"));
    }

    @Test
    void aRewoundFeedIsShownWithoutTakingTheBackEndDown() {
        rewinds.rewound("crm", "57", "12");

        HealthCheck.Result result = check.call();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("feed_rewound_from", "57").containsEntry("feed_latest_then", "12")
                .containsEntry("feed_rewound_at", "2026-11-28T08:00:00Z");
        assertThat(rewinds.counter("crm").get()).isEqualTo(1);
    }

    @Test
    void onlyANumericFeedBehindOurCursorWentBackwards() {
        assertThat(FeedRewinds.wentBackwards("57", "12")).isTrue();
        assertThat(FeedRewinds.wentBackwards("57", "0")).isTrue();
        assertThat(FeedRewinds.wentBackwards("57", "57")).isFalse();
        assertThat(FeedRewinds.wentBackwards("57", "90")).isFalse();
        assertThat(FeedRewinds.wentBackwards("57", null)).as("a feed that does not say").isFalse();
        assertThat(FeedRewinds.wentBackwards("c-57", "12")).as("opaque cursors").isFalse();
    }

    /** A store without the tables: the check reports it unreachable and still says the rest. */
    private static JdbcDataSource store() {
        JdbcDataSource store = new JdbcDataSource();
        store.setURL("jdbc:h2:mem:backend-health-check");
        return store;
    }
}

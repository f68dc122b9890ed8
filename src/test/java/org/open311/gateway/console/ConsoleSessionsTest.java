package org.open311.gateway.console;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions end when idle and, however busy, at the latest a set time after login; the store keeps no usable id. */
class ConsoleSessionsTest {

    private final MovableClock clock = new MovableClock();
    private DataSource store;
    private ConsoleSessions sessions;

    @BeforeEach
    void freshStore() {
        store = Database.open(new Database.Settings("jdbc:h2:mem:sessions-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "", "", 2, StoreTimeouts.defaults()));
        sessions = new ConsoleSessions(store, clock, Duration.ofMinutes(30), Duration.ofHours(8));
    }

    @Test
    void anIdleSessionEndsAndEachRequestPushesTheEndOn() throws Exception {
        ConsoleSessions.Session session = sessions.start(2, "fi");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(session.id())).hasValueSatisfying(found -> {
            assertThat(found.tokenNumber()).isEqualTo(2);
            assertThat(found.language()).isEqualTo("fi");
            assertThat(found.csrfToken()).isEqualTo(session.csrfToken());
        });
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(session.id())).as("29 minutes after the last request").isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.find(session.id())).as("31 minutes idle").isEmpty();
    }

    @Test
    void aBusySessionEndsAtTheLongestAfterLogin() throws Exception {
        ConsoleSessions.Session session = sessions.start(1, "en");
        for (int i = 0; i < 16; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(session.id())).as("after %d minutes", (i + 1) * 29).isPresent();
        }
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(session.id())).as("8 h 13 min after login").isEmpty();
    }

    @Test
    void anUnknownOrEndedIdOpensNothing() throws Exception {
        ConsoleSessions.Session session = sessions.start(1, "en");
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(ConsoleSessions.randomToken())).isEmpty();
        sessions.end(session);
        assertThat(sessions.find(session.id())).isEmpty();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package org.open311.gateway.console;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.store.ApiKeys;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's rows in the store (V21), on H2 and PostgreSQL: sessions end when idle and, however busy, at
 * the latest a set time after login, and the store keeps no usable id; instances' heartbeats.
 */
abstract class ConsoleStoreTest {

    private final MovableClock clock = new MovableClock();
    private HikariDataSource store;
    private ConsoleSessions sessions;

    abstract TestDatabase database();

    @BeforeEach
    void freshStore() {
        Properties fresh = database().freshStore();
        store = Database.open(new Database.Settings(fresh.getProperty("gateway.db.url"), fresh.getProperty("gateway.db.user"),
                fresh.getProperty("gateway.db.password"), fresh.getProperty("gateway.db.schema", ""), 2, StoreTimeouts.defaults()));
        sessions = new ConsoleSessions(store, clock, Duration.ofMinutes(30), Duration.ofHours(8));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theStoreKeepsOnlyTheHashOfASessionsId() throws Exception {
        ConsoleSessions.Session session = sessions.start(1, "en");
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id_hash FROM console_session");
             ResultSet row = select.executeQuery()) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(ApiKeys.hash(session.id())).doesNotContain(session.id());
        }
    }

    @Test
    void eachInstanceIsSeenWithItsVersionAndOneGoneSilentIsNotRunning() throws Exception {
        Instances first = new Instances(store, clock, 8080);
        Instances second = new Instances(store, clock, 8081);
        first.beat();
        second.beat();
        clock.advance(Duration.ofMinutes(2));
        first.beat();
        List<Instances.Instance> seen = first.seen(Duration.ofMinutes(1));
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).satisfies(i -> {
            assertThat(i.host()).endsWith(":8080");
            assertThat(i.current()).isTrue();
            assertThat(i.self()).isTrue();
            assertThat(i.version()).isNotBlank();
        });
        assertThat(seen.get(1)).satisfies(i -> {
            assertThat(i.host()).endsWith(":8081");
            assertThat(i.current()).isFalse();
            assertThat(i.self()).isFalse();
        });
        clock.advance(Duration.ofDays(1));
        first.beat();
        assertThat(first.seen(Duration.ofMinutes(1))).singleElement().satisfies(i -> assertThat(i.self()).isTrue());
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

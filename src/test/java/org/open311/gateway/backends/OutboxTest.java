package org.open311.gateway.backends;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox's claims: exclusive, expiring, and an outcome recorded only while its claim holds. */
class OutboxTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 29, 8, 0, 0, 0, ZoneOffset.UTC);
    private static final Outbox.Outcome SENT = new Outbox.Outcome("SENT", true, null, false, null, false, "CASE-1", "SENT", "CASE-1");

    private HikariDataSource store;
    private Outbox outbox;

    @BeforeEach
    void store() throws Exception {
        store = Database.open(new Database.Settings("jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", "", 2,
                StoreTimeouts.defaults()));
        Backends backends = new Backends(List.of());
        outbox = new Outbox(store, new BackendRecords(store, backends, Clock.systemUTC()));
        try (Connection connection = store.getConnection()) {
            for (String id : List.of("r1", "r2")) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO service_request (id, service_code,"
                        + " description, status, detailed_status, published, requested_at, updated_at)"
                        + " VALUES (?, '191', 'Roskia', 'open', 'RECEIVED', FALSE, ?, ?)")) {
                    insert.setString(1, id);
                    insert.setObject(2, NOW);
                    insert.setObject(3, NOW);
                    insert.executeUpdate();
                }
                Outbox.schedule(connection, id, List.of(new Outbox.Task("crm", null)), "PENDING", NOW);
            }
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aClaimIsExclusiveUntilItExpires() throws Exception {
        List<Map<String, Object>> first = outbox.claim("crm", 10, "a", NOW, NOW.plusSeconds(60));
        List<Map<String, Object>> second = outbox.claim("crm", 10, "b", NOW.plusSeconds(30), NOW.plusSeconds(90));
        List<Map<String, Object>> afterExpiry = outbox.claim("crm", 10, "c", NOW.plusSeconds(61), NOW.plusSeconds(121));

        assertThat(first).extracting(row -> row.get("id")).containsExactlyInAnyOrder("r1", "r2");
        assertThat(second).isEmpty();
        assertThat(afterExpiry).extracting(row -> row.get("id")).containsExactlyInAnyOrder("r1", "r2");
        assertThat(outbox.claim("other", 10, "d", NOW, NOW.plusSeconds(60))).as("another back end's tasks").isEmpty();
    }

    @Test
    void anOutcomeAfterTheClaimExpiredChangesNothing() throws Exception {
        outbox.claim("crm", 1, "a", NOW, NOW.plusSeconds(60));

        boolean late = outbox.record("crm", "r1", "a", NOW.plusSeconds(61), SENT);
        // another instance claimed it since: the first one's outcome must not close its task
        outbox.claim("crm", 1, "b", NOW.plusSeconds(62), NOW.plusSeconds(122));
        boolean stale = outbox.record("crm", "r1", "a", NOW.plusSeconds(63), SENT);

        assertThat(late).isFalse();
        assertThat(stale).isFalse();
        assertThat(state("r1")).isEqualTo("PENDING");
        assertThat(attempts("r1")).isZero();
        assertThat(outbox.record("crm", "r1", "b", NOW.plusSeconds(64), SENT)).isTrue();
        assertThat(state("r1")).isEqualTo("SENT");
        assertThat(attempts("r1")).isEqualTo(1);
    }

    @Test
    void aPollsOutcomesAreRecordedTogetherSaveThoseWhoseClaimExpired() throws Exception {
        outbox.claim("crm", 1, "a", NOW, NOW.plusSeconds(60));
        // r2 is claimed by another poll: the outcome this poll has for it is not its to write
        outbox.claim("crm", 1, "b", NOW, NOW.plusSeconds(60));
        Outbox.Outcome retry = new Outbox.Outcome("PENDING", true, "HTTP 503", false, NOW.plusSeconds(30), true, null, "RETRY",
                "HTTP 503");

        List<Outbox.Recorded> expired = outbox.recordAll("crm", "a", List.of(
                new Outbox.Recorded("r2", "", NOW.plusSeconds(1), SENT), new Outbox.Recorded("r1", "", NOW.plusSeconds(1), retry)));

        assertThat(expired).extracting(Outbox.Recorded::requestId).containsExactly("r2");
        assertThat(state("r1")).isEqualTo("PENDING");
        assertThat(single("SELECT last_error FROM forward_task WHERE request_id = ?", "r1")).isEqualTo("HTTP 503");
        assertThat(single("SELECT outcome FROM forward_attempt WHERE request_id = ?", "r1")).isEqualTo("RETRY");
        assertThat(state("r2")).isEqualTo("PENDING");
        assertThat(attempts("r2")).isZero();
        assertThat(single("SELECT COUNT(*) FROM backend_record WHERE request_id = ?", "r2")).isEqualTo("0");
    }

    @Test
    void whenAPollsOutcomesCannotBeRecordedTogetherEachIsRecordedAlone() throws Exception {
        outbox.claim("crm", 10, "a", NOW, NOW.plusSeconds(60));
        Forwarding forwarding = new Forwarding(new Forwarding.Settings(10, java.time.Duration.ofSeconds(60), 3,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(15),
                java.time.Duration.ofHours(72)), outbox, Clock.systemUTC());
        org.apache.camel.Exchange poll = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        poll.setProperty(Forwarding.CLAIM, "a");
        java.util.Queue<Outbox.Recorded> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        poll.setProperty(Forwarding.OUTCOMES, outcomes);
        // r2's error is longer than its column: the store refuses it, and with it the transaction of both
        Outbox.Outcome unstorable = new Outbox.Outcome("PENDING", true, "x".repeat(600), false, NOW.plusSeconds(30), true, null,
                "RETRY", "HTTP 503");
        outcomes.add(new Outbox.Recorded("r1", "", NOW.plusSeconds(1), SENT));
        outcomes.add(new Outbox.Recorded("r2", "", NOW.plusSeconds(1), unstorable));

        forwarding.recordOutcomes(poll, "crm");

        assertThat(state("r1")).as("recorded alone").isEqualTo("SENT");
        assertThat(attempts("r1")).isEqualTo(1);
        assertThat(attempts("r2")).as("not recorded: sent again once its claim expires").isZero();
        assertThat(outcomes).isEmpty();
    }

    @Test
    void aFurtherBackEndIsAskedForOnceHoweverOftenTheChangeIsRead() throws Exception {
        assertThat(outbox.scheduleFurther("r1", new Outbox.Task("aspa", "POTHOLE_REPAIR"), NOW)).isTrue();
        assertThat(outbox.scheduleFurther("r1", new Outbox.Task("aspa", "OTHER"), NOW)).isFalse();
        assertThat(outbox.scheduleFurther("unknown", new Outbox.Task("aspa", "OTHER"), NOW)).isFalse();

        assertThat(outbox.claim("aspa", 10, "a", NOW, NOW.plusSeconds(60))).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("id", "r1").containsEntry("task_category", "POTHOLE_REPAIR"));
    }

    private String state(String id) throws Exception {
        return single("SELECT state FROM forward_task WHERE request_id = ?", id);
    }

    private int attempts(String id) throws Exception {
        return Integer.parseInt(single("SELECT COUNT(*) FROM forward_attempt WHERE request_id = ?", id));
    }

    private String single(String sql, String id) throws Exception {
        try (Connection connection = store.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}

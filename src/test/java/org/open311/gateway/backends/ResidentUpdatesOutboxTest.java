package org.open311.gateway.backends;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
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

/**
 * Residents' updates in the one outbox: tasks only for back ends that take updates and hold the request, due only
 * once the request's own task is sent, claimed exclusively, and each closed by its own key.
 */
class ResidentUpdatesOutboxTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 29, 8, 0, 0, 0, ZoneOffset.UTC);
    private static final Outbox.Outcome SENT = new Outbox.Outcome("SENT", true, null, false, null, false, "CRM-1", "SENT", "CRM-1");

    private HikariDataSource store;
    private Outbox outbox;
    private final ResidentUpdates updates = new ResidentUpdates(Map.of("crm", new CrmUpdateMapping()));

    @BeforeEach
    void store() throws Exception {
        store = Database.open(new Database.Settings("jdbc:h2:mem:updates-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", "", 2,
                StoreTimeouts.defaults()));
        outbox = new Outbox(store, new BackendRecords(store, new Backends(List.of()), Clock.systemUTC()));
        try (Connection connection = store.getConnection()) {
            execute(connection, "INSERT INTO api_key (id, name, key_hash, created_at) VALUES (1, 'app', '" + "a".repeat(64) + "', ?)", NOW);
            execute(connection, "INSERT INTO service_request (id, service_code, description, status, detailed_status, published,"
                    + " requested_at, updated_at) VALUES ('r1', '171', 'Kuoppa', 'open', 'RECEIVED', FALSE, ?, ?)", NOW, NOW);
            Outbox.schedule(connection, "r1", List.of(new Outbox.Task("crm", null), new Outbox.Task("aspa", "POTHOLE")), "PENDING", NOW);
            for (String id : List.of("u1", "u2")) {
                execute(connection, "INSERT INTO request_update (id, request_id, api_key_id, client_update_id, status, description,"
                        + " updated_datetime, email, created_at) VALUES (?, 'r1', 1, ?, 'OPEN', 'Isompi', ?, 'a@example.org', ?)",
                        id, "client-" + id, NOW, NOW);
                Exchange exchange = new DefaultExchange(new DefaultCamelContext());
                exchange.getMessage().setHeader("requestId", "r1");
                exchange.getMessage().setHeader("id", id);
                exchange.getMessage().setHeader("createdAt", NOW);
                updates.write(connection, exchange);
            }
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anUpdateGoesOnlyToBackEndsThatTakeUpdatesAndWaitsForItsRequest() throws Exception {
        assertThat(count("SELECT COUNT(*) FROM forward_task WHERE update_id <> ''")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM forward_task WHERE update_id <> '' AND backend = 'aspa'")).isZero();

        List<Map<String, Object>> first = outbox.claim("crm", 10, "a", NOW, NOW.plusSeconds(60));
        assertThat(first).extracting(row -> row.get("task_update_id")).containsExactly("");
        assertThat(outbox.record("crm", "r1", "a", NOW, SENT)).isTrue();

        List<Map<String, Object>> second = outbox.claim("crm", 10, "b", NOW, NOW.plusSeconds(60));
        assertThat(second).extracting(row -> row.get("task_update_id")).containsExactlyInAnyOrder("u1", "u2");
        assertThat(second).allSatisfy(row -> {
            assertThat(row.get("task_remote_id")).isEqualTo("CRM-1");
            assertThat(row.get("update_status")).isEqualTo("OPEN");
            assertThat(row.get("update_email")).isEqualTo("a@example.org");
        });
        assertThat(outbox.claim("crm", 10, "c", NOW.plusSeconds(1), NOW.plusSeconds(61))).as("claimed by b").isEmpty();

        Outbox.Outcome updateSent = new Outbox.Outcome("SENT", true, null, false, null, false, "CRM-1/updates/u1", "SENT", "CRM-1/updates/u1");
        assertThat(outbox.record("crm", "r1", "u1", "b", NOW.plusSeconds(2), updateSent)).isTrue();
        assertThat(state("u1")).isEqualTo("SENT");
        assertThat(state("u2")).as("closed by its own key only").isEqualTo("PENDING");
        assertThat(count("SELECT COUNT(*) FROM backend_record WHERE remote_id = 'CRM-1'")).as("the request's id kept").isEqualTo(1);
    }

    @Test
    void aClaimTakesNoMoreTasksThanTheBatchHoweverManyUpdatesARequestHas() throws Exception {
        outbox.claim("crm", 10, "a", NOW, NOW.plusSeconds(60));
        assertThat(outbox.record("crm", "r1", "a", NOW, SENT)).isTrue();

        // u1 and u2 are due on the same request: a batch of one takes one of them, the next poll the other
        List<Map<String, Object>> first = outbox.claim("crm", 1, "b", NOW, NOW.plusSeconds(60));
        List<Map<String, Object>> second = outbox.claim("crm", 1, "c", NOW, NOW.plusSeconds(60));

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(List.of(first.get(0).get("task_update_id"), second.get(0).get("task_update_id"))).containsExactlyInAnyOrder("u1", "u2");
        assertThat(outbox.claim("crm", 1, "d", NOW, NOW.plusSeconds(60))).isEmpty();
    }

    private String state(String updateId) throws Exception {
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT state FROM forward_task WHERE update_id = ?")) {
            select.setString(1, updateId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = store.getConnection(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(Connection connection, String sql, Object... values) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}

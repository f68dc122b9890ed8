package org.open311.gateway.requests;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The race the HTTP test can only provoke: two posts with one key both found no earlier post, and both
 * insert. The second one's transaction fails on the key, is rolled back whole, and answers the first's id.
 */
class IdempotentPostsStoreTest {

    private static final String INSERT = "INSERT INTO service_request (id, service_code, description, status,"
            + " detailed_status, published, requested_at, updated_at, api_key_id) VALUES (:?id, '200', :?description,"
            + " 'open', 'RECEIVED', FALSE, :?requestedAt, :?requestedAt, :?apiKeyId)";

    /** Fingerprints are SHA-256 in hex. */
    private static final String FINGERPRINT_A = "a".repeat(64);
    private static final String FINGERPRINT_B = "b".repeat(64);

    private static HikariDataSource store;
    private static long apiKeyId;
    private final IdempotentPosts posts = new IdempotentPosts(store, (connection, exchange) -> { }, Clock.systemUTC(), Duration.ofDays(1));

    @BeforeAll
    static void open() throws Exception {
        store = Database.open(new Database.Settings("jdbc:h2:mem:idempotency;DB_CLOSE_DELAY=-1", "sa", "", "", 2,
                StoreTimeouts.defaults()));
        try (Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO api_key (name, key_hash, created_at)"
                     + " VALUES ('test', '" + "0".repeat(64) + "', CURRENT_TIMESTAMP)", new String[] {"id"})) {
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                apiKeyId = keys.getLong(1);
            }
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aTwinThatLosesTheRaceAnswersTheWinnersIdAndStoresNothing() throws Exception {
        Exchange winner = post("twin-key", "Sama ilmoitus kahdesti", FINGERPRINT_A);
        Exchange loser = post("twin-key", "Sama ilmoitus kahdesti", FINGERPRINT_A);

        posts.insert(winner);
        posts.insert(loser);

        String winnerId = winner.getMessage().getHeader("id", String.class);
        assertThat(posts.isNew(winner)).isTrue();
        assertThat(posts.isReplay(loser)).isTrue();
        assertThat(loser.getMessage().getHeader("id", String.class)).isEqualTo(winnerId);
        assertThat(storedIds("Sama ilmoitus kahdesti")).containsExactly(winnerId);
    }

    @Test
    void aTwinWithOtherContentIs422AndIsRolledBack() throws Exception {
        posts.insert(post("other-key", "Ensimmäinen ilmoitus", FINGERPRINT_A));

        assertThatThrownBy(() -> posts.insert(post("other-key", "Toinen ilmoitus", FINGERPRINT_B)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(storedIds("Toinen ilmoitus")).isEmpty();
    }

    /** An exchange as the post route has it just before the insert. */
    private static Exchange post(String key, String description, String fingerprint) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(IdempotentPosts.KEY, key);
        exchange.setProperty(IdempotentPosts.FINGERPRINT, fingerprint);
        Map<String, Object> headers = new HashMap<>(Map.of("id", RequestIds.next(), "description", description,
                "requestedAt", OffsetDateTime.now(ZoneOffset.UTC), "apiKeyId", apiKeyId));
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(INSERT);
        return exchange;
    }

    private static List<String> storedIds(String description) throws Exception {
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM service_request WHERE description = ?")) {
            select.setString(1, description);
            try (ResultSet rows = select.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }
}

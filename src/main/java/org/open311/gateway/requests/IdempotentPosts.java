package org.open311.gateway.requests;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jdbc.DefaultJdbcPrepareStatementStrategy;
import org.apache.camel.component.jdbc.JdbcPrepareStatementStrategy;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.media.Upload;
import org.open311.gateway.store.ApiKeys;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Posts a client may safely retry: a post with an {@code Idempotency-Key} stores its request and the key
 * (per API key, with the post's fingerprint) in one transaction, and for the retention period a post with
 * the same key gets the first post's answer without storing anything; with other content, 422.
 *
 * <p>Why one transaction: the request and its key are both stored or neither, so a key never points to
 * nothing and a stored request always has its key. The key's primary key lets one post per key in:
 * a concurrent twin waits for the first one's transaction, fails on the key, rolls its own request back
 * and answers the first one's id.
 */
public final class IdempotentPosts {

    static final String KEY = "open311.idempotencyKey";
    static final String FINGERPRINT = "open311.fingerprint";
    static final String REPLAYED = "open311.replayed";
    private static final String UNIQUE_VIOLATION = "23505";

    /** More rows written with each new request, in its transaction (its forwarding work: the back ends' outbox). */
    public interface SameTransaction {
        void write(Connection connection, Exchange exchange) throws SQLException;
    }

    private final DataSource store;
    private final SameTransaction alongside;
    private final Clock clock;
    private final Duration retention;
    /** camel-jdbc's own binding of {@code :?name} to headers, as for every other statement of the routes. */
    private final JdbcPrepareStatementStrategy statements = new DefaultJdbcPrepareStatementStrategy();

    public IdempotentPosts(DataSource store, SameTransaction alongside, Clock clock, Duration retention) {
        this.store = store;
        this.alongside = alongside;
        this.clock = clock;
        this.retention = retention;
    }

    /** A post answered earlier: the id it stored and what it asked for. */
    record Earlier(String requestId, String fingerprint) {
    }

    /** In readForm: the key the client sent, if any (a malformed one is a 400). */
    static void read(Exchange exchange, Message message) {
        String key = IdempotencyKey.of(message);
        if (key != null) {
            exchange.setProperty(KEY, key);
        }
    }

    /**
     * After the API key lookup (its id is the body, left as it is): a key this API key used within the
     * retention answers the earlier post's id, before anything is validated or stored.
     */
    public void replay(Exchange exchange) throws SQLException {
        String key = exchange.getProperty(KEY, String.class);
        if (key == null) {
            return;
        }
        long apiKeyId = ApiKeys.requireFound(exchange.getMessage().getBody());
        @SuppressWarnings("unchecked")
        List<Upload> uploads = exchange.getProperty(RequestApi.UPLOADS, List.class);
        String fingerprint = PostFingerprint.of(exchange.getProperty(RequestApi.FORM, RequestForm.class), uploads);
        exchange.setProperty(FINGERPRINT, fingerprint);
        Optional<Earlier> earlier;
        try (Connection connection = store.getConnection()) {
            earlier = earlier(connection, apiKeyId, key);
        }
        earlier.ifPresent(found -> answerAsBefore(exchange, found));
    }

    /** Whether this post is answered from an earlier one with its key (nothing stored). */
    public boolean isReplay(Exchange exchange) {
        return exchange.getProperty(REPLAYED) != null;
    }

    /** Whether this post stored a new request. */
    public boolean isNew(Exchange exchange) {
        return !isReplay(exchange);
    }

    /**
     * Runs the route's INSERT (the body, with its {@code :?name} parameters as headers) and, for a post
     * with a key, the key's row, in one transaction. A twin with the same key that committed first makes
     * this post its replay.
     */
    public void insert(Exchange exchange) throws SQLException {
        String key = exchange.getProperty(KEY, String.class);
        String fingerprint = exchange.getProperty(FINGERPRINT, String.class);
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                execute(connection, exchange);
                alongside.write(connection, exchange);
                if (key != null && !remember(connection, exchange.getMessage(), key, fingerprint)) {
                    // the twin's request is the one stored: this post's own is undone whole
                    connection.rollback();
                    long apiKeyId = exchange.getMessage().getHeader("apiKeyId", Long.class);
                    answerAsBefore(exchange, earlier(connection, apiKeyId, key).orElseThrow(IdempotentPosts::inProgress));
                    return;
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** For the cleanup timer: deletes the keys past the retention (their requests stay). */
    public void expired(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader("cutoff", cutoff());
        message.setBody("DELETE FROM idempotency_key WHERE created_at <= :?cutoff");
    }

    private void execute(Connection connection, Exchange exchange) throws SQLException {
        String sql = exchange.getMessage().getBody(String.class);
        String prepared = statements.prepareQuery(sql, true);
        try (PreparedStatement statement = connection.prepareStatement(prepared)) {
            int expected = statement.getParameterMetaData().getParameterCount();
            statements.populateStatement(statement,
                    statements.createPopulateIterator(sql, prepared, expected, exchange, null), expected);
            statement.executeUpdate();
        }
    }

    /** The key's row, in the request's transaction; false if a twin holds the key already. */
    private boolean remember(Connection connection, Message request, String key, String fingerprint) throws SQLException {
        long apiKeyId = request.getHeader("apiKeyId", Long.class);
        // an expired row not yet cleaned up gives way: past the retention the key is new
        try (PreparedStatement stale = connection.prepareStatement(
                "DELETE FROM idempotency_key WHERE api_key_id = ? AND idempotency_key = ? AND created_at <= ?")) {
            stale.setLong(1, apiKeyId);
            stale.setString(2, key);
            stale.setObject(3, cutoff());
            stale.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_key"
                + " (api_key_id, idempotency_key, fingerprint, request_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, apiKeyId);
            insert.setString(2, key);
            insert.setString(3, fingerprint);
            insert.setString(4, request.getHeader("id", String.class));
            insert.setObject(5, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private Optional<Earlier> earlier(Connection connection, long apiKeyId, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT request_id, fingerprint FROM idempotency_key"
                + " WHERE api_key_id = ? AND idempotency_key = ? AND created_at > ?")) {
            select.setLong(1, apiKeyId);
            select.setString(2, key);
            select.setObject(3, cutoff());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Earlier(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    /** The earlier post's answer (its id, 200) if this is the same post; the same key for another post is a 422. */
    private static void answerAsBefore(Exchange exchange, Earlier earlier) {
        if (!earlier.fingerprint().equals(exchange.getProperty(FINGERPRINT, String.class))) {
            throw new ApiException(422, List.of(IdempotencyKey.HEADER
                    + ": already used for a different request; send a new key with a new request"));
        }
        exchange.setProperty(REPLAYED, earlier.requestId());
        exchange.getMessage().setHeader("id", earlier.requestId());
    }

    /** A twin holds the key but its request is not to be seen (yet): the client tries again shortly. */
    private static ApiException inProgress() {
        return new ApiException(409, List.of(IdempotencyKey.HEADER + ": a request with this key is still being stored; try again shortly"));
    }

    private OffsetDateTime cutoff() {
        return OffsetDateTime.now(clock).minus(retention).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: nothing was committed, and the pool drops it
        }
    }
}

package org.open311.gateway.updates;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.view.PostedUpdateList;
import org.open311.gateway.media.MediaStore;
import org.open311.gateway.observe.CorrelationId;
import org.open311.gateway.requests.IdempotentPosts;
import org.open311.gateway.requests.RequestApi;
import org.open311.gateway.requests.RequestForm;
import org.open311.gateway.requests.RequestIds;
import org.open311.gateway.store.ApiKeys;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps of POST servicerequestupdates (mySociety's extension) after the form and the API key are read as for
 * a request: a client's repeated post (same API key, same update_id) is answered with the first one's update_id and
 * stores nothing; a new one is validated, its request looked up (404 if unknown), and stored with its forwarding
 * work (the back ends' outbox tasks, {@code alongside}) in one transaction before the answer.
 */
public final class UpdatePosts {

    static final String REPLAYED = "open311.updateReplayed";
    static final String UPDATE = "open311.update";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DataSource store;
    private final IdempotentPosts.SameTransaction alongside;
    private final MediaStore media;
    private final ZoneId zone;
    private final Clock clock;

    public UpdatePosts(DataSource store, IdempotentPosts.SameTransaction alongside, MediaStore media, ZoneId zone, Clock clock) {
        this.store = store;
        this.alongside = alongside;
        this.media = media;
        this.zone = zone;
        this.clock = clock;
    }

    /** After the API key lookup (its id is the body): an update_id this key posted before answers that post's id. */
    public void replay(Exchange exchange) throws SQLException {
        long apiKeyId = ApiKeys.requireFound(exchange.getMessage().getBody());
        String clientId = RequestApi.formOf(exchange).first("update_id");
        if (clientId == null) {
            return;
        }
        try (Connection connection = store.getConnection()) {
            earlier(connection, apiKeyId, clientId).ifPresent(id -> exchange.setProperty(REPLAYED, id));
        }
    }

    public boolean isReplay(Exchange exchange) {
        return exchange.getProperty(REPLAYED) != null;
    }

    public boolean isNew(Exchange exchange) {
        return !isReplay(exchange);
    }

    /** Validates the update (400 naming each problem), then its request (404), and keeps its uploaded photos. */
    public void validate(Exchange exchange) throws SQLException {
        long apiKeyId = ApiKeys.requireFound(exchange.getMessage().getBody());
        List<String> uploadProblems = new ArrayList<>();
        List<MediaStore.Checked> files = media.check(RequestApi.uploadsOf(exchange), uploadProblems);
        RequestForm form = RequestApi.formOf(exchange);
        NewUpdate update = UpdateValidator.validate(form, zone, uploadProblems);
        if (!RequestIds.isWellFormed(update.requestId()) || !requestExists(update.requestId())) {
            throw ApiException.notFound("service_request_id: request '" + ApiException.quoteSafe(update.requestId()) + "' not found");
        }
        List<String> mediaUrls = new ArrayList<>(update.mediaUrls());
        mediaUrls.addAll(media.keep(files));
        exchange.setProperty(UPDATE, new NewUpdate(update.requestId(), update.clientUpdateId(), update.status(), update.description(),
                update.updatedDatetime(), mediaUrls, update.email(), update.firstName(), update.lastName(), update.phone()));
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader("apiKeyId", apiKeyId);
        message.setHeader("id", RequestIds.next());
        message.setHeader("requestId", update.requestId());
        message.setHeader("createdAt", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        message.setHeader("correlationId", CorrelationId.of(exchange));
    }

    /**
     * Stores the update and its outbox tasks in one transaction. A twin post with the same update_id that committed
     * first makes this one its replay (its own row undone).
     */
    public void insert(Exchange exchange) throws SQLException {
        Message message = exchange.getMessage();
        NewUpdate update = exchange.getProperty(UPDATE, NewUpdate.class);
        long apiKeyId = message.getHeader("apiKeyId", Long.class);
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insertRow(connection, message, update);
                alongside.write(connection, exchange);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.setAutoCommit(true);
                exchange.setProperty(REPLAYED, earlier(connection, apiKeyId, update.clientUpdateId()).orElseThrow(() -> e));
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The answer: the gateway's update_id (the earlier post's for a repeat). */
    public PostedUpdateList accepted(Exchange exchange) {
        String replayed = exchange.getProperty(REPLAYED, String.class);
        return PostedUpdateList.of(replayed != null ? replayed : exchange.getMessage().getHeader("id", String.class));
    }

    private static void insertRow(Connection connection, Message message, NewUpdate update) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO request_update (id, request_id, api_key_id,"
                + " client_update_id, status, description, updated_datetime, media_urls, email, first_name, last_name, phone,"
                + " created_at, correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, message.getHeader("id", String.class));
            insert.setString(2, update.requestId());
            insert.setLong(3, message.getHeader("apiKeyId", Long.class));
            insert.setString(4, update.clientUpdateId());
            insert.setString(5, update.status());
            insert.setString(6, update.description());
            insert.setObject(7, update.updatedDatetime());
            insert.setString(8, json(update.mediaUrls()));
            insert.setString(9, update.email());
            insert.setString(10, update.firstName());
            insert.setString(11, update.lastName());
            insert.setString(12, update.phone());
            insert.setObject(13, message.getHeader("createdAt"));
            insert.setString(14, message.getHeader("correlationId", String.class));
            insert.executeUpdate();
        }
    }

    private static String json(List<String> urls) {
        try {
            return JSON.writeValueAsString(urls);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write media URLs as JSON", e);
        }
    }

    private boolean requestExists(String requestId) throws SQLException {
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM service_request WHERE id = ?")) {
            select.setString(1, requestId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Optional<String> earlier(Connection connection, long apiKeyId, String clientId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM request_update WHERE api_key_id = ? AND client_update_id = ?")) {
            select.setLong(1, apiKeyId);
            select.setString(2, clientId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }
}

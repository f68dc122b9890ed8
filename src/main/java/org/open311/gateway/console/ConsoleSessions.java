package org.open311.gateway.console;

import org.open311.gateway.store.ApiKeys;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's sessions, in the shared store (V21) so that every instance behind the load balancer knows
 * them and a logout ends them everywhere. The browser holds a random id; the store only its SHA-256, so a
 * copy of the store opens no session. A session ends after {@code idle} without a request, and at the
 * latest {@code longest} after login.
 */
public final class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session: who logged in (the admin token's position), its CSRF token and its language. */
    public record Session(String id, int tokenNumber, String csrfToken, String language) {
        /** The audit log's "who". */
        public String who() {
            return "console, admin token " + tokenNumber;
        }
    }

    private final DataSource store;
    private final Clock clock;
    private final Duration idle;
    private final Duration longest;

    public ConsoleSessions(DataSource store, Clock clock, Duration idle, Duration longest) {
        this.store = store;
        this.clock = clock;
        this.idle = idle;
        this.longest = longest;
    }

    /** The longest a session lasts: its cookie's lifetime too (the store ends it sooner when idle). */
    public Duration longest() {
        return longest;
    }

    /** A new session for the token that logged in; expired sessions are deleted on the way. */
    public Session start(int tokenNumber, String language) throws SQLException {
        Session session = new Session(randomToken(), tokenNumber, randomToken(), language);
        OffsetDateTime now = now();
        try (Connection connection = store.getConnection()) {
            try (PreparedStatement purge = connection.prepareStatement("DELETE FROM console_session WHERE expires_at < ?")) {
                purge.setObject(1, now);
                purge.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO console_session (id_hash, token_number,"
                    + " csrf_token, language, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, ApiKeys.hash(session.id()));
                insert.setInt(2, tokenNumber);
                insert.setString(3, session.csrfToken());
                insert.setString(4, language);
                insert.setObject(5, now);
                insert.setObject(6, now);
                insert.setObject(7, now.plus(idle));
                insert.executeUpdate();
            }
        }
        return session;
    }

    /**
     * The live session of this id, its idle expiry pushed on (never past the longest a session lasts);
     * empty for an unknown, ended or expired one.
     */
    public Optional<Session> find(String id) throws SQLException {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(id);
        OffsetDateTime now = now();
        try (Connection connection = store.getConnection()) {
            Session session;
            OffsetDateTime created;
            try (PreparedStatement select = connection.prepareStatement("SELECT token_number, csrf_token, language, created_at"
                    + " FROM console_session WHERE id_hash = ? AND expires_at > ?")) {
                select.setString(1, hash);
                select.setObject(2, now);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    session = new Session(id, row.getInt(1), row.getString(2), row.getString(3));
                    created = row.getObject(4, OffsetDateTime.class);
                }
            }
            OffsetDateTime end = now.plus(idle);
            OffsetDateTime latest = created.plus(longest);
            try (PreparedStatement touch = connection.prepareStatement("UPDATE console_session SET last_seen_at = ?, expires_at = ?"
                    + " WHERE id_hash = ?")) {
                touch.setObject(1, now);
                touch.setObject(2, end.isAfter(latest) ? latest : end);
                touch.setString(3, hash);
                touch.executeUpdate();
            }
            return Optional.of(session);
        }
    }

    /** The session's pages in this language from now on. */
    public void language(Session session, String language) throws SQLException {
        update("UPDATE console_session SET language = ? WHERE id_hash = ?", language, ApiKeys.hash(session.id()));
    }

    /** Ends the session on every instance (logout). */
    public void end(Session session) throws SQLException {
        update("DELETE FROM console_session WHERE id_hash = ?", ApiKeys.hash(session.id()));
    }

    private void update(String sql, String... values) throws SQLException {
        try (Connection connection = store.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** 256 random bits, URL-safe. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

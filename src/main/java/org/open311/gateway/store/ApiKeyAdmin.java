package org.open311.gateway.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Adds, lists and revokes API keys: what the command line offers the integration team. */
public final class ApiKeyAdmin {

    private final DataSource dataSource;

    public ApiKeyAdmin(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record KeyInfo(long id, String name, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }

    /** Stores a new key for {@code name} and returns the key itself: the only time it is ever shown. */
    public String add(String name) throws SQLException {
        String key = ApiKeys.newKey();
        insert(name, ApiKeys.hash(key));
        return key;
    }

    /** Makes sure a known key exists (the embedded run's documented demo key); true if it was added now. */
    public boolean ensure(String name, String key) throws SQLException {
        String hash = ApiKeys.hash(key);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM api_key WHERE key_hash = ?")) {
            select.setString(1, hash);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return false;
                }
            }
        }
        insert(name, hash);
        return true;
    }

    public List<KeyInfo> list() throws SQLException {
        List<KeyInfo> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, name, created_at, revoked_at FROM api_key ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(new KeyInfo(rows.getLong(1), rows.getString(2),
                        rows.getObject(3, OffsetDateTime.class), rows.getObject(4, OffsetDateTime.class)));
            }
        }
        return keys;
    }

    /** Revokes the active key with this value, if the store has one; its id, or -1. */
    public long revokeKey(String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")) {
            select.setString(1, ApiKeys.hash(key));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next() && revoke(rows.getLong(1))) {
                    return rows.getLong(1);
                }
            }
        }
        return -1;
    }

    /** Revokes a key by id; false if there is no such active key. */
    public boolean revoke(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            update.setObject(1, now());
            update.setLong(2, id);
            return update.executeUpdate() == 1;
        }
    }

    private void insert(String name, String hash) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO api_key (name, key_hash, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, hash);
            insert.setObject(3, now());
            insert.executeUpdate();
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}

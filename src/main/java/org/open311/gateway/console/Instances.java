package org.open311.gateway.console;

import org.open311.gateway.observe.BuildInfo;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * This instance's heartbeat in the shared store (V21, route {@code instance-heartbeat}) and the instances
 * seen there, so the console shows every gateway behind the load balancer with its version.
 */
public final class Instances {

    /** Rows not renewed for this long are deleted: an instance stopped (or renamed) long ago. */
    static final Duration FORGOTTEN_AFTER = Duration.ofDays(1);

    /** One instance as last seen; {@code current} whether it beat within the last few intervals. */
    public record Instance(String id, String host, String version, String startedAt, String lastSeenAt,
                           boolean current, boolean self) {
    }

    private final DataSource store;
    private final Clock clock;
    private final String id;
    private final String host;
    private final OffsetDateTime startedAt;

    public Instances(DataSource store, Clock clock, int port) {
        this.store = store;
        this.clock = clock;
        this.host = hostName() + ":" + port;
        this.id = UUID.randomUUID().toString();
        this.startedAt = now();
    }

    /** Writes (or renews) this instance's row and forgets instances gone for a day. */
    public void beat() throws SQLException {
        OffsetDateTime now = now();
        try (Connection connection = store.getConnection()) {
            int renewed;
            try (PreparedStatement update = connection.prepareStatement("UPDATE gateway_instance SET last_seen_at = ? WHERE id = ?")) {
                update.setObject(1, now);
                update.setString(2, id);
                renewed = update.executeUpdate();
            }
            if (renewed == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO gateway_instance (id, host, version,"
                        + " started_at, last_seen_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, host.length() > 200 ? host.substring(0, 200) : host);
                    insert.setString(3, BuildInfo.version());
                    insert.setObject(4, startedAt);
                    insert.setObject(5, now);
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement forget = connection.prepareStatement("DELETE FROM gateway_instance WHERE last_seen_at < ?")) {
                forget.setObject(1, now.minus(FORGOTTEN_AFTER));
                forget.executeUpdate();
            }
        }
    }

    /** Every instance seen in the last day, most recently seen first; current if seen within {@code fresh}. */
    public List<Instance> seen(Duration fresh) throws SQLException {
        OffsetDateTime now = now();
        List<Instance> instances = new ArrayList<>();
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id, host, version, started_at, last_seen_at"
                     + " FROM gateway_instance ORDER BY last_seen_at DESC, host");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                OffsetDateTime seen = rows.getObject(5, OffsetDateTime.class);
                instances.add(new Instance(rows.getString(1), rows.getString(2), rows.getString(3),
                        Times.iso(rows.getObject(4, OffsetDateTime.class)), Times.iso(seen), seen.isAfter(now.minus(fresh)), id.equals(rows.getString(1))));
            }
        }
        return instances;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}

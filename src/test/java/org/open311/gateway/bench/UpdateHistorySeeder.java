package org.open311.gateway.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the request_history an update feed reads, into a store the import command filled (the import keeps
 * requests, not their past): {@code PER_DAY} updates a day over the last {@code DAYS} days, on published
 * requests of the last months, each request first seen unpublished when it arrived and then moving through
 * the states staff give it, so every seeded row after the first shows a change (an update the feed answers).
 * Deterministic for a seed. {@code java -cp target/test-classes:target/open311-gateway.jar
 * org.open311.gateway.bench.UpdateHistorySeeder JDBC_URL USER SCHEMA|- PER_DAY DAYS SEED}
 */
public final class UpdateHistorySeeder {

    /** The states an update moves a request through, in order (the CRM's, with a public works task). */
    private static final String[][] STEPS = {
            {"open", "IN_PROCESS", ""},
            {"open", "IN_PROCESS,PUBLIC_WORKS_NEW", ""},
            {"open", "IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS", "Työ on aloitettu."},
            {"closed", "PROCESSED,PUBLIC_WORKS_COMPLETED", "Kiitos palautteesta. Vika on korjattu."}};
    private static final int BATCH = 1000;

    private UpdateHistorySeeder() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 6) {
            System.err.println("usage: UpdateHistorySeeder JDBC_URL USER SCHEMA|- PER_DAY DAYS SEED");
            System.exit(2);
        }
        int perDay = Integer.parseInt(args[3]);
        int days = Integer.parseInt(args[4]);
        try (Connection connection = DriverManager.getConnection(args[0], args[1], "")) {
            if (!args[2].equals("-")) {
                connection.setSchema(args[2]);
            }
            connection.setAutoCommit(false);
            int rows = seed(connection, perDay, days, new Random(Long.parseLong(args[5])));
            connection.commit();
            System.err.println("request_history: " + rows + " rows, " + perDay + " updates a day over " + days + " days");
        }
    }

    /** Each update goes to a request that has steps left; a request's first row is its arrival, unpublished. */
    static int seed(Connection connection, int perDay, int days, Random random) throws SQLException {
        int updates = perDay * days;
        // about 2.5 updates per request: as many requests as that takes, the most recently arrived published ones
        List<String> requests = recentPublished(connection, updates * 2 / 5 + 1);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        int[] step = new int[requests.size()];
        int rows = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO request_history (request_id, changed_at,"
                + " source, status, detailed_status, status_notes, published, shows_change) VALUES (?, ?, 'crm', ?, ?, ?, ?, ?)")) {
            OffsetDateTime start = now.minusDays(days);
            for (int r = 0; r < requests.size(); r++) {
                rows += add(insert, requests.get(r), start.minusSeconds(1 + random.nextInt(86_400)), STEPS[0], false, rows);
            }
            for (int u = 0; u < updates; u++) {
                // spread evenly over the days, a little jitter, oldest first (the order staff worked in)
                OffsetDateTime at = start.plusSeconds((long) ((u + random.nextDouble()) * days * 86_400.0 / updates));
                int r = random.nextInt(requests.size());
                while (step[r] >= STEPS.length - 1) {
                    r = (r + 1) % requests.size();
                }
                step[r]++;
                rows += add(insert, requests.get(r), at, STEPS[step[r]], true, rows);
            }
            insert.executeBatch();
        }
        return rows;
    }

    private static int add(PreparedStatement insert, String request, OffsetDateTime at, String[] state, boolean published,
                           int before) throws SQLException {
        insert.setString(1, request);
        insert.setObject(2, at);
        insert.setString(3, state[0]);
        insert.setString(4, state[1]);
        insert.setString(5, state[2]);
        insert.setBoolean(6, published);
        // as the gateway decides it when writing: every published row here follows another state (or an unpublished one)
        insert.setBoolean(7, published);
        insert.addBatch();
        if ((before + 1) % BATCH == 0) {
            insert.executeBatch();
        }
        return 1;
    }

    private static List<String> recentPublished(Connection connection, int count) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM service_request WHERE published = TRUE ORDER BY requested_at DESC LIMIT ?")) {
            select.setInt(1, count);
            try (ResultSet found = select.executeQuery()) {
                while (found.next()) {
                    ids.add(found.getString(1));
                }
            }
        }
        if (ids.size() * (STEPS.length - 1) < count * 5 / 2) {
            throw new IllegalStateException("too few published requests for the updates: " + ids.size());
        }
        return ids;
    }
}

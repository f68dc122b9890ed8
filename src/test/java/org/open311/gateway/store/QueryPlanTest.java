package org.open311.gateway.store;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.backends.Outbox;
import org.open311.gateway.requests.RequestForm;
import org.open311.gateway.requests.RequestQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries that run on every list and every forwarding poll read an index in order and stop after
 * what they need, however many requests are stored (issue #6: no full scans, one query per page).
 * Checked with H2's EXPLAIN ANALYZE, which counts the rows each table read touched.
 */
class QueryPlanTest {

    private static final int STORED = 3_000;
    private static final int WAITING = 1_000;
    private static final Pattern PARAMETER = Pattern.compile(":\\?(\\w+)");
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");
    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC);

    private static HikariDataSource store;

    @BeforeAll
    static void storeWithManyRequestsAndABacklog() throws Exception {
        store = Database.open(new Database.Settings("jdbc:h2:mem:plans;DB_CLOSE_DELAY=-1", "sa", "", "", 2,
                StoreTimeouts.defaults()));
        try (Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO service_request (id, service_code,"
                     + " description, lat, lon, status, detailed_status, published, requested_at, updated_at)"
                     + " VALUES (?, '171', 'Kuoppa', 60.17, 24.94, 'open', 'RECEIVED', ?, ?, ?)");
             PreparedStatement task = connection.prepareStatement("INSERT INTO forward_task (request_id, backend, state,"
                     + " next_attempt_at) VALUES (?, 'crm', ?, ?)")) {
            for (int i = 0; i < STORED; i++) {
                OffsetDateTime requested = NOW.minusHours(STORED - i);
                boolean waiting = i >= STORED - WAITING;
                insert.setString(1, "plan-" + i);
                insert.setBoolean(2, !waiting);
                insert.setObject(3, requested);
                insert.setObject(4, requested);
                insert.addBatch();
                task.setString(1, "plan-" + i);
                task.setString(2, waiting ? "PENDING" : "SENT");
                task.setObject(3, requested);
                task.addBatch();
            }
            insert.executeBatch();
            task.executeBatch();
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aPageOfTheDefaultListReadsOnlyThatPage() throws Exception {
        RequestQuery.Sql page = RequestQuery.build(RequestForm.of(null, "extensions=true&page_size=100"), Clock.systemUTC(),
                java.time.ZoneOffset.UTC, code -> true);

        String plan = explain(page.text(), page.parameters());

        assertThat(plan).contains("index sorted");
        assertThat(scanCounts(plan)).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(101));
    }

    @Test
    void aForwardingPollReadsOnlyItsBatchOfTheBacklogAndClaimsAndReadsItByPrimaryKey() throws Exception {
        String duePlan = explain(Outbox.dueSql(), List.of("crm", NOW, NOW, 20));
        List<Object> due = new ArrayList<>();
        select(Outbox.dueSql(), List.of("crm", NOW, NOW, 20)).forEach(row -> due.add(row.values().iterator().next()));

        List<Object> claim = new ArrayList<>(List.of("claim-1", NOW.plusSeconds(60), "crm"));
        claim.addAll(due);
        claim.addAll(List.of(NOW, NOW));
        String claimPlan = explain(Outbox.claimSql(due.size(), 0), claim);
        List<Object> claimed = new ArrayList<>(List.of("crm"));
        claimed.addAll(due);
        claimed.add("claim-1");
        String claimedPlan = explain(Outbox.claimedSql(due.size()), claimed);
        String requestsPlan = explain(Outbox.requestsSql(due.size()), due);

        assertThat(due).hasSize(20);
        assertThat(duePlan).contains("index sorted");
        assertThat(scanCounts(duePlan)).isNotEmpty().allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(21));
        // by the request ids: the primary key (request_id, backend) or the foreign key's index on request_id
        assertThat(claimPlan).containsPattern("(PRIMARY_KEY|CONSTRAINT\\w*INDEX)\\w*: REQUEST_ID IN");
        assertThat(scanCounts(claimPlan)).isNotEmpty().allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(21));
        // the claimed rows are read back by their ids too: the claim columns have no index
        assertThat(claimedPlan).containsPattern("(PRIMARY_KEY|CONSTRAINT\\w*INDEX)\\w*: REQUEST_ID IN");
        assertThat(scanCounts(claimedPlan)).isNotEmpty().allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(21));
        // and their requests by primary key, one lookup each
        assertThat(requestsPlan).containsPattern("PRIMARY_KEY\\w*: ID IN");
        assertThat(scanCounts(requestsPlan)).isNotEmpty().allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(21));
    }

    /** EXPLAIN ANALYZE of a statement written with ? parameters. */
    private static String explain(String sql, List<Object> values) throws Exception {
        StringBuilder plan = new StringBuilder();
        for (Map<String, Object> row : select("EXPLAIN ANALYZE " + sql, values)) {
            plan.append(row.values().iterator().next());
        }
        return plan.toString();
    }

    private static List<Map<String, Object>> select(String sql, List<Object> values) throws Exception {
        try (Connection connection = store.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** EXPLAIN ANALYZE of a statement written with camel-jdbc's :?name parameters. */
    private static String explain(String sql, Map<String, Object> parameters) throws Exception {
        StringBuilder plan = new StringBuilder();
        for (Map<String, Object> row : select("EXPLAIN ANALYZE " + sql, parameters)) {
            plan.append(row.values().iterator().next());
        }
        return plan.toString();
    }

    /** Runs a query written with camel-jdbc's :?name parameters; each row by column label. */
    private static List<Map<String, Object>> select(String sql, Map<String, Object> parameters) throws Exception {
        List<Object> values = new ArrayList<>();
        Matcher parameter = PARAMETER.matcher(sql);
        while (parameter.find()) {
            values.add(parameters.get(parameter.group(1)));
        }
        try (Connection connection = store.getConnection();
             PreparedStatement statement = connection.prepareStatement(PARAMETER.matcher(sql).replaceAll("?"))) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static List<Integer> scanCounts(String plan) {
        List<Integer> counts = new ArrayList<>();
        Matcher count = SCAN_COUNT.matcher(plan);
        while (count.find()) {
            counts.add(Integer.parseInt(count.group(1)));
        }
        return counts;
    }
}

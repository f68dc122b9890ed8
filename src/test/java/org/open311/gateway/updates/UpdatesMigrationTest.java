package org.open311.gateway.updates;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.open311.gateway.MigratingStore;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.requests.RequestForm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V22 decides for the rows written before it whether each is an update (request_history.shows_change), by the
 * rule the feed applied at every read until then: a store populated before it answers the same windows after it.
 */
abstract class UpdatesMigrationTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 20, 8, 0, 0, 0, ZoneOffset.UTC);
    /** The feed's query before V22, as it shipped: the previous row of each found by LAG over the whole history. */
    private static final String PREVIOUS = " OVER (PARTITION BY request_id ORDER BY changed_at, id)";
    private static final String BEFORE_V22 = "SELECT h.id FROM (SELECT id, request_id, changed_at, status, detailed_status,"
            + " status_notes, published, LAG(status)" + PREVIOUS + " AS previous_status,"
            + " LAG(detailed_status)" + PREVIOUS + " AS previous_detailed_status, LAG(status_notes)" + PREVIOUS + " AS previous_notes,"
            + " LAG(published)" + PREVIOUS + " AS previous_published FROM request_history WHERE request_id IN"
            + " (SELECT request_id FROM request_history WHERE changed_at >= ? AND changed_at < ?)) h"
            + " JOIN service_request r ON r.id = h.request_id"
            + " WHERE h.changed_at >= ? AND h.changed_at < ? AND h.published = TRUE AND r.published = TRUE"
            + " AND (h.previous_published IS NULL OR h.previous_published = FALSE"
            + " OR h.status <> h.previous_status OR h.detailed_status <> h.previous_detailed_status"
            + " OR COALESCE(h.status_notes, '') <> COALESCE(h.previous_notes, ''))"
            + " ORDER BY h.changed_at, h.id";

    protected abstract TestDatabase database();

    private MigratingStore store;

    @Test
    void aStoreBeforeV22AnswersTheSameUpdatesAfterV22() throws Exception {
        migrateTo(lastBeforeV22());
        populate();
        List<String> whole = before(T.minusDays(1), T.plusDays(1));
        List<String> fromTheMiddle = before(T.plusMinutes(35), T.plusDays(1));

        migrateTo(null);

        assertThat(whole).containsExactly("2", "4", "6", "13", "7", "9", "10", "12", "11", "17", "16", "18");
        assertThat(after(T.minusDays(1), T.plusDays(1), null)).containsExactlyElementsOf(whole);
        // an update's presence does not depend on where a window starts
        assertThat(fromTheMiddle).containsExactly("13", "7", "9", "10", "12", "11", "17", "16", "18");
        assertThat(after(T.plusMinutes(35), T.plusDays(1), null)).containsExactlyElementsOf(fromTheMiddle);
        // pages of it neither skip nor repeat updates sharing a time
        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            paged.addAll(after(T.minusDays(1), T.plusDays(1), page));
        }
        assertThat(paged).containsExactlyElementsOf(whole);
    }

    /**
     * History rows 1-19, ids in insertion order: the request becoming public, notes none then empty (no change),
     * rows sharing a time, a row written out of time order, an unpublished row between two published ones, and
     * a request no longer published (none of its rows shown).
     */
    private void populate() throws SQLException {
        try (Connection connection = connect()) {
            request(connection, "r-moved", true);
            request(connection, "r-burst", true);
            request(connection, "r-hidden", true);
            request(connection, "r-withdrawn", false);
            history(connection, "r-moved", 0, "open", "RECEIVED", null, false);                    // 1: not public yet
            history(connection, "r-moved", 10, "open", "RECEIVED", null, true);                    // 2: became public
            history(connection, "r-moved", 20, "open", "RECEIVED", "", true);                      // 3: nothing new
            history(connection, "r-moved", 30, "open", "IN_PROCESS", "", true);                    // 4: detailed status
            history(connection, "r-moved", 31, "open", "IN_PROCESS", null, true);                  // 5: nothing new
            history(connection, "r-moved", 32, "open", "IN_PROCESS", "Työ alkaa.", true);          // 6: notes
            history(connection, "r-moved", 40, "closed", "PROCESSED", "Työ alkaa.", true);         // 7: status
            history(connection, "r-moved", 40, "closed", "PROCESSED", "Työ alkaa.", true);         // 8: same time, nothing new
            history(connection, "r-burst", 40, "open", "IN_PROCESS", "Vaihe 1", true);             // 9: first row, public
            history(connection, "r-burst", 40, "open", "IN_PROCESS", "Vaihe 2", true);             // 10: notes, same time
            history(connection, "r-burst", 50, "open", "IN_PROCESS", "Vaihe 2", true);             // 11: after 12 in time order, so notes again
            history(connection, "r-burst", 45, "open", "IN_PROCESS", "Vaihe 3", true);             // 12: written late, between 10 and 11
            history(connection, "r-hidden", 36, "open", "RECEIVED", null, true);                   // 13: first row, public
            history(connection, "r-hidden", 37, "open", "RECEIVED", null, false);                  // 14: hidden again
            history(connection, "r-hidden", 38, "open", "RECEIVED", null, false);                  // 15: still hidden
            history(connection, "r-hidden", 60, "open", "RECEIVED", null, true);                   // 16: public again
            history(connection, "r-burst", 50, "closed", "PROCESSED", "Vaihe 3", true);            // 17: status, time of 11
            history(connection, "r-moved", 70, "open", "RECEIVED", "Työ alkaa.", true);            // 18: reopened
            history(connection, "r-withdrawn", 40, "open", "IN_PROCESS", null, true);              // 19: request not public
        }
    }

    private static void request(Connection connection, String id, boolean published) throws SQLException {
        execute(connection, "INSERT INTO service_request (id, service_code, description, status, detailed_status, published,"
                + " requested_at, updated_at) VALUES (?, '171', 'Kuoppa', 'open', 'RECEIVED', ?, ?, ?)", id, published, T, T);
    }

    private static void history(Connection connection, String id, int minutes, String status, String detailed, String notes,
                                boolean published) throws SQLException {
        execute(connection, "INSERT INTO request_history (request_id, changed_at, source, status, detailed_status, status_notes,"
                + " published) VALUES (?, ?, 'crm', ?, ?, ?, ?)", id, T.plusMinutes(minutes), status, detailed, notes, published);
    }

    private List<String> before(OffsetDateTime start, OffsetDateTime endBefore) throws SQLException {
        return ids(BEFORE_V22, List.of(start, endBefore, start, endBefore));
    }

    /** The feed's own query (UpdateQuery) over [start, end], page 3 updates long if a page is given. */
    private List<String> after(OffsetDateTime start, OffsetDateTime end, Integer page) throws SQLException {
        String query = "start_date=" + start + "&end_date=" + end + (page == null ? "" : "&page_size=3&page=" + page);
        UpdateQuery.Sql sql = UpdateQuery.build(RequestForm.of(null, query), Clock.systemUTC(), ZoneOffset.UTC);
        List<Object> values = new ArrayList<>();
        Matcher names = Pattern.compile(":\\?(\\w+)").matcher(sql.text());
        while (names.find()) {
            values.add(sql.parameters().get(names.group(1)));
        }
        return ids(names.replaceAll("?"), values);
    }

    private List<String> ids(String sql, List<Object> values) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    /** The last migration before V22 (whichever number other changes took meanwhile). */
    private String lastBeforeV22() {
        return Arrays.stream(store().flyway(null).info().all()).map(MigrationInfo::getVersion)
                .filter(version -> version.isNewerThan("1") && !version.isAtLeast("22")).max(MigrationVersion::compareTo)
                .orElseThrow().getVersion();
    }

    private void migrateTo(String target) {
        store().migrateTo(target);
    }

    private Connection connect() throws SQLException {
        return store().connect();
    }

    private MigratingStore store() {
        if (store == null) {
            store = new MigratingStore(database());
        }
        return store;
    }
}

package org.open311.gateway.catalogue;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Refuses a catalogue that lacks a service code stored requests use: they would lose their service's
 * name, and requests not yet forwarded their routing. A code is retired with {@code active: false},
 * never deleted.
 */
public final class CodesInUse implements CatalogueCheck {

    private final DataSource store;

    public CodesInUse(DataSource store) {
        this.store = store;
    }

    /**
     * @throws CatalogueCheck.Unavailable when the store cannot be asked: the edit is neither accepted nor refused
     */
    @Override
    public List<String> problems(Catalogue inService, Catalogue next) {
        if (inService != null && next.codes().containsAll(inService.codes())) {
            return List.of(); // no code removed: the catalogue in service passed this check
        }
        try (Connection connection = store.getConnection()) {
            return missingFrom(next, requestsByCode(connection));
        } catch (SQLException e) {
            throw new CatalogueCheck.Unavailable("the store did not answer (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** One problem per code the stored requests use that {@code next} lacks. */
    public static List<String> missingFrom(Catalogue next, Map<String, Long> requestsByCode) {
        List<String> problems = new ArrayList<>();
        requestsByCode.forEach((code, requests) -> {
            if (next.service(code).isEmpty()) {
                problems.add(CatalogueValidator.SERVICES_FILE + ": service '" + code + "': deleted, but " + requests
                        + " stored request" + (requests == 1 ? "" : "s") + " use it: put the entry back with active: false"
                        + " to retire it (never delete a code)");
            }
        });
        return problems;
    }

    /** How many stored requests use each service code (read only). */
    public static Map<String, Long> requestsByCode(Connection connection) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT service_code, COUNT(*) FROM service_request GROUP BY service_code")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }
}

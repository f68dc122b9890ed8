package org.open311.gateway.requests;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Radius searches (lat, long, radius) over HTTP: exactly the published requests of the window within the
 * circle, newest first, paged, with the other filters, whether a request was posted, stored by another
 * writer or already in the store before the V6 migration gave it a grid cell.
 */
abstract class ServiceRequestListNearHttpTest extends GatewayTestSupport {

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    private static final String KEY = "near-test-key";
    /** The corner of four grid cells: 6016/6017 x 1246/1247 (0.01 degrees latitude, 0.02 longitude). */
    private static final double LAT = 60.17;
    private static final double LON = 24.94;
    private static final String NEAR = "lat=60.17&long=24.94&radius=500";

    /** A stored request the tests know: where it lies (null: a service object only), how old it is, what it is. */
    record Known(String id, Double lat, Double lon, int hoursAgo, String code, String status, boolean published) {
    }

    /** Published, open, service 100, {@code metres} from the centre towards {@code bearing} (degrees from north). */
    private static Known at(String id, double metres, double bearing, int hoursAgo) {
        return at(id, metres, bearing, hoursAgo, "100", "open", true);
    }

    private static Known at(String id, double metres, double bearing, int hoursAgo, String code, String status, boolean published) {
        double[] point = destination(LAT, LON, metres, bearing);
        return new Known(id, point[0], point[1], hoursAgo, code, status, published);
    }

    private static Known nowhere(String id, int hoursAgo) {
        return new Known(id, null, null, hoursAgo, "100", "open", true);
    }

    // in the store before the V6 migration: geo_cell comes from its backfill
    static final Known BEFORE_V6 = at("before-v6-sw-200m", 200, 200, 1);
    static final Known ON_CORNER = new Known("before-v6-on-the-corner", LAT, LON, 2, "100", "open", true);
    static final Known BEFORE_V6_FAR = at("before-v6-far-3km", 3000, 10, 3);
    static final Known BEFORE_V6_NOWHERE = nowhere("before-v6-no-coordinates", 4);
    static final List<Known> BEFORE = List.of(BEFORE_V6, ON_CORNER, BEFORE_V6_FAR, BEFORE_V6_NOWHERE);

    // stored after it by another writer, which sets geo_cell with GeoCells as the gateway's writers do
    static final Known NE = at("cell-ne-300m", 300, 45, 5, "200", "closed", true);
    static final Known NW = at("cell-nw-300m", 300, 315, 6);
    static final Known SE = at("cell-se-300m", 300, 135, 7, "200", "open", true);
    static final Known SW = at("cell-sw-300m", 300, 225, 8, "400", "closed", true);
    static final Known INSIDE_NORTH = at("inside-north-499m", 499, 0, 9);
    static final Known OUTSIDE_NORTH = at("outside-north-501m", 501, 0, 10);
    static final Known INSIDE_EAST = at("inside-east-499m", 499, 90, 11, "200", "closed", true);
    static final Known OUTSIDE_EAST = at("outside-east-501m", 501, 90, 12);
    static final Known INSIDE_WEST = at("inside-west-499m", 499, 270, 13);
    static final Known INSIDE_SOUTH = at("inside-south-499m", 499, 180, 14);
    // either side of the boundary between latitude cells 6016 and 6017, 100 m east of the centre
    static final Known BOUNDARY_SOUTH = new Known("boundary-south-side", LAT - 1e-9, at("", 100, 90, 0).lon(), 15, "100", "open", true);
    static final Known BOUNDARY_NORTH = new Known("boundary-north-side", LAT, at("", 100, 90, 0).lon(), 16, "100", "open", true);
    static final Known HIDDEN = at("unpublished-100m", 100, 30, 17, "100", "open", false);
    static final Known OLD = at("old-100m", 100, 60, 24 * 100);
    static final Known NOWHERE = nowhere("no-coordinates", 18);
    static final Known FAR = at("far-1500m", 1500, 100, 19);
    static final Known FARTHER = at("farther-4km", 4000, 250, 20);
    static final List<Known> AFTER = List.of(NE, NW, SE, SW, INSIDE_NORTH, OUTSIDE_NORTH, INSIDE_EAST, OUTSIDE_EAST,
            INSIDE_WEST, INSIDE_SOUTH, BOUNDARY_SOUTH, BOUNDARY_NORTH, HIDDEN, OLD, NOWHERE, FAR, FARTHER);

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", KEY);
        return settings;
    }

    /** Before the gateway starts: the store at V5, with requests that V6 must give a cell. */
    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = super.useOverridePropertiesWithPropertiesComponent();
        String schema = properties.getProperty("gateway.db.schema", "");
        var configuration = Flyway.configure().locations("classpath:db/migration").target("5")
                .dataSource(properties.getProperty("gateway.db.url"), properties.getProperty("gateway.db.user"),
                        properties.getProperty("gateway.db.password"));
        if (!schema.isBlank()) {
            configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        Flyway flyway = configuration.load();
        flyway.migrate();
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            if (!schema.isBlank()) {
                connection.setSchema(schema);
            }
            for (Known known : BEFORE) {
                insert(connection, known, false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    private boolean seeded;

    @BeforeEach
    void seedOnce() throws Exception {
        if (seeded) {
            return;
        }
        seeded = true;
        try (Connection connection = store().getConnection()) {
            for (Known known : AFTER) {
                insert(connection, known, true);
            }
        }
    }

    @Test
    void theCircleHoldsExactlyThePublishedRequestsOfTheWindowWithinTheRadiusNewestFirst() {
        assertThat(ids(NEAR)).containsExactly(ids(BEFORE_V6, ON_CORNER, NE, NW, SE, SW, INSIDE_NORTH, INSIDE_EAST,
                INSIDE_WEST, INSIDE_SOUTH, BOUNDARY_SOUTH, BOUNDARY_NORTH));
    }

    @Test
    void theKnownRequestsLieInTheCellsTheTestsMeanThemFor() {
        assertThat(GeoCells.cellOf(BOUNDARY_SOUTH.lat(), BOUNDARY_SOUTH.lon())).isEqualTo(601601247L);
        assertThat(GeoCells.cellOf(BOUNDARY_NORTH.lat(), BOUNDARY_NORTH.lon())).isEqualTo(601701247L);
        assertThat(List.of(NE, NW, SE, SW)).extracting(k -> GeoCells.cellOf(k.lat(), k.lon()))
                .containsExactly(601701247L, 601701246L, 601601247L, 601601246L);
    }

    @Test
    void pagesGiveTheSameSequenceAsOneBigPage() {
        List<String> all = ids(NEAR);
        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 7; page++) {
            List<String> ids = ids(NEAR + "&page_size=2&page=" + page);
            assertThat(ids).hasSizeLessThanOrEqualTo(2);
            paged.addAll(ids);
        }
        assertThat(paged).isEqualTo(all);
        assertThat(ids(NEAR + "&page_size=2&page=2")).containsExactly(ids(NE, NW));
        assertThat(ids(NEAR + "&page_size=2&page=3")).containsExactly(ids(SE, SW));
        assertThat(ids(NEAR + "&page_size=5&page=3")).containsExactly(ids(BOUNDARY_SOUTH, BOUNDARY_NORTH));
        assertThat(ids(NEAR + "&page_size=5&page=4")).isEmpty();
    }

    @Test
    void theOtherFiltersStillApply() {
        assertThat(ids(NEAR + "&service_code=200")).containsExactly(ids(NE, SE, INSIDE_EAST));
        assertThat(ids(NEAR + "&status=closed")).containsExactly(ids(NE, SW, INSIDE_EAST));
        assertThat(ids(NEAR + "&service_code=200,400&status=closed")).containsExactly(ids(NE, SW, INSIDE_EAST));
        // the window: only what was requested 7 to 12 hours ago
        assertThat(ids(NEAR + "&start_date=" + hoursAgo(12) + "&end_date=" + hoursAgo(6)))
                .containsExactly(ids(SE, SW, INSIDE_NORTH, INSIDE_EAST));
        assertThat(ids(NEAR + "&start_date=" + hoursAgo(24 * 101) + "&end_date=" + hoursAgo(24 * 99)))
                .containsExactly(ids(OLD));
        // bbox and radius together: the eastern half of the circle
        assertThat(ids(NEAR + "&bbox=24.9401,60.1,25.0,60.2"))
                .containsExactly(ids(NE, SE, INSIDE_EAST, BOUNDARY_SOUTH, BOUNDARY_NORTH));
    }

    @Test
    void aWideRadiusBeyondTheCellLimitFindsTheSameWay() {
        // 2 km: read cell by cell; 5 km: more cells than RequestQuery.MAX_RADIUS_CELLS, read through the list index
        assertThat(GeoCells.near(LAT, LON, 2000, RequestQuery.MAX_RADIUS_CELLS)).isNotEmpty();
        assertThat(GeoCells.near(LAT, LON, 5000, RequestQuery.MAX_RADIUS_CELLS)).isEmpty();
        List<String> within500 = ids(NEAR);
        List<String> within2000 = new ArrayList<>(within500);
        within2000.addAll(List.of(ids(OUTSIDE_NORTH, OUTSIDE_EAST, FAR)));
        List<String> within5000 = new ArrayList<>(within2000);
        within5000.addAll(List.of(ids(BEFORE_V6_FAR, FARTHER)));

        assertThat(ids("lat=60.17&long=24.94&radius=2000")).containsExactlyElementsOf(newestFirst(within2000));
        assertThat(ids("lat=60.17&long=24.94&radius=5000")).containsExactlyElementsOf(newestFirst(within5000));
        assertThat(ids("lat=60.17&long=24.94&radius=5000&page_size=3&page=2"))
                .containsExactlyElementsOf(newestFirst(within5000).subList(3, 6));
    }

    @Test
    void aPostedRequestIsFoundOncePublished() throws Exception {
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Kuoppa pyörätiellä aivan keskustassa", "lat", "60.1712", "long", "24.9412");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        String near = "lat=60.1712&long=24.9412&radius=50";
        assertThat(ids(near)).isEmpty();

        try (Connection connection = store().getConnection();
             PreparedStatement publish = connection.prepareStatement("UPDATE service_request SET published = TRUE WHERE id = ?")) {
            publish.setString(1, id);
            publish.executeUpdate();
        }

        assertThat(ids(near)).containsExactly(id);
    }

    private List<String> ids(String query) {
        HttpAnswer answer = get("/v1/requests.json?" + query.replace("+", "%2B"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.jsonField("service_request_id");
    }

    private static String[] ids(Known... known) {
        return java.util.Arrays.stream(known).map(Known::id).toArray(String[]::new);
    }

    /** The known ids in answer order: newest first. */
    private static List<String> newestFirst(List<String> ids) {
        List<Known> all = new ArrayList<>(BEFORE);
        all.addAll(AFTER);
        return all.stream().filter(k -> ids.contains(k.id()))
                .sorted(java.util.Comparator.comparingInt(Known::hoursAgo)).map(Known::id).toList();
    }

    private static String hoursAgo(int hours) {
        return java.net.URLEncoder.encode(NOW.minusHours(hours).minusMinutes(1).toString(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    /** The point {@code metres} from (lat, lon) towards {@code bearing} (degrees from north), on the query's sphere. */
    static double[] destination(double lat, double lon, double metres, double bearing) {
        double angle = metres / GeoCells.EARTH_RADIUS_METRES;
        double phi = Math.toRadians(lat);
        double theta = Math.toRadians(bearing);
        double lat2 = Math.asin(Math.sin(phi) * Math.cos(angle) + Math.cos(phi) * Math.sin(angle) * Math.cos(theta));
        double lon2 = Math.toRadians(lon) + Math.atan2(Math.sin(theta) * Math.sin(angle) * Math.cos(phi),
                Math.cos(angle) - Math.sin(phi) * Math.sin(lat2));
        return new double[] {Math.toDegrees(lat2), Math.toDegrees(lon2)};
    }

    private static void insert(Connection connection, Known known, boolean withCell) throws SQLException {
        OffsetDateTime requested = NOW.minusHours(known.hoursAgo());
        String sql = "INSERT INTO service_request (id, service_code, description, lat, lon, service_object_type,"
                + " service_object_id, status, detailed_status, published, requested_at, updated_at"
                + (withCell ? ", geo_cell" : "") + ") VALUES (?, ?, 'A request the radius tests know', ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + (withCell ? ", ?" : "") + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, known.id());
            insert.setString(2, known.code());
            insert.setObject(3, known.lat());
            insert.setObject(4, known.lon());
            insert.setString(5, known.lat() == null ? "http://www.hel.fi/servicemap/v2" : null);
            insert.setString(6, known.lat() == null ? "10844" : null);
            insert.setString(7, known.status());
            insert.setString(8, known.status().equals("open") ? "RECEIVED" : "PROCESSED");
            insert.setBoolean(9, known.published());
            insert.setObject(10, requested);
            insert.setObject(11, requested);
            if (withCell) {
                insert.setObject(12, GeoCells.cellOf(known.lat(), known.lon()));
            }
            insert.executeUpdate();
        }
    }
}

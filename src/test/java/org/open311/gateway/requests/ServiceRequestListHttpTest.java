package org.open311.gateway.requests;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** GET requests: every filter, their combinations, paging, the 90-day rule and moderation. */
abstract class ServiceRequestListHttpTest extends GatewayTestSupport {

    /** Stored requests the tests know: id, service, status, published, days ago, lat, long, object id. */
    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    static final String CENTRE = "centre00000000000001";   // Helsinki centre, yesterday, open
    static final String ESPOO = "espoo000000000000002";    // 16 km west, 10 days ago, closed
    static final String OLD = "old00000000000000003";      // centre, 100 days ago, closed
    static final String HIDDEN = "hidden00000000000004";   // not yet published, 2 days ago
    static final String TOILET = "toilet00000000000005";   // a service object, 3 days ago

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        return settings;
    }

    private boolean seeded;

    @BeforeEach
    void seedOnce() throws Exception {
        if (seeded) {
            return;
        }
        seeded = true;
        insert(CENTRE, "100", "open", true, 1, 60.1699, 24.9384, null);
        insert(ESPOO, "200", "closed", true, 10, 60.2055, 24.6559, null);
        insert(OLD, "100", "closed", true, 100, 60.1700, 24.9400, null);
        insert(HIDDEN, "400", "open", false, 2, 60.1699, 24.9384, null);
        insert(TOILET, "400", "open", true, 3, null, null, "10844");
    }

    @Test
    void defaultListIsPublishedRequestsOfTheLast90DaysNewestFirst() {
        assertThat(ids("")).containsExactly(CENTRE, TOILET, ESPOO);
    }

    @Test
    void answersCarryTheirLengthRatherThanChunks() {
        for (String path : List.of("/v1/requests.json?extensions=true", "/v1/requests.xml", "/v1/requests/" + CENTRE + ".json")) {
            HttpAnswer answer = get(path);

            assertThat(answer.raw().headers().firstValue("Content-Length")).as(path)
                    .contains(String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(answer.raw().headers().firstValue("Transfer-Encoding")).as(path).isEmpty();
        }
    }

    @Test
    void xmlListsTheSameRequests() {
        HttpAnswer xml = get("/v1/requests.xml?extensions=true");

        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).isEqualTo("text/xml; charset=utf-8");
        assertThat(xml.xpath("/service_requests/request/service_request_id")).containsExactly(CENTRE, TOILET, ESPOO);
        assertThat(xml.xpath("/service_requests/request/extended_attributes/detailed_status")).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "service_code=100 | " + CENTRE,
            "service_code=100,200 | " + CENTRE + "," + ESPOO,
            "status=closed | " + ESPOO,
            "status=open,closed | " + CENTRE + "," + TOILET + "," + ESPOO,
            "service_code=100,400&status=open | " + CENTRE + "," + TOILET,
            "lat=60.1699&long=24.9384&radius=1000 | " + CENTRE,
            "lat=60.1699&long=24.9384&radius=20000 | " + CENTRE + "," + ESPOO,
            "lat=60.1699&long=24.9384&radius=20000&status=closed | " + ESPOO,
            "bbox=24.6,60.1,24.7,60.3 | " + ESPOO,
            "service_object_type=http://www.hel.fi/servicemap/v2&service_object_id=10844 | " + TOILET,
            "page_size=1 | " + CENTRE,
            "page_size=1&page=2 | " + TOILET,
            "page_size=2&page=2 | " + ESPOO,
            "page=5 | ",
            "service_code=300 | ",
            // lat and long without radius search nothing, as the city's document says (issue #16)
            "lat=60.2055&long=24.6559 | " + CENTRE + "," + TOILET + "," + ESPOO})
    void filtersSelectExactlyTheMatchingRequests(String query, String expected) {
        assertThat(ids(query)).containsExactlyElementsOf(expected == null ? List.of() : List.of(expected.split(",")));
    }

    @Test
    void datesSelectAnyWindowUpTo90Days() {
        assertThat(ids("start_date=" + daysAgo(120) + "&end_date=" + daysAgo(95))).containsExactly(OLD);
        assertThat(ids("start_date=" + daysAgo(11) + "&end_date=" + daysAgo(2))).containsExactly(TOILET, ESPOO);
        assertThat(ids("start_date=" + daysAgo(5))).containsExactly(CENTRE, TOILET);
        assertThat(ids("end_date=" + daysAgo(2))).containsExactly(TOILET, ESPOO);
    }

    @Test
    void fractionalSecondsAndZonesAreAccepted() {
        String start = NOW.minusDays(11).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));
        String end = NOW.minusDays(2).withOffsetSameInstant(ZoneOffset.ofHours(3)).toString();

        assertThat(ids("start_date=" + start + "&end_date=" + end)).containsExactly(TOILET, ESPOO);
    }

    @Test
    void updatedAfterFindsChangesToOlderRequestsToo() throws Exception {
        touch(OLD);

        assertThat(ids("updated_after=" + daysAgo(0))).containsExactly(OLD);
        assertThat(ids("updated_after=" + daysAgo(4) + "&updated_before=" + daysAgo(2))).containsExactly(TOILET);
    }

    @Test
    void idListOverridesEveryOtherFilterAndShowsUnpublishedRequests() {
        assertThat(ids("service_request_id=" + HIDDEN + "," + OLD + "&service_code=200&status=open"))
                .containsExactly(HIDDEN, OLD);
    }

    @Test
    void publishingMakesARequestListed() throws Exception {
        String unpublished = "unpub000000000000006";
        // 150 days ago, so that no other test's window sees it
        insert(unpublished, "200", "open", false, 150, 60.1, 24.9, null);
        String window = "start_date=" + daysAgo(160) + "&end_date=" + daysAgo(140);
        assertThat(ids(window)).isEmpty();
        assertThat(get("/v1/requests/" + unpublished + ".json").status()).isEqualTo(200);

        try (Connection connection = store().getConnection();
             PreparedStatement publish = connection.prepareStatement("UPDATE service_request SET published = TRUE WHERE id = ?")) {
            publish.setString(1, unpublished);
            publish.executeUpdate();
        }

        assertThat(ids(window)).containsExactly(unpublished);
    }

    @Test
    void aStoredChangeShowsInTheVeryNextAnswer() throws Exception {
        // requests already written are reused (RenderedRequests): never once the stored row has changed
        String changing = "change00000000000007";
        insert(changing, "200", "open", true, 200, 60.1, 24.9, null);
        String list = "/v1/requests.json?extensions=true&service_request_id=" + changing;
        String byId = "/v1/requests/" + changing + ".json?extensions=true";
        for (int i = 0; i < 2; i++) {
            assertThat(get(list).json().get(0).path("status").asText()).isEqualTo("open");
            assertThat(get(byId).json().get(0).path("status").asText()).isEqualTo("open");
        }

        try (Connection connection = store().getConnection();
             PreparedStatement close = connection.prepareStatement(
                     "UPDATE service_request SET status = 'closed', status_notes = 'Korjattu',"
                             + " detailed_status = 'PROCESSED,PUBLIC_WORKS_DONE' WHERE id = ?")) {
            close.setString(1, changing);
            close.executeUpdate();
        }

        for (String path : List.of(list, byId)) {
            var request = get(path).json().get(0);
            assertThat(request.path("status").asText()).isEqualTo("closed");
            assertThat(request.path("status_notes").asText()).isEqualTo("Korjattu");
            assertThat(request.path("extended_attributes").path("detailed_status").asText())
                    .isEqualTo("PROCESSED,PUBLIC_WORKS_DONE");
        }
        assertThat(get(list.replace(".json", ".xml")).xpath("/service_requests/request/status")).containsExactly("closed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status=pending | status:",
            "start_date=yesterday | start_date:",
            "start_date=2026-01-01T00:00:00 | start_date:",
            "start_date=+99999-01-01T00:00:00Z | start_date:",
            "updated_after=2026-13-01T00:00:00Z | updated_after:",
            "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z | end_date: start_date and end_date may not span more than 90 days",
            "start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z | end_date: must not be before start_date",
            "radius=500 | radius:",
            "lat=60.17&radius=500 | long:",
            "lat=60.17&long=24.94&radius=-5 | radius:",
            "lat=600&long=24.94&radius=10 | lat:",
            "lat=60.17&long=24.94&radius=1e12 | radius:",
            "bbox=1,2,3 | bbox:",
            "bbox=25,60,24,61 | bbox:",
            "service_object_id=10844 | service_object_type: required with service_object_id",
            "page_size=0 | page_size:",
            "page_size=1000000 | page_size:",
            "page=-1 | page:",
            "page=abc | page:"})
    void badParameterIsA400NamingIt(String query, String expected) {
        HttpAnswer json = get("/v1/requests.json?" + query);
        HttpAnswer xml = get("/v1/requests.xml?" + query);

        assertThat(json.status()).isEqualTo(400);
        assertThat(json.jsonField("description")).anySatisfy(d -> assertThat(d).startsWith(expected));
        assertThat(xml.status()).isEqualTo(400);
        assertThat(xml.xpath("/errors/error/description")).anySatisfy(d -> assertThat(d).startsWith(expected));
    }

    @Test
    void tokensAreNeverPending() {
        HttpAnswer json = get("/v1/tokens/12345.json");
        HttpAnswer xml = get("/v1/tokens/12345.xml");

        assertThat(json.status()).isEqualTo(404);
        assertThat(json.json().get(0).path("code").asInt()).isEqualTo(404);
        assertThat(xml.status()).isEqualTo(404);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("404");
    }

    private List<String> ids(String query) {
        HttpAnswer answer = get("/v1/requests.json?" + query.replace("+", "%2B"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.jsonField("service_request_id");
    }

    private static String daysAgo(int days) {
        return URLEncoder.encode(NOW.minusDays(days).minusMinutes(1).toString(), StandardCharsets.UTF_8);
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    private void touch(String id) throws Exception {
        try (Connection connection = store().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE service_request SET updated_at = ? WHERE id = ?")) {
            update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    private void insert(String id, String code, String status, boolean published, int daysAgo,
                        Double lat, Double lon, String objectId) throws Exception {
        OffsetDateTime requested = NOW.minusDays(daysAgo);
        try (Connection connection = store().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO service_request (id, service_code, description, lat, lon, service_object_type,
                       service_object_id, status, detailed_status, published, requested_at, updated_at, geo_cell)
                     VALUES (?, ?, 'A request the list tests know', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, code);
            insert.setObject(3, lat);
            insert.setObject(4, lon);
            insert.setString(5, objectId == null ? null : "http://www.hel.fi/servicemap/v2");
            insert.setString(6, objectId);
            insert.setString(7, status);
            insert.setString(8, status.equals("open") ? "RECEIVED" : "PROCESSED");
            insert.setBoolean(9, published);
            insert.setObject(10, requested);
            insert.setObject(11, requested);
            // as every writer of lat/long does: radius searches find a request by its grid cell
            insert.setObject(12, GeoCells.cellOf(lat, lon));
            insert.executeUpdate();
        }
    }
}

package org.open311.gateway.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.requests.GeoCells;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the gateway used to differ from the city's document (shared/spec/helsinki-open311-api.md) in ways
 * that broke clients written to it (issue #16, items 4 to 7), each in JSON and XML.
 */
class CityDocumentHttpTest extends GatewayTestSupport {

    /** Half past midnight on 1 May in Helsinki: still 30 April in UTC. */
    private static final String MAY_FIRST = "mayfirst000000000001";
    /** Half past eleven on 30 April in Helsinki. */
    private static final String APRIL_LAST = "aprillast00000000002";
    private static final String RECENT = "recent00000000000003";

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.time-zone", "Europe/Helsinki");
        return settings;
    }

    private boolean seeded;

    /** Once, before the first test (the gateway starts before each class's first test, after @BeforeAll). */
    @BeforeEach
    void seedOnce() throws Exception {
        if (seeded) {
            return;
        }
        seeded = true;
        insert(MAY_FIRST, OffsetDateTime.parse("2026-05-01T00:30:00+03:00"));
        insert(APRIL_LAST, OffsetDateTime.parse("2026-04-30T23:30:00+03:00"));
        insert(RECENT, OffsetDateTime.now(ZoneOffset.UTC).minusHours(2));
    }

    // item 4: the document lists 404 for an unknown service_code
    @ParameterizedTest
    @ValueSource(strings = {"service_code=999", "service_code=100,999"})
    void anUnknownServiceCodeIsA404NamingIt(String query) {
        HttpAnswer json = get("/v1/requests.json?" + query);
        HttpAnswer xml = get("/v1/requests.xml?" + query);

        assertThat(json.status()).isEqualTo(404);
        assertThat(json.jsonField("description")).containsExactly("service_code: '999' not found");
        assertThat(xml.status()).isEqualTo(404);
        assertThat(xml.xpath("/errors/error/code")).containsExactly("404");
        assertThat(xml.xpath("/errors/error/description")).containsExactly("service_code: '999' not found");
    }

    @Test
    void aKnownCodeWithoutRequestsIsStillAnEmptyList() {
        assertThat(get("/v1/requests.json?service_code=200").json()).isEmpty();
        // a retired service is known: its old requests stay listable
        assertThat(get("/v1/requests.json?service_code=300").status()).isEqualTo(200);
    }

    // item 5: every W3C profile; a date means its start in the gateway's time zone
    @Test
    void aDateWithoutATimeStartsAtMidnightInTheGatewaysZone() {
        assertThat(ids("json", "start_date=2026-05-01&end_date=2026-05-02")).containsExactly(MAY_FIRST);
        assertThat(ids("json", "start_date=2026-04-30&end_date=2026-05-01")).containsExactly(APRIL_LAST);
        assertThat(ids("xml", "start_date=2026-05-01&end_date=2026-05-02")).containsExactly(MAY_FIRST);
    }

    @Test
    void yearMonthAndMinutePrecisionAreW3cDatetimesToo() {
        assertThat(ids("json", "start_date=2026-05&end_date=2026-05-02")).containsExactly(MAY_FIRST);
        assertThat(ids("json", "start_date=2026-04-30T23:00%2B03:00&end_date=2026-05-01T00:00%2B03:00"))
                .containsExactly(APRIL_LAST);
        assertThat(ids("xml", "updated_after=2026&updated_before=2026-05-01T00:00Z")).containsExactly(MAY_FIRST, APRIL_LAST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-5-1", "2026-05-01T00:00", "26-05-01", "2026-02-30", "20260501", "2026-05-01T24:61Z"})
    void whatIsNoW3cDatetimeStaysA400(String value) {
        HttpAnswer json = get("/v1/requests.json?start_date=" + value);
        HttpAnswer xml = get("/v1/requests.xml?start_date=" + value);

        assertThat(json.status()).isEqualTo(400);
        assertThat(json.jsonField("description")).anySatisfy(d -> assertThat(d).startsWith("start_date: must be a W3C datetime"));
        assertThat(xml.status()).isEqualTo(400);
    }

    // item 6: a location search only with lat, long and radius
    @Test
    void latAndLongWithoutRadiusSearchNothingAsTheDocumentSays() {
        List<String> all = ids("json", "");
        assertThat(all).containsExactly(RECENT);
        assertThat(ids("json", "lat=10.0&long=10.0")).isEqualTo(all);
        assertThat(ids("xml", "lat=10.0&long=10.0")).isEqualTo(all);
        assertThat(ids("json", "lat=10.0&long=10.0&radius=1000")).isEmpty();
    }

    @Test
    void aRadiusWithoutItsCentreOrHalfACentreIsStillA400() {
        for (String query : List.of("radius=500", "lat=60.17", "long=24.94&radius=500", "lat=600&long=24.94")) {
            assertThat(get("/v1/requests.json?" + query).status()).as(query).isEqualTo(400);
            assertThat(get("/v1/requests.xml?" + query).status()).as(query).isEqualTo(400);
        }
    }

    // item 7: address_id and zip_code as the document's example shows them
    @Test
    void addressIdAndZipCodeAreEmittedEmptyAfterTheAddress() {
        for (String path : List.of("/v1/requests.json", "/v1/requests/" + RECENT + ".json", "/v1/requests/" + RECENT + ".json?extensions=true")) {
            HttpAnswer answer = get(path);
            JsonNode request = answer.json().get(0);
            assertThat(request.has("address_id")).as(path).isTrue();
            assertThat(request.path("address_id").asText()).isEmpty();
            assertThat(request.has("zip_code")).as(path).isTrue();
            assertThat(request.path("zip_code").asText()).isEmpty();
            List<String> fields = new ArrayList<>();
            request.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsSubsequence("address", "address_id", "zip_code", "lat", "long");
        }
        for (String path : List.of("/v1/requests.xml", "/v1/requests/" + RECENT + ".xml")) {
            HttpAnswer xml = get(path);
            assertThat(xml.xpath("/service_requests/request/address_id")).as(path).containsExactly("");
            assertThat(xml.xpath("/service_requests/request/zip_code")).as(path).containsExactly("");
        }
    }

    private List<String> ids(String format, String query) {
        HttpAnswer answer = get("/v1/requests." + format + "?" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return format.equals("json") ? answer.jsonField("service_request_id")
                : answer.xpath("/service_requests/request/service_request_id");
    }

    private void insert(String id, OffsetDateTime requested) throws Exception {
        DataSource store = context.getRegistry().lookupByNameAndType("store", DataSource.class);
        try (Connection connection = store.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO service_request (id, service_code, description, lat, lon, status, detailed_status,
                       published, requested_at, updated_at, geo_cell, address_string)
                     VALUES (?, '100', 'A request the conformance tests know', 60.17, 24.94, 'open', 'RECEIVED',
                       TRUE, ?, ?, ?, 'Hämeentie 1')""")) {
            insert.setString(1, id);
            insert.setObject(2, requested.withOffsetSameInstant(ZoneOffset.UTC));
            insert.setObject(3, requested.withOffsetSameInstant(ZoneOffset.UTC));
            insert.setObject(4, GeoCells.cellOf(60.17, 24.94));
            insert.executeUpdate();
        }
    }
}

package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.open311.gateway.TestDatabase;
import org.open311.gateway.observe.CorrelationId;
import org.open311.gateway.store.Database;
import org.open311.gateway.store.StoreTimeouts;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits the API checks ({@link InputLimits}) and the store's columns cannot drift apart: each column
 * that keeps what a client sent is exactly as wide as the most the validation lets through, read from the
 * migrated schema's own metadata on both stores; the OpenAPI document states the same limits.
 */
class InputLimitsSchemaTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyColumnHoldsTheLongestValueTheApiAccepts(TestDatabase database) throws Exception {
        Assumptions.assumeTrue(database == TestDatabase.H2 || TestDatabase.postgresUsable(), "no PostgreSQL here");
        Properties fresh = database.freshStore();
        String schema = fresh.getProperty("gateway.db.schema", "");
        try (HikariDataSource store = Database.open(new Database.Settings(fresh.getProperty("gateway.db.url"),
                fresh.getProperty("gateway.db.user"), "", schema, 2, StoreTimeouts.defaults()))) {
            Map<String, Integer> columns = columnSizes(store.getConnection(), schema);

            Map<String, Integer> expected = new TreeMap<>(InputLimits.storedColumns());
            expected.put("correlation_id", CorrelationId.MAX_LENGTH);
            Map<String, Integer> actual = new TreeMap<>();
            expected.keySet().forEach(column -> actual.put(column, columns.get(column)));
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void theOpenApiDocumentStatesTheSameLimits() throws Exception {
        JsonNode document;
        try (InputStream yaml = getClass().getResourceAsStream("/openapi/open311-gateway.yaml")) {
            document = new YAMLMapper().readTree(yaml);
        }
        JsonNode form = document.at("/components/schemas/NewServiceRequest/properties");
        assertThat(form.at("/description/minLength").asInt()).isEqualTo(InputLimits.DESCRIPTION_MIN);
        assertThat(form.at("/description/maxLength").asInt()).isEqualTo(InputLimits.DESCRIPTION.maxLength());
        assertThat(form.at("/email/maxLength").asInt()).isEqualTo(InputLimits.EMAIL.maxLength());
        InputLimits.SHORT_TEXTS.forEach(text ->
                assertThat(form.at("/" + text.name() + "/maxLength").asInt()).as(text.name()).isEqualTo(text.maxLength()));
        assertThat(form.at("/lat/maximum").asDouble()).isEqualTo(InputLimits.LAT_MAX);
        assertThat(form.at("/long/maximum").asDouble()).isEqualTo(InputLimits.LONG_MAX);
        assertThat(form.at("/media_url/maxItems").asInt()).isEqualTo(InputLimits.MEDIA_URLS_MAX);
        assertThat(form.at("/media_url/items/maxLength").asInt()).isEqualTo(InputLimits.MEDIA_URL_MAX);

        Map<String, JsonNode> list = new TreeMap<>();
        document.at("/paths/~1requests.{format}/get/parameters").forEach(p -> list.put(p.path("name").asText(), p.path("schema")));
        assertThat(list.get("page").path("maximum").asInt()).isEqualTo(InputLimits.PAGE_MAX);
        assertThat(list.get("page_size").path("maximum").asInt()).isEqualTo(InputLimits.PAGE_SIZE_MAX);
        assertThat(list.get("page_size").path("default").asInt()).isEqualTo(InputLimits.PAGE_SIZE_DEFAULT);
        assertThat(list.get("radius").path("maximum").asDouble()).isEqualTo(InputLimits.RADIUS_MAX_METRES);
        assertThat(list.get("service_object_type").path("maxLength").asInt()).isEqualTo(InputLimits.QUERY_VALUE_MAX);
        assertThat(list.get("service_object_id").path("maxLength").asInt()).isEqualTo(InputLimits.QUERY_VALUE_MAX);
    }

    /** Declared sizes of service_request's columns, by lower-case name (H2 reports names in upper case). */
    private static Map<String, Integer> columnSizes(Connection connection, String schema) throws Exception {
        Map<String, Integer> sizes = new TreeMap<>();
        try (connection; ResultSet columns = connection.getMetaData().getColumns(null, schema.isBlank() ? null : schema,
                null, null)) {
            while (columns.next()) {
                if (columns.getString("TABLE_NAME").equalsIgnoreCase("service_request")) {
                    sizes.put(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), columns.getInt("COLUMN_SIZE"));
                }
            }
        }
        return sizes;
    }
}

package org.open311.gateway.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.RenderedJsonArray;
import org.open311.gateway.api.view.ServiceRequestList;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;
import org.open311.gateway.catalogue.Language;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests written once are reused only while nothing they were written from has changed. */
class RenderedRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiResponder responder = new ApiResponder();
    private final RequestRows rows = new RequestRows(ZoneId.of("Europe/Helsinki"));
    private final Catalogue catalogue = CatalogueLoader.load(Path.of("mappings"));
    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void aListOfWrittenRequestsIsTheSameBytesAsJacksonWritesTheList() {
        List<Map<String, Object>> stored = List.of(
                row("aaaaaaaaaaaaaaaaaaa1", "171", "Syvä kuoppa \"pyörätiellä\"\nToinen rivi"),
                withAspaWorkOrder(row("aaaaaaaaaaaaaaaaaaa2", "190", "Töhryjä sillan kaiteessa")),
                row("aaaaaaaaaaaaaaaaaaa3", "999", "A service the catalogue no longer has"));
        for (boolean extensions : new boolean[] {true, false}) {
            RenderedRequests rendered = new RenderedRequests(1 << 20);
            byte[] viaJackson = responder.bytes(ApiFormat.JSON, new ServiceRequestList(
                    stored.stream().map(row -> rows.view(row, catalogue, Language.FI, extensions)).toList()));

            byte[] written = responder.bytes(ApiFormat.JSON, new RenderedJsonArray(stored.stream()
                    .map(row -> json(rendered, row, catalogue, Language.FI, extensions)).toList()));

            assertThat(new String(written, StandardCharsets.UTF_8))
                    .isEqualTo(new String(viaJackson, StandardCharsets.UTF_8));
        }
        assertThat(responder.bytes(ApiFormat.JSON, new RenderedJsonArray(List.of()))).asString().isEqualTo("[]");
    }

    @Test
    void anUnchangedRowIsWrittenOnceAndReused() {
        RenderedRequests rendered = new RenderedRequests(1 << 20);
        byte[] first = json(rendered, row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa"), catalogue, Language.FI, true);

        // read again from the store: a new map with equal values
        byte[] second = json(rendered, row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa"), catalogue, Language.FI, true);

        assertThat(second).isSameAs(first);
        assertThat(writes).hasValue(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status | closed | status | closed",
            "status_notes | Korjattu | status_notes | Korjattu",
            "detailed_status | PROCESSED | extended_attributes.detailed_status | PROCESSED",
            "description | Uusi kuvaus | description | Uusi kuvaus",
            "tasks | '[{\"type\":\"REPAIR\",\"status\":\"PUBLIC_WORKS_DONE\"}]' | extended_attributes.tasks | PUBLIC_WORKS_DONE"})
    void anyChangedColumnIsWrittenAfresh(String column, String value, String field, String expected) {
        RenderedRequests rendered = new RenderedRequests(1 << 20);
        Map<String, Object> before = withAspaWorkOrder(row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa"));
        json(rendered, before, catalogue, Language.FI, true);
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put(column.toUpperCase(Locale.ROOT), value);

        JsonNode answer = parse(json(rendered, after, catalogue, Language.FI, true));

        assertThat(writes).hasValue(2);
        JsonNode shown = answer;
        for (String name : field.split("\\.")) {
            shown = shown.path(name);
        }
        assertThat(shown.isValueNode() ? shown.asText() : shown.toString()).contains(expected);
    }

    @Test
    void aChangedDatetimeIsWrittenAfresh() {
        RenderedRequests rendered = new RenderedRequests(1 << 20);
        Map<String, Object> before = row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa");
        json(rendered, before, catalogue, Language.FI, true);
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("UPDATED_AT", OffsetDateTime.parse("2026-11-02T10:00:00Z"));

        assertThat(parse(json(rendered, after, catalogue, Language.FI, true)).path("updated_datetime").asText())
                .isEqualTo("2026-11-02T12:00:00+02:00");
    }

    @Test
    void aNewCatalogueOrAnotherLanguageOrExtensionsAreWrittenApart() {
        RenderedRequests rendered = new RenderedRequests(1 << 20);
        Map<String, Object> row = row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa");
        String finnish = parse(json(rendered, row, catalogue, Language.FI, true)).path("service_name").asText();

        String swedish = parse(json(rendered, row, catalogue, Language.SV, true)).path("service_name").asText();
        JsonNode plain = parse(json(rendered, row, catalogue, Language.FI, false));
        Catalogue reloaded = CatalogueLoader.load(Path.of("mappings"));
        json(rendered, row, reloaded, Language.FI, true);

        assertThat(swedish).isNotEqualTo(finnish);
        assertThat(plain.has("extended_attributes")).isFalse();
        assertThat(writes).hasValue(4);
        // and each is kept: asking again writes nothing
        json(rendered, row, Language.SV);
        assertThat(writes).hasValue(4);
    }

    @Test
    void rowsAreTheSameOnlyWithEqualColumnsInTheSameOrder() {
        Map<String, Object> row = row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("SERVICE_CODE", row.get("SERVICE_CODE"));
        row.forEach(reordered::putIfAbsent);
        Map<String, Object> renamed = new LinkedHashMap<>();
        row.forEach((column, value) -> renamed.put(column.equals("STATUS") ? "STATUS_NOTES_X" : column, value));
        Map<String, Object> longer = new LinkedHashMap<>(row);
        longer.put("EXTRA", null);

        assertThat(RenderedRequests.sameColumns(row, new LinkedHashMap<>(row))).isTrue();
        assertThat(RenderedRequests.sameColumns(row, reordered)).isFalse();
        assertThat(RenderedRequests.sameColumns(row, renamed)).isFalse();
        assertThat(RenderedRequests.sameColumns(row, longer)).isFalse();
        assertThat(RenderedRequests.sameColumns(longer, row)).isFalse();
    }

    @Test
    void aRowsDigestFollowsEveryColumnAndIsKeptWhileTheRowIsUnchanged() {
        RenderedRequests rendered = new RenderedRequests(1 << 20);
        Map<String, Object> row = row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa");
        long first = rendered.of("aaaaaaaaaaaaaaaaaaa1", row, catalogue, Language.FI, true, null).digest();

        // an XML answer (no writer) keeps the digest alone; a JSON answer then writes the row once
        assertThat(rendered.of("aaaaaaaaaaaaaaaaaaa1", row, catalogue, Language.FI, true, null).json()).isNull();
        json(rendered, row, catalogue, Language.FI, true);
        json(rendered, row, catalogue, Language.FI, true);
        assertThat(writes).hasValue(1);
        assertThat(rendered.of("aaaaaaaaaaaaaaaaaaa1", new LinkedHashMap<>(row), catalogue, Language.FI, true, null).digest())
                .isEqualTo(first);
        assertThat(new RenderedRequests(0).of("aaaaaaaaaaaaaaaaaaa1", row, catalogue, Language.FI, true, null).digest())
                .as("the same on another instance, or without the cache").isEqualTo(first);

        Map<String, Object> changed = new LinkedHashMap<>(row);
        changed.put("STATUS_NOTES", "Korjattu");
        assertThat(rendered.of("aaaaaaaaaaaaaaaaaaa1", changed, catalogue, Language.FI, true, null).digest()).isNotEqualTo(first);
    }

    @Test
    void noRoomMeansEveryRequestIsWrittenAfresh() {
        RenderedRequests rendered = new RenderedRequests(0);
        Map<String, Object> row = row("aaaaaaaaaaaaaaaaaaa1", "171", "Kuoppa");

        json(rendered, row, catalogue, Language.FI, true);
        json(rendered, row, catalogue, Language.FI, true);

        assertThat(writes).hasValue(2);
    }

    private void json(RenderedRequests rendered, Map<String, Object> row, Language language) {
        json(rendered, row, catalogue, language, true);
    }

    private byte[] json(RenderedRequests rendered, Map<String, Object> row, Catalogue shown, Language language,
                        boolean extensions) {
        return rendered.json(RequestRows.id(row), row, shown, language, extensions, () -> {
            writes.incrementAndGet();
            return responder.json(rows.view(row, shown, language, extensions));
        });
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A row as camel-jdbc reads it from H2: upper-case labels, in the query's column order. */
    private static Map<String, Object> row(String id, String serviceCode, String description) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : RequestQuery.COLUMNS.split(",")) {
            row.put(column.trim().toUpperCase(Locale.ROOT), null);
        }
        row.put("ID", id);
        row.put("SERVICE_CODE", serviceCode);
        row.put("DESCRIPTION", description);
        row.put("LAT", 60.1841);
        row.put("LON", 24.9519);
        row.put("ADDRESS_STRING", "Mannerheimintie 1");
        row.put("MEDIA_URLS", "[\"http://localhost:8080/v1/media/a.jpg\"]");
        row.put("STATUS", "open");
        row.put("DETAILED_STATUS", "IN_PROCESS");
        row.put("STATUS_NOTES", "");
        row.put("AGENCY_RESPONSIBLE", "Kaupunkiympäristö");
        row.put("SERVICE_NOTICE", "");
        row.put("REQUESTED_AT", OffsetDateTime.parse("2026-11-01T08:30:00Z"));
        row.put("UPDATED_AT", OffsetDateTime.parse("2026-11-01T09:00:00Z"));
        return row;
    }

    private static Map<String, Object> withAspaWorkOrder(Map<String, Object> row) {
        row.put("DETAILED_STATUS", row.get("DETAILED_STATUS") + ",PUBLIC_WORKS_NEW");
        row.put("TASKS", "[{\"backend\":\"aspa\",\"type\":\"REPAIR\",\"status\":\"PUBLIC_WORKS_NEW\","
                + "\"created_at\":\"2026-11-01T10:00Z\",\"modified_at\":\"2026-11-01T11:00Z\",\"owner\":\"Stara\"}]");
        return row;
    }
}

package org.open311.gateway.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.cli.Cli;
import org.open311.gateway.simulator.CrmSimulator;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The import command against the store of a running gateway: what is imported is served over HTTP with
 * the same fields, a second import changes nothing, bad items are rejected with their reasons, and
 * nothing imported is sent to the back ends.
 */
abstract class ImportHttpTest extends GatewayTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");
    /** One instant for the whole class, so that an item built twice is the same item. */
    private static final OffsetDateTime NOW = OffsetDateTime.now(HELSINKI);
    private static final String KEY = "import-test-key";
    // ids of the good items; each test imports them under its own prefix, as the tests share one store
    static final String FULL = "-000001";
    static final String HIDDEN = "-000002";
    static final String CLOSED = "-000003";

    @TempDir
    Path dir;

    private Properties storeSettings;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = super.useOverridePropertiesWithPropertiesComponent();
        storeSettings = new Properties();
        properties.stringPropertyNames().stream().filter(name -> name.startsWith("gateway.db."))
                .forEach(name -> storeSettings.put(name, properties.getProperty(name)));
        storeSettings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        return properties;
    }

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.api-keys.demo", KEY);
        settings.put("gateway.forwarding.interval-ms", "100");
        return settings;
    }

    record Run(int exitCode, String out, String err) {
    }

    private Run importFile(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"import", file.toString()}, storeSettings, new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** An item exactly as requests/{id}.json?extensions=true of this gateway answers it. */
    private static ObjectNode full(String prefix) {
        ObjectNode item = JSON.createObjectNode();
        item.put("service_request_id", prefix + FULL);
        item.put("status", "open");
        item.put("status_notes", "Työ on tilattu urakoitsijalta.");
        item.put("service_name", "Kuoppa kadussa");
        item.put("service_code", "100");
        item.put("description", "Syvä kuoppa pyörätiellä Hämeentien ja Kaikukadun risteyksessä, ä ö å.");
        item.put("agency_responsible", "Kaupunkiympäristö");
        item.put("service_notice", "");
        item.put("requested_datetime", time(5, 10));
        item.put("updated_datetime", time(3, 0));
        item.put("expected_datetime", time(-7, 0));
        item.put("address", "Hämeentie 1, Helsinki");
        // as the gateway exports them (the city's document shows both, empty): an export imports as it is
        item.put("address_id", "");
        item.put("zip_code", "");
        item.put("lat", 60.1841);
        item.put("long", 24.9519);
        item.put("media_url", "https://old.example.fi/media/1.jpg");
        ObjectNode extended = item.putObject("extended_attributes");
        extended.put("title", "Syvä kuoppa pyörätiellä");
        extended.put("detailed_status", "IN_PROCESS,PUBLIC_WORKS_IN_PROGRESS");
        extended.putArray("media_urls").add("https://old.example.fi/media/1.jpg").add("https://old.example.fi/media/2.png");
        ObjectNode task = extended.putArray("tasks").addObject();
        task.put("task_type", "POTHOLE_REPAIR");
        task.put("task_state", "PUBLIC_WORKS_IN_PROGRESS");
        task.put("task_created", time(4, 0));
        task.put("task_modified", time(3, 0));
        task.put("owner_name", "Crew 7");
        return item;
    }

    private static ObjectNode simple(String id, String code, String status, int daysAgo) {
        ObjectNode item = JSON.createObjectNode();
        item.put("service_request_id", id);
        item.put("status", status);
        item.put("service_code", code);
        item.put("description", "Roskia puistossa penkin vieressä");
        item.put("requested_datetime", time(daysAgo, 0));
        return item;
    }

    /** A datetime this many days ago (and hours more), as the gateway writes it: Helsinki time, whole seconds. */
    private static String time(int daysAgo, int hours) {
        return NOW.minusDays(daysAgo).minusHours(hours).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private Path write(List<JsonNode> items) throws Exception {
        Path file = Files.createTempFile(dir, "export", ".json");
        JSON.writeValue(file.toFile(), items);
        return file;
    }

    private List<JsonNode> goodItems(String prefix) {
        ObjectNode hidden = simple(prefix + HIDDEN, "200", "open", 2);
        hidden.putObject("extended_attributes").put("published", false);
        return List.of(full(prefix), hidden, simple(prefix + CLOSED, "400", "closed", 20));
    }

    @Test
    void importedRequestsAreServedWithTheSameFieldsAndASecondImportChangesNothing() throws Exception {
        String p = "served";
        Path file = write(goodItems(p));

        Run first = importFile(file);
        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        assertThat(first.out()).startsWith("Imported 3, skipped 0 (already stored), rejected 0, of 3 items read");

        HttpAnswer byId = get("/v1/requests/" + p + FULL + ".json?extensions=true&locale=fi");
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get(0)).isEqualTo(full(p));
        assertThat(get("/v1/requests/" + p + HIDDEN + ".json").json().get(0).path("status").asText()).isEqualTo("open");
        JsonNode closed = get("/v1/requests/" + p + CLOSED + ".json?extensions=true").json().get(0);
        assertThat(closed.path("extended_attributes").path("detailed_status").asText()).isEqualTo("PROCESSED");
        assertThat(closed.path("service_name").asText()).isEqualTo("Park bench");

        // published: the unpublished one is found by id only, not in the public list
        HttpAnswer list = get("/v1/requests.json?extensions=true&locale=fi&service_code=100,400");
        assertThat(list.jsonField("service_request_id")).containsExactly(p + FULL, p + CLOSED);
        assertThat(list.json().get(0)).isEqualTo(full(p));

        String ids = p + FULL + "," + p + HIDDEN + "," + p + CLOSED;
        String before = get("/v1/requests.json?service_request_id=" + ids + "&extensions=true").body();
        long rows = count("SELECT COUNT(*) FROM service_request");
        Run second = importFile(file);
        assertThat(second.exitCode()).isEqualTo(0);
        assertThat(second.out()).startsWith("Imported 0, skipped 3 (already stored), rejected 0, of 3 items read");
        assertThat(get("/v1/requests.json?service_request_id=" + ids + "&extensions=true").body()).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM service_request")).isEqualTo(rows);
    }

    @Test
    void anImportedRequestIsFoundByARadiusSearch() throws Exception {
        ObjectNode item = simple("near-import-000001", "200", "open", 1);
        item.put("lat", 60.2501);
        item.put("long", 25.0101);
        ObjectNode elsewhere = simple("near-import-000002", "200", "open", 1);
        elsewhere.put("lat", 60.2511);
        elsewhere.put("long", 25.0101);

        assertThat(importFile(write(List.of(item, elsewhere))).exitCode()).isEqualTo(0);

        // found through its grid cell: the importer stores it, as the POST does
        HttpAnswer near = get("/v1/requests.json?lat=60.2501&long=25.0101&radius=50");
        assertThat(near.jsonField("service_request_id")).containsExactly("near-import-000001");
        assertThat(count("SELECT COUNT(*) FROM service_request WHERE id LIKE 'near-import-%' AND geo_cell IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void badItemsAreRejectedWithTheirReasonsAndTheRestIsImported() throws Exception {
        ObjectNode badDate = simple("bad-date-1", "200", "open", 1);
        badDate.put("requested_datetime", "yesterday");
        ObjectNode noId = simple("x", "200", "open", 1);
        noId.remove("service_request_id");
        List<JsonNode> items = new ArrayList<>();
        items.add(simple("unknown-code-1", "999", "open", 1));
        items.add(badDate);
        items.add(noId);
        items.add(simple("bad-status-1", "200", "pending", 1));
        items.add(simple("good-one-0000001", "200", "open", 1));
        items.add(simple("good-one-0000001", "200", "closed", 1));
        items.add(JSON.getNodeFactory().textNode("not an object"));
        items.add(JSON.getNodeFactory().nullNode());

        Run run = importFile(write(items));

        assertThat(run.exitCode()).as("some items were rejected: " + run.err()).isEqualTo(Cli.IMPORT_REJECTED_ITEMS).isEqualTo(3);
        assertThat(run.out()).startsWith("Imported 1, skipped 1 (already stored), rejected 6, of 8 items read")
                .contains("rejected item 1 (unknown-code-1): service_code: unknown service code '999'")
                .contains("rejected item 2 (bad-date-1): requested_datetime: bad date 'yesterday'")
                .contains("rejected item 3: service_request_id: missing")
                .contains("rejected item 4 (bad-status-1): status: must be open or closed, was 'pending'")
                .contains("rejected item 7: not a JSON object")
                .contains("rejected item 8: not a JSON object");
        assertThat(get("/v1/requests/good-one-0000001.json").json().get(0).path("status").asText()).isEqualTo("open");
        assertThat(get("/v1/requests/unknown-code-1.json").status()).isEqualTo(404);
        assertThat(get("/v1/requests/bad-date-1.json").status()).isEqualTo(404);
    }

    @Test
    void aFileThatIsNotAJsonListIsRefusedWithExitCode1() throws Exception {
        Path notAList = dir.resolve("object.json");
        Files.writeString(notAList, "{\"service_request_id\": \"a\"}");
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, JSON.writeValueAsString(List.of(simple("cut-file-000001", "200", "open", 1))) .replace("]", ""));

        Run object = importFile(notAList);
        Run truncated = importFile(cut);
        Run missing = importFile(dir.resolve("no-such-file.json"));

        assertThat(object.exitCode()).isEqualTo(1);
        assertThat(object.err()).contains("not a JSON list");
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("Cannot read");
    }

    @Test
    void importedRequestsAreNeverSentToTheBackEnds() throws Exception {
        assertThat(importFile(write(goodItems("unsent"))).exitCode()).isEqualTo(0);

        // a request posted after the import is forwarded: the forwarding poll ran over the imported ones
        HttpAnswer posted = postForm("/v1/requests.json", "api_key", KEY, "service_code", "200",
                "description", "Töhryjä sillan kaiteessa", "lat", "60.17", "long", "24.94");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String postedId = posted.json().get(0).path("service_request_id").asText();
        CrmSimulator crm = context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(postedId).isPresent());

        assertThat(crm.cases()).extracting(c -> c.path("reference").asText()).containsExactly(postedId);
        assertThat(count("SELECT COUNT(*) FROM forward_task WHERE backend = 'crm' AND state = 'IMPORTED' AND request_id LIKE 'unsent%'")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM forward_task WHERE request_id LIKE 'unsent%' AND state IN ('PENDING', 'DEAD')"))
                .isEqualTo(0);
        assertThat(count("SELECT COUNT(*) FROM backend_record WHERE request_id LIKE 'unsent%' AND remote_id IS NOT NULL"
                + " AND backend = 'crm'")).isEqualTo(0);
    }

    private long count(String sql) throws Exception {
        try (Connection connection = context.getRegistry().lookupByNameAndType("store", DataSource.class).getConnection();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

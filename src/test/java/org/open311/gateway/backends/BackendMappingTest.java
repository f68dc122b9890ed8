package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.open311.gateway.catalogue.LiveCatalogue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored request as each back end's contract wants it (docs/backends/*.md), and their answers read back. */
class BackendMappingTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final Forwarding forwarding = new Forwarding(new Forwarding.Settings(10, Duration.ofSeconds(60), 3,
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofHours(72)), null, Clock.systemUTC());
    private final LiveCatalogue catalogue = new LiveCatalogue(Path.of("src/test/resources/fixtures/mappings"));

    private Exchange exchangeWith(Map<String, Object> row) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(row);
        forwarding.begin(exchange);
        return exchange;
    }

    private static Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>();
        row.put("ID", "abc123");
        row.put("SERVICE_CODE", "100");
        row.put("DESCRIPTION", "Syvä kuoppa");
        row.put("TITLE", "Kuoppa");
        row.put("LAT", 60.18);
        row.put("LON", 24.95);
        row.put("ADDRESS_STRING", "Hämeentie 1");
        row.put("EMAIL", "maija@example.fi");
        row.put("FIRST_NAME", "Maija");
        row.put("ATTRIBUTES", "{\"size\":\"large\"}");
        row.put("MEDIA_URLS", "[\"http://gw/v1/media/a.png\"]");
        row.put("LOCALE", "fi");
        row.put("REQUESTED_AT", OffsetDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
        row.put("TASK_CATEGORY", "POTHOLE_REPAIR");
        row.put("TASK_ATTEMPTS", 0);
        return row;
    }

    @Test
    void caseCarriesCategoryContactAttributesAndAttachments() throws Exception {
        Exchange exchange = exchangeWith(row());

        JsonNode body = new ObjectMapper().readTree(new CrmMapping(catalogue).toRequest(exchange));

        assertThat(body.path("reference").asText()).isEqualTo("abc123");
        assertThat(body.path("category").asText()).isEqualTo("STREETS");
        assertThat(body.path("location").path("lat").asDouble()).isEqualTo(60.18);
        assertThat(body.path("location").path("address").asText()).isEqualTo("Hämeentie 1");
        assertThat(body.path("contact").path("email").asText()).isEqualTo("maija@example.fi");
        assertThat(body.path("attributes").path("size").asText()).isEqualTo("large");
        assertThat(body.path("attachments").get(0).path("url").asText()).isEqualTo("http://gw/v1/media/a.png");
        assertThat(body.path("submitted_at").asText()).isEqualTo("2026-11-27T08:00Z");
        assertThat(body.has("service_object")).isFalse();
    }

    @Test
    void workOrderCarriesNoContactData() {
        Exchange exchange = exchangeWith(row());

        String body = new AspaMapping().toRequest(exchange);

        assertThat(body).contains("\"work_type\":\"POTHOLE_REPAIR\"", "\"reference\":\"abc123\"")
                .doesNotContain("maija@example.fi", "Maija");
    }

    @Test
    void answerForAnotherReferenceOrNotJsonIsAFailure() {
        CrmMapping mapping = new CrmMapping(catalogue);
        Exchange exchange = exchangeWith(row());
        mapping.toRequest(exchange);

        exchange.getMessage().setBody("{\"case_id\":\"CRM-1\",\"reference\":\"other\"}");
        assertThatThrownBy(() -> mapping.accepted(exchange)).isInstanceOf(IllegalStateException.class);
        exchange.getMessage().setBody("<<not json>>");
        assertThatThrownBy(() -> mapping.accepted(exchange)).isInstanceOf(IllegalStateException.class);
        exchange.getMessage().setBody("{\"case_id\":\"CRM-1\",\"reference\":\"abc123\"}");
        mapping.accepted(exchange);
        assertThat(exchange.getProperty(Forwarding.BACKEND_ID)).isEqualTo("CRM-1");
    }

    @Test
    void anOpen311PostIsTheFormAClientWouldSendUnderTheServersServiceCode() {
        Map<String, Object> row = row();
        row.put("TASK_CATEGORY", "WASTE_BIN_FULL");
        Exchange exchange = exchangeWith(row);

        String form = new Open311Mapping().toRequest(exchange);

        assertThat(form).contains("service_code=WASTE_BIN_FULL", "description=Syv%C3%A4+kuoppa", "lat=60.18", "long=24.95",
                "address_string=H%C3%A4meentie+1", "email=maija%40example.fi", "first_name=Maija",
                "media_url=http%3A%2F%2Fgw%2Fv1%2Fmedia%2Fa.png").doesNotContain("api_key");
    }

    @Test
    void anOpen311AnswerGivesTheServersIdOrItsToken() {
        Open311Mapping mapping = new Open311Mapping();
        Exchange exchange = exchangeWith(row());
        mapping.toRequest(exchange);

        exchange.getMessage().setBody("[{\"service_request_id\":\"SR-7\"}]");
        mapping.accepted(exchange);
        assertThat(exchange.getProperty(Forwarding.BACKEND_ID)).isEqualTo("SR-7");
        exchange.getMessage().setBody("[{\"token\":\"t-1\"}]");
        mapping.accepted(exchange);
        assertThat(exchange.getProperty(Forwarding.BACKEND_ID)).isEqualTo("token:t-1");
        exchange.getMessage().setBody("[{}]");
        assertThatThrownBy(() -> mapping.accepted(exchange)).isInstanceOf(IllegalStateException.class);
        exchange.getMessage().setBody("{\"service_request_id\":\"SR-7\"}");
        assertThatThrownBy(() -> mapping.accepted(exchange)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOpen311RequestAsListedIsAChangeVersionedByItsUpdatedTime() throws Exception {
        JsonNode listed = new ObjectMapper().readTree("{\"service_request_id\":\"SR-7\",\"reference\":\"abc123\","
                + "\"status\":\"closed\",\"status_notes\":\"Tyhjennetty\",\"updated_datetime\":\"2026-11-29T10:00:00.250Z\"}");

        RemoteChange change = new Open311Mapping().change(listed, catalogue.current().statuses(), "open311");

        assertThat(change.reference()).isEqualTo("abc123");
        assertThat(change.remoteId()).isEqualTo("SR-7");
        assertThat(change.detailedStatus()).isEqualTo("PROCESSED");
        assertThat(change.version()).isEqualTo(java.time.Instant.parse("2026-11-29T10:00:00.250Z").toEpochMilli());
        assertThat(change.caseFields().statusNotes()).isEqualTo("Tyhjennetty");
        assertThat(change.caseFields().published()).isTrue();
    }

    @Test
    void aCaseOfTheFeedCarriesItsModeratedPublicTextsCutToTheirColumns() throws Exception {
        String longText = "x".repeat(4999) + "\uD83D\uDE00";
        JsonNode edited = new ObjectMapper().readTree("{\"case_id\":\"CRM-000007\",\"reference\":\"abc123\",\"state\":"
                + "\"IN_PROCESS\",\"version\":3,\"published\":true,\"public_title\":\"Kuoppa\",\"public_description\":\""
                + longText + "\"}");
        JsonNode untouched = new ObjectMapper().readTree("{\"case_id\":\"CRM-000008\",\"reference\":\"abc124\",\"state\":"
                + "\"RECEIVED\",\"version\":1,\"public_title\":null,\"public_description\":\"  \"}");

        RemoteChange.CaseFields fields = new CrmMapping(catalogue).change(edited, catalogue.current().statuses(), "crm").caseFields();
        RemoteChange.CaseFields none = new CrmMapping(catalogue).change(untouched, catalogue.current().statuses(), "crm").caseFields();

        assertThat(fields.publicTitle()).isEqualTo("Kuoppa");
        assertThat(fields.publicDescription()).as("no half of a surrogate pair").isEqualTo("x".repeat(4999));
        assertThat(none.publicTitle()).isNull();
        assertThat(none.publicDescription()).isNull();
    }
    @Test
    void staffsTextsAndAWorkOrdersOwnerAreCutToTheirColumnsNotRefusedByTheStore() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode change = json.createObjectNode().put("case_id", "CRM-000009").put("reference", "abc125").put("state", "IN_PROCESS")
                .put("version", 4).put("published", true).put("status_notes", "n".repeat(6000))
                .put("agency_responsible", "a".repeat(499) + "\uD83D\uDE00" + "a".repeat(10));
        ObjectNode workOrder = json.createObjectNode().put("work_order_id", "WO-1").put("reference", "abc125")
                .put("state", "IN_PROGRESS").put("version", 2).put("owner_name", "o".repeat(300));

        RemoteChange.CaseFields fields = new CrmMapping(catalogue).change(change, catalogue.current().statuses(), "crm").caseFields();
        RemoteChange.Task task = new AspaMapping().change(workOrder, catalogue.current().statuses(), "aspa").task();

        assertThat(fields.statusNotes()).isEqualTo("n".repeat(5000));
        assertThat(fields.agencyResponsible()).as("no half of a surrogate pair").isEqualTo("a".repeat(499));
        assertThat(task.owner()).isEqualTo("o".repeat(200));
    }
}

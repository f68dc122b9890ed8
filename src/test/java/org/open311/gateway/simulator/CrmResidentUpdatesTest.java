package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrmResidentUpdatesTest {

    private final RecordStore cases = new RecordStore(CrmCases.KIND.idField(), CrmCases.KIND.updatedField(),
            CrmCases.KIND.newId(), Clock.systemUTC());
    private final CrmResidentUpdates updates = new CrmResidentUpdates(cases, Clock.systemUTC());

    @Test
    void anUpdateIsHeldOncePerIdAndPublishingMakesItTheCasesPublicAnswer() {
        String caseId = cases.put("ref-1", CrmCases.newCase(new CrmCases.NewCase("ref-1", "STREET", "Kuoppa", "Syvä kuoppa", null, null, null,
                null, null, "fi", OffsetDateTime.parse("2026-11-29T08:00:00Z"), null))).record().path("case_id").asText();
        cases.change(caseId, CrmCases.addNotes(
                new CrmCases.Notes("Otettu käsittelyyn", "Katuosasto", OffsetDateTime.parse("2026-12-01T12:00:00Z"))));
        long version = cases.get(caseId).path("version").asLong();
        JsonNode body = Json.read("{\"update_id\": \"u1\", \"status\": \"REOPEN\", \"description\": \"Yhä rikki\"}", JsonNode.class);

        assertThat(updates.put(caseId, "u1", body).created()).isTrue();
        assertThat(updates.put(caseId, "u1", body).created()).isFalse();
        assertThat(updates.all()).singleElement().satisfies(u -> {
            assertThat(u.path("put_count").asInt()).isEqualTo(2);
            assertThat(u.path("published").asBoolean()).isFalse();
        });

        updates.publish(caseId, "u1");

        JsonNode changed = cases.get(caseId);
        assertThat(changed.path("status_notes").asText()).isEqualTo("Yhä rikki");
        assertThat(changed.path("agency_responsible").asText()).isEqualTo("Katuosasto");
        assertThat(changed.path("expected_at").asText()).startsWith("2026-12-01T12:00");
        assertThat(changed.path("version").asLong()).isGreaterThan(version);
        assertThat(updates.all().get(0).path("published").asBoolean()).isTrue();
    }

    @Test
    void anUnknownCaseOrAMismatchedIdIsRefused() {
        JsonNode body = Json.read("{\"update_id\": \"u1\", \"status\": \"OPEN\"}", JsonNode.class);
        assertThatThrownBy(() -> updates.put("CRM-999999", "u1", body)).isInstanceOf(NoSuchElementException.class);
        String caseId = cases.put("ref-2", CrmCases.newCase(new CrmCases.NewCase("ref-2", "STREET", "Kuoppa", "Syvä kuoppa", null, null, null,
                null, null, "fi", OffsetDateTime.parse("2026-11-29T08:00:00Z"), null))).record().path("case_id").asText();
        assertThatThrownBy(() -> updates.put(caseId, "u2", body)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> updates.publish(caseId, "u9")).isInstanceOf(NoSuchElementException.class);
    }
}

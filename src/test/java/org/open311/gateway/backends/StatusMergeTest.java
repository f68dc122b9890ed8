package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.open311.gateway.backends.StatusMerge.Part;
import org.open311.gateway.backends.StatusMerge.Role;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one merge of the back ends' records into what clients see (mappings/statuses.yaml's detailed statuses). */
class StatusMergeTest {

    private static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-11-01T10:00:00+02:00");

    private static Part crm(String detailed) {
        return new Part("crm", Role.DECIDES, detailed, "CASE-1", null, null, null, null);
    }

    private static Part aspa(String detailed, String workOrder) {
        return new Part("aspa", Role.TASK, detailed, workOrder, "POTHOLE_REPAIR", "Crew 7", CREATED, CREATED.plusHours(1));
    }

    @Test
    void theDecidingBackEndGivesStatusAndTheFirstPartTheTaskBackEndAddsItsOwn() throws Exception {
        StatusMerge.Merged merged = StatusMerge.merge("open", "RECEIVED", List.of(crm("PROCESSED"), aspa("PUBLIC_WORKS_COMPLETED", "WO-1")));

        assertThat(merged.status()).isEqualTo("closed");
        assertThat(merged.detailedStatus()).isEqualTo("PROCESSED,PUBLIC_WORKS_COMPLETED");
        JsonNode task = new ObjectMapper().readTree(merged.tasks()).get(0);
        assertThat(task.path("backend").asText()).isEqualTo("aspa");
        assertThat(task.path("type").asText()).isEqualTo("POTHOLE_REPAIR");
        assertThat(task.path("status").asText()).isEqualTo("PUBLIC_WORKS_COMPLETED");
        assertThat(task.path("owner").asText()).isEqualTo("Crew 7");
        assertThat(OffsetDateTime.parse(task.path("created_at").asText())).isEqualTo(CREATED);
    }

    @Test
    void withoutADecidingRecordTheRequestKeepsItsStatusAndAWorkOrderIsStillShown() {
        StatusMerge.Merged merged = StatusMerge.merge("open", "RECEIVED,PUBLIC_WORKS_NEW", List.of(aspa("PUBLIC_WORKS_IN_PROGRESS", "WO-1")));

        assertThat(merged.status()).isEqualTo("open");
        assertThat(merged.detailedStatus()).isEqualTo("RECEIVED,PUBLIC_WORKS_IN_PROGRESS");
        assertThat(merged.tasks()).contains("\"status\":\"PUBLIC_WORKS_IN_PROGRESS\"");
    }

    @Test
    void aRecordWithoutStateAddsNothingAndOneNotYetAcceptedShowsNoTask() {
        StatusMerge.Merged sentOnly = StatusMerge.merge("open", "RECEIVED", List.of(
                new Part("crm", Role.DECIDES, null, "CASE-1", null, null, null, null), aspa(null, null)));

        assertThat(sentOnly).isEqualTo(new StatusMerge.Merged("open", "RECEIVED", null));
    }

    @Test
    void anAcceptedWorkOrderWithoutStateYetIsATaskWithoutStatus() {
        StatusMerge.Merged merged = StatusMerge.merge("open", "IN_PROCESS", List.of(crm("IN_PROCESS"), aspa(null, "WO-1")));

        assertThat(merged.detailedStatus()).isEqualTo("IN_PROCESS");
        assertThat(merged.tasks()).contains("\"status\":null", "\"type\":\"POTHOLE_REPAIR\"");
    }

    @Test
    void everyTaskBackEndAddsItsPartInTheConfiguredOrder() {
        StatusMerge.Merged merged = StatusMerge.merge("open", "RECEIVED", List.of(crm("IN_PROCESS"),
                aspa("PUBLIC_WORKS_NEW", "WO-1"), new Part("aspa-east", Role.TASK, "PUBLIC_WORKS_IN_PROGRESS", "E-9", "X", null, null, null)));

        assertThat(merged.detailedStatus()).isEqualTo("IN_PROCESS,PUBLIC_WORKS_NEW,PUBLIC_WORKS_IN_PROGRESS");
        assertThat(merged.tasks()).contains("\"backend\":\"aspa\"", "\"backend\":\"aspa-east\"");
    }
}

package org.open311.gateway.catalogue;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped vocabularies give the spec's meaning to every back-end state, and a safe one to unknown states. */
class StatusVocabularyTest {

    private final StatusVocabulary statuses = CatalogueLoader.load(Path.of("mappings")).statuses();

    @Test
    void crmStatesDecideOpenOrClosed() {
        assertThat(statuses.ofCrmState("RECEIVED").open311Status()).isEqualTo("open");
        assertThat(statuses.ofCrmState("IN_PROCESS").open311Status()).isEqualTo("open");
        assertThat(statuses.ofCrmState("PROCESSED").open311Status()).isEqualTo("closed");
        assertThat(statuses.ofCrmState("REJECTED").open311Status()).isEqualTo("closed");
        assertThat(statuses.ofCrmState("ARCHIVED").open311Status()).isEqualTo("closed");
    }

    @Test
    void aspaStatesMapToPublicWorksStatuses() {
        assertThat(statuses.ofAspaState("NEW")).isEqualTo(DetailedStatus.PUBLIC_WORKS_NEW);
        assertThat(statuses.ofAspaState("COMPLETED_NO_ACTION")).isEqualTo(DetailedStatus.PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION);
        assertThat(statuses.ofAspaState("INTERRUPTED")).isEqualTo(DetailedStatus.PUBLIC_WORKS_INTERRUPTED);
    }

    @Test
    void unknownStatesShowAsTheConfiguredNearestState() {
        assertThat(statuses.knowsCrmState("ESCALATED")).isFalse();
        assertThat(statuses.ofCrmState("ESCALATED")).isEqualTo(DetailedStatus.IN_PROCESS);
        assertThat(statuses.ofCrmState(null)).isEqualTo(DetailedStatus.IN_PROCESS);
        assertThat(statuses.ofAspaState("PAUSED")).isEqualTo(DetailedStatus.PUBLIC_WORKS_IN_PROGRESS);
    }
}

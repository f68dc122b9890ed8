package org.open311.gateway.backends;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryStateTest {

    static final HistoryState SHOWN = new HistoryState("open", "IN_PROCESS", "Työ alkaa.", true);

    @Test
    void aPublishedRowIsAnUpdateWhenClientsSeeSomethingNew() {
        assertThat(SHOWN.showsChangeOver(null)).as("first row").isTrue();
        assertThat(SHOWN.showsChangeOver(new HistoryState("open", "IN_PROCESS", "Työ alkaa.", false))).as("made public").isTrue();
        assertThat(SHOWN.showsChangeOver(new HistoryState("closed", "IN_PROCESS", "Työ alkaa.", true))).as("status").isTrue();
        assertThat(SHOWN.showsChangeOver(new HistoryState("open", "RECEIVED", "Työ alkaa.", true))).as("detailed").isTrue();
        assertThat(SHOWN.showsChangeOver(new HistoryState("open", "IN_PROCESS", null, true))).as("notes").isTrue();
    }

    @Test
    void sameStateOrUnpublishedIsNoUpdate() {
        assertThat(SHOWN.showsChangeOver(SHOWN)).isFalse();
        assertThat(new HistoryState("open", "IN_PROCESS", "x", false).showsChangeOver(null)).as("not public").isFalse();
        // no notes and empty notes look the same to a client
        assertThat(new HistoryState("open", "RECEIVED", "", true).showsChangeOver(new HistoryState("open", "RECEIVED", null, true)))
                .isFalse();
    }
}

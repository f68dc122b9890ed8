package org.open311.gateway.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The change feed and idempotent create that both simulators share. */
class RecordStoreTest {

    private final RecordStore store = new RecordStore("id", "updated_at", n -> "R-" + n,
            Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void withAStateFileTheRecordsTheFeedAndThePutCountsSurviveARestart() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("record-store").resolve("state").resolve("crm.json");
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        RecordStore before = new RecordStore("id", "updated_at", n -> "R-" + n, clock, file);
        before.put("a", fields("a"));
        before.put("b", fields("b"));
        before.put("b", fields("b"));
        before.change("R-1", record -> record.put("state", "X"));
        before.flush();

        RecordStore after = new RecordStore("id", "updated_at", n -> "R-" + n, clock, file);
        assertThat(after.all()).isEqualTo(before.all());
        assertThat(ids(after.changes(0, 10))).containsExactly("R-2", "R-1");
        assertThat(after.changes(0, 10).latestCursor()).isEqualTo(3);
        assertThat(after.putCount("b")).isEqualTo(2);
        // new records go on from where the feed and the ids stood
        after.put("c", fields("c"));
        assertThat(after.changes(3, 10).changes()).singleElement()
                .satisfies(record -> assertThat(record.path("id").asText()).isEqualTo("R-3"));

        // restarted empty: nothing, and the feed starts again from the beginning, also after a restart
        after.clear();
        after.flush();
        RecordStore empty = new RecordStore("id", "updated_at", n -> "R-" + n, clock, file);
        assertThat(empty.all()).isEmpty();
        assertThat(empty.changes(0, 10).latestCursor()).isZero();
    }

    @Test
    void changesReachTheStateFileSoonWithoutAStop() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("record-store").resolve("crm.json");
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        RecordStore running = new RecordStore("id", "updated_at", n -> "R-" + n, clock, file);
        running.put("a", fields("a"));
        running.put("b", fields("b"));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(new RecordStore("id", "updated_at", n -> "R-" + n, clock, file).all()).isEqualTo(running.all()));
    }

    @Test
    void putIsIdempotentOnTheReference() {
        RecordStore.Put first = store.put("a", fields("a"));
        RecordStore.Put second = store.put("a", fields("a"));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.record()).isEqualTo(first.record());
        assertThat(first.record().path("created_at").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(store.all()).singleElement().satisfies(record -> assertThat(record.path("put_count").asInt()).isEqualTo(2));
    }

    @Test
    void aRecordIsListedOnceUnderItsLatestChange() {
        store.put("a", fields("a"));
        store.put("b", fields("b"));
        store.change("R-1", record -> record.put("state", "X"));

        RecordStore.Page page = store.changes(0, 10);

        assertThat(ids(page)).containsExactly("R-2", "R-1");
        assertThat(page.changes().get(1).path("state").asText()).isEqualTo("X");
        assertThat(page.changes().get(1).path("version").asInt()).isEqualTo(2);
        assertThat(page.nextCursor()).isEqualTo(3);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aChangeBetweenPagesMovesTheRecordToTheEnd() {
        store.put("a", fields("a"));
        store.put("b", fields("b"));
        store.put("c", fields("c"));

        RecordStore.Page first = store.changes(0, 2);
        store.change("R-1", record -> record.put("state", "X"));
        RecordStore.Page second = store.changes(first.nextCursor(), 2);

        assertThat(ids(first)).containsExactly("R-1", "R-2");
        assertThat(first.hasMore()).isTrue();
        assertThat(ids(second)).containsExactly("R-3", "R-1");
        assertThat(second.toJson()).containsEntry("next_cursor", "4").containsEntry("has_more", false);
    }

    @Test
    void callersGetCopies() {
        store.put("a", fields("a")).record().put("state", "tampered");

        assertThat(store.get("R-1").path("state").asText()).isEqualTo("NEW");
    }

    private static ObjectNode fields(String reference) {
        return Json.MAPPER.createObjectNode().put("reference", reference).put("state", "NEW");
    }

    private static List<String> ids(RecordStore.Page page) {
        return page.changes().stream().map(record -> record.path("id").asText()).toList();
    }
}

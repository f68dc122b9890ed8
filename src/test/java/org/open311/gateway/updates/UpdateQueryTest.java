package org.open311.gateway.updates;

import org.junit.jupiter.api.Test;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.requests.RequestForm;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateQueryTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00.250Z"), ZoneOffset.UTC);
    static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");

    static UpdateQuery.Sql build(String query) {
        return UpdateQuery.build(RequestForm.of(null, query), CLOCK, HELSINKI);
    }

    static OffsetDateTime at(String text) {
        return OffsetDateTime.parse(text);
    }

    @Test
    void theBoundsAreWholeSecondsSoEveryTimeShownLiesInsideTheWindow() {
        Map<String, Object> parameters = build("start_date=2026-11-29T08:00:00.500Z&end_date=2026-11-29T09:59:59.900Z").parameters();
        assertThat(parameters.get("startDate")).isEqualTo(at("2026-11-29T08:00:01Z"));
        assertThat(parameters.get("endBefore")).isEqualTo(at("2026-11-29T10:00:00Z"));
        assertThat(build("start_date=2026-11-29T08:00:00Z&end_date=2026-11-29T10:00:00Z").parameters())
                .containsEntry("startDate", at("2026-11-29T08:00Z")).containsEntry("endBefore", at("2026-11-29T10:00:01Z"));
    }

    @Test
    void defaultsAreTheLastDayAndAStartAloneRunsToNowAtMost() {
        assertThat(build("").parameters()).containsEntry("startDate", at("2026-11-28T10:00:01Z"))
                .containsEntry("endBefore", at("2026-11-29T10:00:01Z"));
        // a date alone starts at midnight in the gateway's zone
        assertThat(build("start_date=2026-11-28").parameters()).containsEntry("startDate", at("2026-11-27T22:00Z"))
                .containsEntry("endBefore", at("2026-11-29T10:00:01Z"));
        assertThat(build("start_date=2026-01-01T00:00:00Z").parameters()).containsEntry("endBefore", at("2026-01-08T00:00:01Z"));
        assertThat(build("end_date=2026-01-02T00:00:00Z").parameters()).containsEntry("startDate", at("2026-01-01T00:00Z"));
        // a start still to come asks for nothing yet: an empty window, not an error about an end_date never sent
        assertThat(build("start_date=9999-12-31T23:59:59Z").parameters()).containsEntry("startDate", at("9999-12-31T23:59:59Z"))
                .containsEntry("endBefore", at("9999-12-31T23:59:59Z").plusSeconds(1));
    }

    @Test
    void unpagedWindowsReadOneMoreThanTheCapAndPagesReadTheirSlice() {
        UpdateQuery.Sql whole = build("start_date=2026-11-29T08:00:00Z&end_date=2026-11-29T10:00:00Z");
        assertThat(whole.paged()).isFalse();
        assertThat(whole.parameters()).containsEntry("limit", UpdateQuery.MAX_UPDATES + 1).containsEntry("offset", 0L);
        UpdateQuery.Sql page = build("page_size=3&page=4");
        assertThat(page.paged()).isTrue();
        assertThat(page.parameters()).containsEntry("limit", 3).containsEntry("offset", 9L);
        assertThat(whole.text()).contains("ORDER BY h.changed_at, h.id").doesNotContain("email", "first_name", "phone");
    }

    @Test
    void everyBadParameterIsNamedInOne400() {
        assertThatThrownBy(() -> build("start_date=soon&end_date=2026-13-01&page=2"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors().stream().map(org.open311.gateway.api.ApiError::description).toList()).hasSize(3).anyMatch(d -> d.startsWith("start_date:"))
                            .anyMatch(d -> d.startsWith("end_date:")).contains("page: needs page_size");
                });
        assertThatThrownBy(() -> build("start_date=2026-01-01T00:00:00Z&end_date=2026-01-08T00:00:01Z"))
                .hasMessageContaining("may not span more than 7 days");
        assertThatThrownBy(() -> build("page_size=1001")).hasMessageContaining("page_size: must be a whole number from 1 to 1000");
        // exactly the longest span is allowed
        assertThat(build("start_date=2026-01-01T00:00:00Z&end_date=2026-01-08T00:00:00Z").parameters())
                .containsEntry("endBefore", at("2026-01-08T00:00:01Z"));
    }
}

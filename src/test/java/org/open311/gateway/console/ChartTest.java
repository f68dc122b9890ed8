package org.open311.gateway.console;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The last hour in 60 bars, the busiest minute the chart's full height; older events left out. */
class ChartTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-29T10:00:30Z");

    @Test
    void eachMinuteIsOneBarScaledToTheBusiestMinute() {
        Chart chart = Chart.perMinute(List.of(NOW.minusSeconds(10), NOW.minusSeconds(20), NOW.minusMinutes(30), NOW.minusMinutes(90)), NOW);
        assertThat(chart.bars()).hasSize(60);
        assertThat(chart.peak()).isEqualTo(2);
        Chart.Bar last = chart.bars().get(59);
        assertThat(last.count()).isEqualTo(2);
        assertThat(last.minutesAgo()).isZero();
        assertThat(last.height()).isEqualTo(Chart.HEIGHT);
        assertThat(last.y()).isZero();
        Chart.Bar half = chart.bars().get(29);
        assertThat(half.count()).isEqualTo(1);
        assertThat(half.minutesAgo()).isEqualTo(30);
        assertThat(half.height()).isEqualTo(Chart.HEIGHT / 2);
        assertThat(chart.total()).as("the event 90 minutes ago is not in the hour").isEqualTo(3);
    }

    @Test
    void aQuietHourHasNoBars() {
        Chart chart = Chart.perMinute(List.of(), NOW);
        assertThat(chart.peak()).isZero();
        assertThat(chart.bars()).allSatisfy(bar -> assertThat(bar.height()).isZero());
    }
}

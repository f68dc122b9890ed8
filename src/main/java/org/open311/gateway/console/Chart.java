package org.open311.gateway.console;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A small bar chart of the last hour, one bar per minute, laid out here so that the template only draws
 * rectangles: server-rendered SVG, no script. Heights are scaled to the busiest minute.
 */
public record Chart(int total, int peak, List<Bar> bars) {

    public static final int WIDTH = 300;
    public static final int HEIGHT = 60;
    static final int MINUTES = 60;

    /** One minute's bar: its place and size in the chart, and its count (the bar's tooltip). */
    public record Bar(int x, int y, int width, int height, int count, int minutesAgo) {
    }

    public static Chart perMinute(List<OffsetDateTime> times, OffsetDateTime now) {
        int[] counts = new int[MINUTES];
        for (OffsetDateTime time : times) {
            long ago = Duration.between(time, now).toMinutes();
            if (ago >= 0 && ago < MINUTES) {
                counts[MINUTES - 1 - (int) ago]++;
            }
        }
        int peak = 0;
        int total = 0;
        for (int count : counts) {
            peak = Math.max(peak, count);
            total += count;
        }
        int width = WIDTH / MINUTES;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < MINUTES; i++) {
            int height = peak == 0 ? 0 : Math.max(counts[i] > 0 ? 1 : 0, Math.round((float) counts[i] * HEIGHT / peak));
            bars.add(new Bar(i * width, HEIGHT - height, width - 1, height, counts[i], MINUTES - 1 - i));
        }
        return new Chart(total, peak, bars);
    }
}

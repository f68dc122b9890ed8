package org.open311.gateway.updates;

import org.open311.gateway.api.ApiException;
import org.open311.gateway.requests.InputLimits;
import org.open311.gateway.requests.RequestForm;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET servicerequestupdates: the window asked for (start_date, end_date) as one parameterised query over
 * request_history. An update is a history row that clients could see (the request is published now and was
 * published then) and that shows something its request's previous row did not (status, detailed status,
 * public notes, or the request becoming public); whether a row shows something new is decided when it is
 * written (request_history.shows_change), over the request's whole history, so an update's presence never
 * depends on where a window starts. Rows are immutable, so the same window read
 * twice gives the same update_ids; the order (changed_at, id) is total, so pages of it neither skip nor repeat.
 */
public final class UpdateQuery {

    /** The longest window: a week of updates, so a window is always answered whole (FixMyStreet reads hours). */
    public static final Duration MAX_SPAN = Duration.ofDays(7);
    /** The window when none is given: the last day. */
    public static final Duration DEFAULT_SPAN = Duration.ofDays(1);
    /** At most this many updates in one answer: a window holding more must be paged (or narrowed). */
    public static final int MAX_UPDATES = 10_000;

    /** The SQL and the values of its {@code :?name} parameters, and whether the client pages. */
    public record Sql(String text, Map<String, Object> parameters, boolean paged) {
    }

    /**
     * Columns clients may see: never contact data. A range of the index request_history_updates (V22): the rows
     * flagged as updates when written, in answer order; the request is looked up per row for whether it is still
     * published (a correlated EXISTS, so that both databases read the history first, the window's rows only).
     */
    private static final String SELECT = "SELECT h.id, h.resident_update_id, h.request_id, h.changed_at, h.status, h.detailed_status, h.status_notes"
            + " FROM request_history h"
            + " WHERE h.shows_change = TRUE AND h.changed_at >= :?startDate AND h.changed_at < :?endBefore"
            + " AND EXISTS (SELECT 1 FROM service_request r WHERE r.id = h.request_id AND r.published = TRUE)"
            + " ORDER BY h.changed_at, h.id LIMIT :?limit OFFSET :?offset";

    private final RequestForm query;
    private final Clock clock;
    private final ZoneId zone;
    private final List<String> problems = new ArrayList<>();

    private UpdateQuery(RequestForm query, Clock clock, ZoneId zone) {
        this.query = query;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * The query of the window asked for (400 naming each bad parameter).
     *
     * @param zone where a date without a time (start_date=2026-05-01) starts
     */
    public static Sql build(RequestForm query, Clock clock, ZoneId zone) {
        return new UpdateQuery(query, clock, zone).sql();
    }

    private Sql sql() {
        OffsetDateTime[] window = window();
        Integer pageSize = query.positive("page_size", InputLimits.PAGE_SIZE_MAX, problems);
        Integer page = query.positive("page", InputLimits.PAGE_MAX, problems);
        if (page != null && pageSize == null && query.first("page_size") == null) {
            problems.add("page: needs page_size");
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        // Updates show their time to the second: the bounds are whole seconds, so that every updated_datetime
        // answered lies inside the window as asked (a start of 10:00:00.5 does not show 10:00:00.7 as 10:00:00).
        OffsetDateTime start = window[0].truncatedTo(ChronoUnit.SECONDS);
        parameters.put("startDate", start.isBefore(window[0]) ? start.plusSeconds(1) : start);
        parameters.put("endBefore", window[1].truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        boolean paged = pageSize != null;
        // unpaged: one more than the cap, so that a window holding more is told, never cut short
        parameters.put("limit", paged ? pageSize : MAX_UPDATES + 1);
        parameters.put("offset", paged ? (long) ((page == null ? 1 : page) - 1) * pageSize : 0L);
        return new Sql(SELECT, parameters, paged);
    }

    /** [start, end], both inclusive. */
    private OffsetDateTime[] window() {
        OffsetDateTime start = query.datetime("start_date", zone, problems);
        OffsetDateTime end = query.datetime("end_date", zone, problems);
        boolean startGiven = query.first("start_date") != null;
        boolean endGiven = query.first("end_date") != null;
        if (!startGiven && !endGiven) {
            end = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            start = end.minus(DEFAULT_SPAN);
        } else if (start != null && !endGiven) {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            // up to now, at most the longest span; a start still to come is an empty window, not the client's error
            end = start.plus(MAX_SPAN).isBefore(now) ? start.plus(MAX_SPAN) : now.isBefore(start) ? start : now;
        } else if (end != null && !startGiven) {
            start = end.minus(DEFAULT_SPAN);
        }
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                problems.add("end_date: must not be before start_date");
            } else if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
                problems.add("end_date: start_date and end_date may not span more than " + MAX_SPAN.toDays() + " days");
            }
        }
        return new OffsetDateTime[]{start, end};
    }

}

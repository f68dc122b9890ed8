package org.open311.gateway.requests;

import org.open311.gateway.api.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns GET requests' parameters into one parameterised SQL query (one query per page, never one per
 * row). Bad values are collected and answered as one 400 naming each parameter.
 */
public final class RequestQuery {

    private static final Duration MAX_SPAN = InputLimits.DATE_SPAN_MAX;
    private static final int MAX_LIST_ITEMS = InputLimits.LIST_ITEMS_MAX;
    private static final int MAX_VALUE_LENGTH = InputLimits.QUERY_VALUE_MAX;
    /**
     * A radius search whose circle touches at most this many grid cells ({@link GeoCells}: a radius up
     * to about 2 km at Helsinki's latitude) reads the cells one by one, each in answer order from the
     * index service_request_near and at most a page from each: it reads the requests around the point,
     * whatever else the store holds. A wider one walks the list index as other lists do: a branch per
     * cell would read more than it saves (measured in the V6 migration's comment).
     */
    static final int MAX_RADIUS_CELLS = 25;
    private static final Set<String> STATUSES = Set.of("open", "closed");

    /** The columns an answer may show: never the submitter's contact data. */
    static final String COLUMNS = "id, service_code, description, title, lat, lon, address_string, service_object_type,"
            + " service_object_id, media_urls, status, detailed_status, status_notes, agency_responsible,"
            + " service_notice, requested_at, updated_at, expected_at, tasks, public_title, public_description";

    /** {@link #COLUMNS} of the table aliased r, where a radius search joins its page's rows. */
    private static final String QUALIFIED_COLUMNS = "r." + COLUMNS.replace(", ", ", r.");

    /** The SQL and the values of its {@code :?name} parameters. */
    public record Sql(String text, Map<String, Object> parameters) {
    }

    private final List<String> where = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final RequestForm query;
    private final Clock clock;
    private final ZoneId zone;
    private final Predicate<String> knownServiceCode;
    /** service_code values no service of the catalogue has (404, as the city's document says). */
    private final List<String> unknownCodes = new ArrayList<>();
    /** The grid cells of a small radius search, each read by its own branch; empty otherwise. */
    private List<Long> cells = List.of();

    private RequestQuery(RequestForm query, Clock clock, ZoneId zone, Predicate<String> knownServiceCode) {
        this.query = query;
        this.clock = clock;
        this.zone = zone;
        this.knownServiceCode = knownServiceCode;
    }

    /** One request by id, published or not. */
    public static Sql byId(String id) {
        return new Sql("SELECT " + COLUMNS + " FROM service_request WHERE id = :?id", Map.of("id", id));
    }

    /**
     * The query of one page of the list.
     *
     * @param zone             where a date without a time (start_date=2026-05-01) starts
     * @param knownServiceCode whether the catalogue has a service of this code (retired ones included)
     */
    public static Sql build(RequestForm query, Clock clock, ZoneId zone, Predicate<String> knownServiceCode) {
        return new RequestQuery(query, clock, zone, knownServiceCode).sql();
    }

    private Sql sql() {
        List<String> ids = list("service_request_id");
        if (!ids.isEmpty()) {
            // Ids are unguessable, so a list of them shows unpublished requests as by-id does.
            where.add("id IN (" + placeholders("id", ids) + ")");
        } else {
            where.add("published = TRUE");
            serviceCodes();
            statuses();
            dates();
            location();
            boundingBox();
            serviceObject();
        }
        int pageSize = orElse(query.positive("page_size", InputLimits.PAGE_SIZE_MAX, problems), InputLimits.PAGE_SIZE_DEFAULT);
        int page = orElse(query.positive("page", InputLimits.PAGE_MAX, problems), 1);
        if (!problems.isEmpty()) {
            throw new ApiException(400, problems);
        }
        if (!unknownCodes.isEmpty()) {
            throw new ApiException(404, unknownCodes.stream()
                    .map(code -> "service_code: '" + ApiException.quoteSafe(code) + "' not found").toList());
        }
        long offset = (long) (page - 1) * pageSize;
        parameters.put("limit", pageSize);
        parameters.put("offset", offset);
        if (!cells.isEmpty()) {
            return new Sql(nearQuery(offset + pageSize), parameters);
        }
        // published (constant here) leads the ORDER BY so that it matches the index service_request_newest
        // column for column: only then does H2 read the page in index order and stop (see V3 migration).
        String order = ids.isEmpty() ? "published, requested_at DESC, seq DESC" : "requested_at DESC, seq DESC";
        String text = "SELECT " + COLUMNS + " FROM service_request WHERE " + String.join(" AND ", where)
                + " ORDER BY " + order + " LIMIT :?limit OFFSET :?offset";
        return new Sql(text, parameters);
    }

    /**
     * A small radius search: one branch per grid cell, each with every filter and cut at the end of the
     * page asked for (offset + limit), merged newest first; then the page's rows are read by seq. geo_cell
     * and published (constant in a branch) lead each branch's ORDER BY so that it matches the index
     * service_request_near column for column: only then does H2 read the branch in index order and stop
     * at its LIMIT (see V3 and V6 migrations). The branches select only what the index holds (seq,
     * requested_at; lat and lon for the circle), so with the default filters H2 checks the circle on
     * index entries and decodes only the page's rows, not every candidate's description.
     */
    private String nearQuery(long branchLimit) {
        parameters.put("branchLimit", branchLimit);
        String filters = String.join(" AND ", where);
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            parameters.put("cell" + i, cells.get(i));
            branches.add("(SELECT seq, requested_at FROM service_request WHERE geo_cell = :?cell" + i + " AND " + filters
                    + " ORDER BY geo_cell, published, requested_at DESC, seq DESC LIMIT :?branchLimit)");
        }
        return "SELECT " + QUALIFIED_COLUMNS + " FROM (SELECT seq, requested_at FROM (" + String.join(" UNION ALL ", branches)
                + ") near ORDER BY requested_at DESC, seq DESC LIMIT :?limit OFFSET :?offset) page"
                + " JOIN service_request r ON r.seq = page.seq ORDER BY page.requested_at DESC, page.seq DESC";
    }

    private void serviceCodes() {
        List<String> codes = list("service_code");
        codes.stream().filter(code -> !knownServiceCode.test(code)).forEach(unknownCodes::add);
        if (!codes.isEmpty()) {
            where.add("service_code IN (" + placeholders("serviceCode", codes) + ")");
        }
    }

    private void statuses() {
        List<String> statuses = list("status");
        for (String status : statuses) {
            if (!STATUSES.contains(status)) {
                problems.add("status: must be open or closed (comma-separated), not '" + ApiException.quoteSafe(status) + "'");
                return;
            }
        }
        if (!statuses.isEmpty()) {
            where.add("status IN (" + placeholders("status", statuses) + ")");
        }
    }

    private void dates() {
        OffsetDateTime start = query.datetime("start_date", zone, problems);
        OffsetDateTime end = query.datetime("end_date", zone, problems);
        OffsetDateTime updatedAfter = query.datetime("updated_after", zone, problems);
        OffsetDateTime updatedBefore = query.datetime("updated_before", zone, problems);
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                problems.add("end_date: must not be before start_date");
            } else if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
                problems.add("end_date: start_date and end_date may not span more than " + MAX_SPAN.toDays() + " days");
            }
        }
        boolean anyDate = query.first("start_date") != null || query.first("end_date") != null
                || query.first("updated_after") != null || query.first("updated_before") != null;
        if (!anyDate) {
            // The default window: the last 90 days (and at most one page).
            OffsetDateTime now = OffsetDateTime.now(clock);
            start = now.minus(MAX_SPAN);
        } else if (start != null && end == null) {
            end = start.plus(MAX_SPAN);
        } else if (end != null && start == null && query.first("start_date") == null) {
            start = end.minus(MAX_SPAN);
        }
        condition("requested_at >= :?startDate", "startDate", start);
        condition("requested_at <= :?endDate", "endDate", end);
        condition("updated_at >= :?updatedAfter", "updatedAfter", updatedAfter);
        condition("updated_at <= :?updatedBefore", "updatedBefore", updatedBefore);
    }

    /**
     * A circle search when lat, long and radius are all given, as the city's document says; lat and long
     * without a radius are checked but search nothing (clients written to the document send them so).
     * A radius without its centre, or half a centre, is a mistake worth a 400.
     */
    private void location() {
        boolean any = query.first("lat") != null || query.first("long") != null || query.first("radius") != null;
        if (!any) {
            return;
        }
        Double lat = number("lat", -InputLimits.LAT_MAX, InputLimits.LAT_MAX);
        Double lon = number("long", -InputLimits.LONG_MAX, InputLimits.LONG_MAX);
        Double radius = number("radius", 0, InputLimits.RADIUS_MAX_METRES);
        if ((query.first("lat") == null) != (query.first("long") == null)) {
            problems.add((query.first("lat") == null ? "lat" : "long") + ": lat and long go together");
            return;
        }
        if (query.first("radius") != null && query.first("lat") == null) {
            problems.add("radius: a radius (metres) needs its centre in lat and long");
            return;
        }
        if (lat == null || lon == null || radius == null) {
            return;
        }
        // A bounding box that holds the whole circle (cheap to check on each row read), then the exact
        // great-circle distance (on the sphere GeoCells uses).
        GeoCells.Box box = GeoCells.around(lat, lon, radius);
        parameters.put("nearLat", lat);
        parameters.put("nearLon", lon);
        parameters.put("radius", radius);
        parameters.put("minLat", box.minLat());
        parameters.put("maxLat", box.maxLat());
        parameters.put("minLon", box.minLon());
        parameters.put("maxLon", box.maxLon());
        where.add("lat BETWEEN :?minLat AND :?maxLat AND lon BETWEEN :?minLon AND :?maxLon");
        where.add((long) GeoCells.EARTH_RADIUS_METRES + " * ACOS(LEAST(1.0, COS(RADIANS(:?nearLat)) * COS(RADIANS(lat)) * COS(RADIANS(lon) - RADIANS(:?nearLon))"
                + " + SIN(RADIANS(:?nearLat)) * SIN(RADIANS(lat)))) <= :?radius");
        cells = GeoCells.near(lat, lon, radius, MAX_RADIUS_CELLS);
    }

    private void boundingBox() {
        String bbox = query.first("bbox");
        if (bbox == null) {
            return;
        }
        String[] parts = bbox.split(",");
        double[] values = new double[4];
        try {
            if (parts.length != 4) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < 4; i++) {
                values[i] = Double.parseDouble(parts[i].trim());
                if (!Double.isFinite(values[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            problems.add("bbox: must be left,bottom,right,top in degrees");
            return;
        }
        if (values[0] > values[2] || values[1] > values[3] || Math.abs(values[1]) > InputLimits.LAT_MAX
                || Math.abs(values[3]) > InputLimits.LAT_MAX || Math.abs(values[0]) > InputLimits.LONG_MAX
                || Math.abs(values[2]) > InputLimits.LONG_MAX) {
            problems.add("bbox: must be left,bottom,right,top with left <= right and bottom <= top");
            return;
        }
        parameters.put("bboxLeft", values[0]);
        parameters.put("bboxBottom", values[1]);
        parameters.put("bboxRight", values[2]);
        parameters.put("bboxTop", values[3]);
        where.add("lon BETWEEN :?bboxLeft AND :?bboxRight AND lat BETWEEN :?bboxBottom AND :?bboxTop");
    }

    private void serviceObject() {
        String type = bounded("service_object_type");
        String id = bounded("service_object_id");
        if (id != null && type == null && query.first("service_object_type") == null) {
            problems.add("service_object_type: required with service_object_id");
        }
        condition("service_object_type = :?objectType", "objectType", type);
        condition("service_object_id = :?objectId", "objectId", id);
    }

    /** The first value, or null (reported) when longer than {@link #MAX_VALUE_LENGTH}. */
    private String bounded(String name) {
        String value = query.first(name);
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
            problems.add(name + ": at most " + MAX_VALUE_LENGTH + " characters");
            return null;
        }
        return value;
    }

    private void condition(String sql, String name, Object value) {
        if (value != null) {
            where.add(sql);
            parameters.put(name, value);
        }
    }

    private String placeholders(String prefix, List<String> values) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parameters.put(prefix + i, values.get(i));
            names.add(":?" + prefix + i);
        }
        return String.join(", ", names);
    }

    private List<String> list(String name) {
        List<String> values = query.all(name).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
        if (values.size() > MAX_LIST_ITEMS) {
            problems.add(name + ": at most " + MAX_LIST_ITEMS + " values");
            return List.of();
        }
        if (values.stream().anyMatch(v -> v.length() > MAX_VALUE_LENGTH)) {
            problems.add(name + ": each value at most " + MAX_VALUE_LENGTH + " characters");
            return List.of();
        }
        return values;
    }

    private Double number(String name, double min, double max) {
        String text = query.first(name);
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value) && value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + ": must be a number from " + (long) min + " to " + (long) max);
        return null;
    }

    private static int orElse(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}

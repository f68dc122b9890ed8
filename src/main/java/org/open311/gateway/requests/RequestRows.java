package org.open311.gateway.requests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.open311.gateway.api.view.ServiceRequestView;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.ServiceEntry;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Maps stored rows (as camel-jdbc gives them) to GeoReport v2 requests in the asked locale. */
public final class RequestRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built once: resolving the list type on every row of every list was most of reading media URLs. */
    private static final ObjectReader MEDIA_URLS = JSON.readerForListOf(String.class);
    private static final int TITLE_LENGTH = 80;

    private final ZoneId zone;

    public RequestRows(ZoneId zone) {
        this.zone = zone;
    }

    /** The gateway's time zone: of the datetimes answered, and where a date given without a time starts. */
    public ZoneId zone() {
        return zone;
    }

    public ServiceRequestView view(Map<String, Object> storedRow, Catalogue catalogue, Language language, boolean extensions) {
        Row row = new Row(storedRow);
        String code = text(row, "service_code");
        String serviceName = catalogue.service(code).map(ServiceEntry::name).map(n -> n.in(language)).orElse("");
        List<String> mediaUrls = mediaUrls(text(row, "media_urls"));
        Shown shown = shown(text(row, "title"), text(row, "description"), nullable(row, "public_title"),
                nullable(row, "public_description"));
        String description = shown.description();
        ServiceRequestView.ExtendedAttributes extended = !extensions ? null : new ServiceRequestView.ExtendedAttributes(
                shown.title(),
                text(row, "detailed_status"),
                nullable(row, "service_object_id"),
                nullable(row, "service_object_type"),
                mediaUrls,
                tasks(row));
        return new ServiceRequestView(
                text(row, "id"),
                text(row, "status"),
                text(row, "status_notes"),
                serviceName,
                code,
                description,
                text(row, "agency_responsible"),
                text(row, "service_notice"),
                datetime(row.get("requested_at")),
                datetime(row.get("updated_at")),
                datetime(row.get("expected_at")),
                text(row, "address_string"),
                ServiceRequestView.NO_ADDRESS_ID,
                ServiceRequestView.NO_ZIP_CODE,
                (Double) number(row.get("lat")),
                (Double) number(row.get("lon")),
                mediaUrls.isEmpty() ? null : mediaUrls.get(0),
                extended);
    }

    /**
     * Adds what a stored row shows to an answer's digest: every column read (an answer shows nothing else of
     * the row), without writing the answer. Any change of a column changes the digest, whether or not it
     * moved updated_at.
     */
    static void digest(org.open311.gateway.api.Caching.Digest digest, Map<String, Object> storedRow) {
        for (Object value : storedRow.values()) {
            digest.addValue(value);
        }
    }

    /** When the stored row last changed (updated_at), or null. */
    static java.time.Instant updatedAt(Map<String, Object> storedRow) {
        Object value = new Row(storedRow).get("updated_at");
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : null;
    }

    /** The service_request_id of a stored row. */
    static String id(Map<String, Object> storedRow) {
        return text(new Row(storedRow), "id");
    }

    /**
     * The tasks column (JSON, written by the status merge): each work order a back end keeps for the request,
     * its times shown in the gateway's zone like every other time.
     */
    private List<ServiceRequestView.Task> tasks(Row row) {
        String json = nullable(row, "tasks");
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<ServiceRequestView.Task> tasks = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode task : JSON.readTree(json)) {
                tasks.add(new ServiceRequestView.Task(task.path("type").asText(""), task.path("status").asText(""),
                        datetime(parse(task.path("created_at").asText(null))), datetime(parse(task.path("modified_at").asText(null))),
                        task.path("owner").asText("")));
            }
            return tasks;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tasks of request " + text(row, "id") + " are not JSON", e);
        }
    }

    private static OffsetDateTime parse(String time) {
        return time == null ? null : OffsetDateTime.parse(time);
    }

    /** The title and description clients see. */
    record Shown(String title, String description) {
    }

    /**
     * The resident's texts, or those a back end's staff approved for publication (e.g. a name removed) once it
     * sent them: its public description instead of the resident's, and, once either was edited, its public
     * title or else the public description's beginning, never the resident's title. The resident's texts stay
     * in the store for the back ends and the audit.
     */
    static Shown shown(String title, String description, String publicTitle, String publicDescription) {
        if (publicTitle == null && publicDescription == null) {
            return new Shown(title(title, description), description);
        }
        String shownDescription = publicDescription != null ? publicDescription : description;
        return new Shown(title(publicTitle, shownDescription), shownDescription);
    }

    /** The title given, or the description's beginning cut at a word boundary. */
    static String title(String title, String description) {
        if (title != null && !title.isBlank()) {
            return title;
        }
        String firstLine = firstLine(description);
        if (firstLine.length() <= TITLE_LENGTH) {
            return firstLine;
        }
        int cut = firstLine.lastIndexOf(' ', TITLE_LENGTH);
        return firstLine.substring(0, cut > TITLE_LENGTH / 2 ? cut : TITLE_LENGTH).strip() + "…";
    }

    /**
     * The first non-blank line, without surrounding whitespace. Read in place: stripping and splitting
     * the whole description (up to 5,000 characters) for every row was a visible share of a list.
     */
    static String firstLine(String text) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return text.substring(start, end).stripTrailing();
    }

    public String datetime(Object value) {
        OffsetDateTime time;
        if (value instanceof OffsetDateTime offset) {
            time = offset;
        } else if (value instanceof Timestamp timestamp) {
            time = timestamp.toInstant().atOffset(java.time.ZoneOffset.UTC);
        } else {
            return null;
        }
        return w3c(time.withOffsetSameInstant(zone.getRules().getOffset(time.toInstant())).truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The same text as {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} for whole seconds, written directly:
     * a list of 200 requests formats about a thousand datetimes, and the formatter was a visible share of its CPU.
     */
    static String w3c(OffsetDateTime time) {
        if (time.getYear() < 1000 || time.getYear() > 9999 || time.getOffset().getTotalSeconds() % 60 != 0) {
            return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        StringBuilder text = new StringBuilder(25).append(time.getYear()).append('-');
        two(text, time.getMonthValue()).append('-');
        two(text, time.getDayOfMonth()).append('T');
        two(text, time.getHour()).append(':');
        two(text, time.getMinute()).append(':');
        two(text, time.getSecond());
        return text.append(time.getOffset().getId()).toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> mediaUrls(String json) {
        if (json == null || json.isBlank() || json.equals("[]")) {
            return List.of();
        }
        try {
            return MEDIA_URLS.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored media_urls are not a JSON list", e);
        }
    }

    private static String text(Row row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }

    private static String nullable(Row row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    /**
     * A stored row read in place: H2 labels columns in upper case, PostgreSQL in lower case. Copying every
     * row into a lower-cased map cost a map and two dozen strings per row of every list.
     */
    private static final class Row {
        /** Every column an answer reads, upper-cased once: a concurrent map's computeIfAbsent locked its bin on most of the 5,000 reads of a page. */
        private static final Map<String, String> UPPER_CASE = Arrays.stream(RequestQuery.COLUMNS.split(","))
                .map(String::trim)
                .collect(Collectors.toUnmodifiableMap(c -> c, c -> c.toUpperCase(Locale.ROOT)));
        private final Map<String, Object> values;
        private final boolean upperCase;

        Row(Map<String, Object> values) {
            this.values = values;
            this.upperCase = !values.containsKey("id") && values.containsKey("ID");
        }

        Object get(String column) {
            if (!upperCase) {
                return values.get(column);
            }
            String upper = UPPER_CASE.get(column);
            return values.get(upper != null ? upper : column.toUpperCase(Locale.ROOT));
        }
    }

    private static Object number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}

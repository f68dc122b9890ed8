package org.open311.gateway.importer;

import com.fasterxml.jackson.databind.JsonNode;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.ServiceEntry;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one item of a GeoReport v2 export (as {@code requests.json?extensions=true} answers it) into a
 * request to store, or rejects it with a reason an operator can act on. Only fields the store keeps
 * are read; service_name is taken from the catalogue, as for every other request.
 */
public final class ImportItemReader {

    /** An item that cannot be imported, and why (never the item's content beyond its id and the field). */
    public static final class Rejected extends Exception {
        public Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Catalogue catalogue;

    public ImportItemReader(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    public ImportedRequest read(JsonNode item) throws Rejected {
        if (!item.isObject()) {
            throw new Rejected("not a JSON object");
        }
        JsonNode extended = item.path("extended_attributes");
        String id = required(item, "service_request_id", 32);
        if (!id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new Rejected("service_request_id: only letters, digits, '-' and '_' can be served at requests/{id}");
        }
        String code = required(item, "service_code", 64);
        ServiceEntry service = catalogue.service(code)
                .orElseThrow(() -> new Rejected("service_code: unknown service code '" + code + "' (not in mappings/services.yaml)"));
        String status = required(item, "status", 10);
        if (!status.equals("open") && !status.equals("closed")) {
            throw new Rejected("status: must be open or closed, was '" + status + "'");
        }
        String[] detailed = detailedStatus(text(extended, "detailed_status", 200), status);
        OffsetDateTime requested = datetime(item, "requested_datetime");
        if (requested == null) {
            throw new Rejected("requested_datetime: missing");
        }
        OffsetDateTime updated = datetime(item, "updated_datetime");
        String description = Optional.ofNullable(text(item, "description", 5000)).orElse("");
        String address = text(item, "address", 500);
        List<String> mediaUrls = mediaUrls(item, extended);
        String title = text(extended, "title", 200);
        return new ImportedRequest(id, code, status, detailed[0], detailed[1], text(item, "status_notes", 5000), description,
                title != null ? title : text(item, "title", 200),
                text(item, "agency_responsible", 500), text(item, "service_notice", 500),
                requested, updated == null ? requested : updated, datetime(item, "expected_datetime"),
                address != null ? address : text(item, "address_string", 500),
                coordinate(item, "lat", 90), coordinate(item, "long", 180),
                text(extended, "service_object_id", 200), text(extended, "service_object_type", 500),
                mediaUrls, published(item, extended),
                service.routing() != null && service.routing().isPublicWorks() ? service.routing().aspaWorkType() : null,
                task(extended.path("tasks")));
    }

    /** "IN_PROCESS,PUBLIC_WORKS_NEW" into the CRM's part and Aspa's; missing: the plain status's first value. */
    private static String[] detailedStatus(String text, String status) throws Rejected {
        if (text == null || text.isBlank()) {
            return new String[] {status.equals("open") ? "RECEIVED" : "PROCESSED", null};
        }
        String[] parts = text.split(",", -1);
        DetailedStatus crm = DetailedStatus.parse(parts[0].trim()).filter(s -> s.source() == DetailedStatus.Source.CRM)
                .orElseThrow(() -> new Rejected("detailed_status: '" + text + "' does not start with a CRM status"
                        + " (RECEIVED, IN_PROCESS, PROCESSED, ARCHIVED, REJECTED)"));
        if (parts.length > 2 || (parts.length == 2 && DetailedStatus.parse(parts[1].trim())
                .filter(s -> s.source() == DetailedStatus.Source.ASPA).isEmpty())) {
            throw new Rejected("detailed_status: '" + text + "' is not a CRM status optionally followed by one PUBLIC_WORKS_* status");
        }
        return new String[] {crm.name(), parts.length == 2 ? parts[1].trim() : null};
    }

    /** Absent means published: a requests.json export lists what the public saw. */
    private static boolean published(JsonNode item, JsonNode extended) throws Rejected {
        for (JsonNode holder : List.of(extended, item)) {
            JsonNode value = holder.path("published");
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (!value.isMissingNode() && !value.isNull()) {
                throw new Rejected("published: must be true or false");
            }
        }
        return true;
    }

    private static List<String> mediaUrls(JsonNode item, JsonNode extended) throws Rejected {
        List<String> urls = new ArrayList<>();
        JsonNode list = extended.path("media_urls");
        if (list.isArray()) {
            for (JsonNode url : list) {
                if (url.isTextual() && !url.asText().isBlank()) {
                    urls.add(url.asText());
                }
            }
        }
        String first = text(item, "media_url", 2000);
        if (first != null && !first.isBlank() && !urls.contains(first)) {
            urls.add(0, first);
        }
        return urls;
    }

    /** The first task (the store keeps one work order per request). */
    private static ImportedRequest.Task task(JsonNode tasks) throws Rejected {
        if (!tasks.isArray() || tasks.isEmpty()) {
            return null;
        }
        JsonNode task = tasks.get(0);
        return new ImportedRequest.Task(text(task, "task_type", 64), text(task, "task_state", 60),
                datetimeOf(task, "task_created", "tasks[0].task_created"),
                datetimeOf(task, "task_modified", "tasks[0].task_modified"), text(task, "owner_name", 200));
    }

    private static String required(JsonNode item, String field, int max) throws Rejected {
        String value = text(item, field, max);
        if (value == null || value.isBlank()) {
            throw new Rejected(field + ": missing");
        }
        return value.trim();
    }

    /** A text or number field; null when absent or null; longer than the store's column: rejected. */
    private static String text(JsonNode holder, String field, int max) throws Rejected {
        JsonNode value = holder.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new Rejected(field + ": must be a text");
        }
        String text = value.asText();
        if (text.length() > max) {
            throw new Rejected(field + ": longer than " + max + " characters");
        }
        return text;
    }

    private static Double coordinate(JsonNode item, String field, double limit) throws Rejected {
        JsonNode value = item.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        try {
            double number = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText());
            if (Double.isFinite(number) && Math.abs(number) <= limit) {
                return number;
            }
        } catch (NumberFormatException e) {
            // rejected below
        }
        throw new Rejected(field + ": must be a number from -" + (long) limit + " to " + (long) limit);
    }

    private static OffsetDateTime datetime(JsonNode item, String field) throws Rejected {
        return datetimeOf(item, field, field);
    }

    private static OffsetDateTime datetimeOf(JsonNode holder, String field, String name) throws Rejected {
        String text = text(holder, field, 64);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Rejected(name + ": bad date '" + text + "', expected W3C datetime with a zone, e.g. 2026-05-02T11:02:07+03:00");
        }
    }
}

package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.ServiceEntry;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.text;

/**
 * Maps a stored request to the feedback CRM's case and the CRM's answers back (docs/backends/feedback-crm.md).
 * Only the mapping: the HTTP transport is the crm-client routes.
 */
public final class CrmMapping extends RecordMapping {

    /** The sizes of the request's title and description columns, which the public texts share (V1, V20). */

    private final LiveCatalogue catalogue;

    public CrmMapping(LiveCatalogue catalogue) {
        super("CRM", "case", "case_id", "updated_at");
        this.catalogue = catalogue;
    }

    @Override
    public boolean receives(ServiceEntry service) {
        return service.routing() != null && service.routing().crmCategory() != null;
    }

    @Override
    public String categoryAtIntake(ServiceEntry service, BackendSpec spec) {
        return null;
    }

    /** The body of PUT /cases/{reference} for the row being forwarded. */
    @Override
    public String toRequest(Exchange exchange) {
        Map<String, Object> row = Forwarding.rowOf(exchange);
        ObjectNode body = body(exchange, row);
        body.put("category", catalogue.current().service(text(row, "service_code"))
                .map(ServiceEntry::routing).map(ServiceEntry.Routing::crmCategory).orElse("UNCATEGORISED"));
        body.put("title", text(row, "title"));
        body.put("description", text(row, "description"));
        body.set("location", BackendJson.location(row));
        if (row.get("service_object_id") != null) {
            ObjectNode object = body.putObject("service_object");
            object.put("type", text(row, "service_object_type"));
            object.put("id", text(row, "service_object_id"));
        }
        ObjectNode contact = body.putObject("contact");
        for (String field : new String[]{"email", "first_name", "last_name", "phone"}) {
            contact.put(field, text(row, field));
        }
        body.set("attributes", BackendJson.jsonObject(row.get("attributes")));
        ArrayNode attachments = body.putArray("attachments");
        BackendJson.jsonArray(row.get("media_urls")).forEach(url -> attachments.addObject().put("url", url.asText()));
        body.put("locale", text(row, "locale"));
        body.put("submitted_at", BackendJson.iso(row.get("requested_at")));
        // answers to attributes the service does not define (e.g. FixMyStreet's uprn): only when there are any
        if (row.get("extra_attributes") != null) {
            body.set("extra_attributes", BackendJson.jsonObject(row.get("extra_attributes")));
        }
        return BackendJson.write(body);
    }

    /** A case of the feed: its state decides the request's status; it may ask for public works (a further back end). */
    @Override
    Details details(JsonNode change) {
        JsonNode publicWorks = change.path("public_works");
        String workType = publicWorks.path("requested").asBoolean(false) ? publicWorks.path("work_type").asText(null) : null;
        return new Details(new RemoteChange.CaseFields(change.path("status_notes").asText(""),
                change.path("agency_responsible").asText(""), BackendJson.datetime(change.get("expected_at")),
                change.path("published").asBoolean(false),
                publicText(change, "public_title"), publicText(change, "public_description"),
                updateId(change.path("status_notes_update_id").asText(""))),
                null, workType == null || workType.isBlank() ? null : workType);
    }

    /** The gateway's id of a resident's update (as it sent them: 20 characters of 0-9a-z); null for anything else. */
    private static String updateId(String text) {
        return text.matches("[0-9a-z]{1,32}") ? text : null;
    }

    /** A text staff approved for publication (cut to its column by CaseFields); null when absent or blank: not edited. */
    private static String publicText(JsonNode change, String field) {
        String text = change.path(field).asText("");
        return text.isBlank() ? null : text;
    }
}

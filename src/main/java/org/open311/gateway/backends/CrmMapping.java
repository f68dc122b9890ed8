package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.catalogue.StatusVocabulary;

import java.util.Map;

import static org.open311.gateway.backends.BackendJson.JSON;
import static org.open311.gateway.backends.BackendJson.text;

/**
 * Maps a stored request to the feedback CRM's case and the CRM's answers back (docs/backends/feedback-crm.md).
 * Only the mapping: the HTTP transport is the crm-client routes.
 */
public final class CrmMapping implements KindMapping {


    private final LiveCatalogue catalogue;
    public CrmMapping(LiveCatalogue catalogue) {
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
        String reference = text(row, "id");
        exchange.setProperty(REFERENCE, reference);
        ObjectNode body = JSON.createObjectNode();
        body.put("reference", reference);
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

    /** Reads the CRM's answer to the PUT: its case id means the request is delivered. */
    @Override
    public void accepted(Exchange exchange) {
        KindMapping.acceptRecord(exchange, "CRM", "case_id");
    }

    /** A case of the feed: its state decides the request's status; it may ask for public works (a further back end). */
    @Override
    public RemoteChange change(JsonNode change, StatusVocabulary statuses, String vocabulary) {
        String state = change.path("state").asText("");
        DetailedStatus detailed = KindMapping.detailedStatus(statuses, vocabulary, state,
                "CRM case " + change.path("case_id").asText());
        JsonNode publicWorks = change.path("public_works");
        String workType = publicWorks.path("requested").asBoolean(false) ? publicWorks.path("work_type").asText(null) : null;
        return new RemoteChange(change.path("reference").asText(), change.path("case_id").asText(), state,
                change.path("version").asLong(), detailed.name(), BackendJson.datetime(change.get("updated_at")),
                new RemoteChange.CaseFields(change.path("status_notes").asText(""), change.path("agency_responsible").asText(""),
                        BackendJson.datetime(change.get("expected_at")), change.path("published").asBoolean(false)),
                null, workType == null || workType.isBlank() ? null : workType);
    }
}

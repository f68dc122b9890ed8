package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.catalogue.StatusVocabulary;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.StringJoiner;

import static org.open311.gateway.backends.BackendJson.text;

/**
 * Maps a stored request to a GeoReport v2 POST and the server's answers back (docs/backends/open311.md):
 * the request is posted as a client would post it, under the server's own service code
 * (gateway.backend.&lt;name&gt;.service-codes), with the resident's contact data; the server's
 * service_request_id becomes the record's id. Its requests as {@code GET requests.json} lists them are the
 * changes: status open/closed (the open311 section of mappings/statuses.yaml), notes, agency, expected date.
 */
public final class Open311Mapping implements KindMapping {

    /** Marks a record whose id the server gave only as a token (GeoReport's deferred creation). */
    static final String TOKEN_PREFIX = "token:";

    /** A GeoReport server takes every service it is told; the spec's services and service-codes narrow and rename. */
    @Override
    public boolean receives(ServiceEntry service) {
        return true;
    }

    /** The server's service code for ours: gateway.backend.&lt;name&gt;.service-codes, else our own. */
    @Override
    public String categoryAtIntake(ServiceEntry service, BackendSpec spec) {
        return spec.remoteServiceCodes().getOrDefault(service.code(), service.code());
    }

    /** The form of POST requests.json, without api_key (the send route adds it from the spec). */
    @Override
    public String toRequest(Exchange exchange) {
        Map<String, Object> row = Forwarding.rowOf(exchange);
        exchange.setProperty(REFERENCE, text(row, "id"));
        StringJoiner form = new StringJoiner("&");
        String category = text(row, "task_category");
        field(form, "service_code", category.isEmpty() ? text(row, "service_code") : category);
        field(form, "description", text(row, "description"));
        field(form, "lat", row.get("lat"));
        field(form, "long", row.get("lon"));
        field(form, "address_string", row.get("address_string"));
        for (String contact : new String[]{"email", "first_name", "last_name", "phone"}) {
            field(form, contact, row.get(contact));
        }
        JsonNode media = BackendJson.jsonArray(row.get("media_urls"));
        if (media.size() > 0) {
            field(form, "media_url", media.get(0).asText());
        }
        return form.toString();
    }

    private static void field(StringJoiner form, String name, Object value) {
        if (value != null && !String.valueOf(value).isEmpty()) {
            form.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
        }
    }

    /** {@code [{"service_request_id": ...}]}, or {@code [{"token": ...}]} from a server that creates later. */
    @Override
    public void accepted(Exchange exchange) {
        JsonNode answer = BackendJson.parseArray(exchange.getMessage().getBody(String.class), "Open311 server").path(0);
        String id = answer.path("service_request_id").asText("");
        String token = answer.path("token").asText("");
        if (!id.isBlank()) {
            exchange.setProperty(Forwarding.BACKEND_ID, id);
        } else if (!token.isBlank()) {
            exchange.setProperty(Forwarding.BACKEND_ID, TOKEN_PREFIX + token);
        } else {
            throw new IllegalStateException("Open311 server answered no service_request_id or token");
        }
    }

    /**
     * One request as the server lists it, with {@code reference} (our id) added by the poll. Its version is its
     * updated_datetime: a GeoReport server has no other, and a change without a later time is not seen.
     */
    @Override
    public RemoteChange change(JsonNode request, StatusVocabulary statuses, String vocabulary) {
        String status = request.path("status").asText("");
        DetailedStatus detailed = KindMapping.detailedStatus(statuses, vocabulary, status,
                "Open311 request " + request.path("service_request_id").asText());
        OffsetDateTime updated = BackendJson.datetime(request.get("updated_datetime"));
        OffsetDateTime requested = BackendJson.datetime(request.get("requested_datetime"));
        OffsetDateTime version = updated != null ? updated : requested;
        return new RemoteChange(request.path("reference").asText(), request.path("service_request_id").asText(), status,
                version == null ? 0 : version.toInstant().toEpochMilli(), detailed.name(), updated,
                // a GeoReport server lists only what it publishes
                new RemoteChange.CaseFields(request.path("status_notes").asText(""), request.path("agency_responsible").asText(""),
                        BackendJson.datetime(request.get("expected_datetime")), true),
                null, null);
    }
}

package org.open311.gateway.updates;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.Caching;
import org.open311.gateway.api.NotModified;
import org.open311.gateway.api.view.ServiceRequestUpdateList;
import org.open311.gateway.requests.RequestForm;
import org.open311.gateway.requests.RequestRows;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steps of GET servicerequestupdates between HTTP and the store. jurisdiction_id and api_key are accepted
 * and not needed: the feed shows only what the public lists show. Like {@code RequestApi}, each step leaves only
 * the SQL parameters it sets as headers, so nothing a client sends can become a query parameter.
 */
public final class UpdatesApi {

    static final String PAGED = "open311.updatesPaged";

    private final RequestRows rows;
    private final Clock clock;
    private volatile String cacheControl = Caching.publicFor(0);

    public UpdatesApi(RequestRows rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
    }

    /** How long caches may keep an answer (the requests' setting: both show the same rows). */
    public UpdatesApi cacheFor(int seconds) {
        this.cacheControl = Caching.publicFor(seconds);
        return this;
    }

    /** The query of the window asked for (400 naming each bad parameter). */
    public void query(Exchange exchange) {
        Message message = exchange.getMessage();
        RequestForm form = RequestForm.of(null, message.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        UpdateQuery.Sql sql = UpdateQuery.build(form, clock, rows.zone());
        exchange.setProperty(PAGED, sql.paged());
        message.getHeaders().clear();
        message.getHeaders().putAll(sql.parameters());
        message.setBody(sql.text());
    }

    /** The updates read, in order; a weak ETag of them, so a client that holds the answer gets a 304. */
    public ApiBody answer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> found = exchange.getMessage().getBody(List.class);
        if (!exchange.getProperty(PAGED, false, Boolean.class) && found.size() > UpdateQuery.MAX_UPDATES) {
            throw new ApiException(400, List.of("end_date: more than " + UpdateQuery.MAX_UPDATES
                    + " updates between start_date and end_date: ask a shorter window, or pages with page_size and page"));
        }
        ApiFormat format = exchange.getProperty(ApiResponder.FORMAT, ApiFormat.class);
        List<ServiceRequestUpdateList.Update> updates = new ArrayList<>(found.size());
        Caching.Digest digest = new Caching.Digest().add(format.name()).add(found.size());
        Labels labels = found.isEmpty() ? null : Labels.of(found.get(0));
        for (Map<String, Object> row : found) {
            ServiceRequestUpdateList.Update update = update(row, labels);
            updates.add(update);
            digest.add(update.updateId()).add(update.status()).add(update.updatedDatetime()).add(update.description())
                    .add(update.externalStatusCode());
        }
        String etag = Caching.etag(digest.value());
        Caching.describe(exchange, etag, cacheControl, null);
        if (Caching.unchanged(exchange, etag)) {
            return NotModified.ANSWER;
        }
        return new ServiceRequestUpdateList(updates);
    }

    /**
     * A history row as an update: its id is the update_id (rows are never rewritten, so it is stable), or for a
     * resident's update published as the notes, the update_id its POST was answered (V23).
     */
    private ServiceRequestUpdateList.Update update(Map<String, Object> row, Labels labels) {
        Object residentUpdate = row.get(labels.residentUpdateId);
        return new ServiceRequestUpdateList.Update(String.valueOf(residentUpdate != null ? residentUpdate : row.get(labels.id)),
                text(row, labels.requestId),
                text(row, labels.status), rows.datetime(row.get(labels.changedAt)), text(row, labels.statusNotes), "",
                text(row, labels.detailedStatus));
    }

    private static String text(Map<String, Object> row, String label) {
        Object value = row.get(label);
        return value == null ? "" : value.toString();
    }

    /**
     * The labels of the columns read, as the store spells them (H2 upper case, PostgreSQL lower case): found
     * once per answer, since upper-casing each name of each of 1,000 rows was a fifth of an answer's garbage.
     */
    private record Labels(String id, String residentUpdateId, String requestId, String status, String changedAt,
                          String statusNotes, String detailedStatus) {

        static Labels of(Map<String, Object> row) {
            return new Labels(label(row, "id"), label(row, "resident_update_id"), label(row, "request_id"), label(row, "status"),
                    label(row, "changed_at"), label(row, "status_notes"), label(row, "detailed_status"));
        }

        private static String label(Map<String, Object> row, String name) {
            return row.containsKey(name) ? name : name.toUpperCase(Locale.ROOT);
        }
    }
}

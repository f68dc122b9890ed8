package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.StatusVocabulary;

import java.util.Map;

/**
 * The mapping of a kind that PUTs one record per request and follows the records' change feed (the CRM, Aspa):
 * the record's {@code reference} (our id), its id in the answer, and a record of the feed (a push, a read) with
 * its {@code state}, {@code version} and time of its last change. A kind adds the rest of its body
 * ({@link #toRequest}, begun with {@link #body}) and what it reads besides ({@link #details}).
 */
public abstract class RecordMapping implements KindMapping {

    /** What a kind reads from a record besides its state: {@link RemoteChange}'s last three. */
    record Details(RemoteChange.CaseFields caseFields, RemoteChange.Task task, String furtherCategory) {
    }

    private final String system;
    private final String record;
    private final String idField;
    private final String updatedField;

    /**
     * @param system       the back end as errors and logs name it, e.g. {@code CRM}
     * @param record       what a record is called there, e.g. {@code case}
     * @param idField      e.g. {@code case_id}
     * @param updatedField the record's time of its last change, e.g. {@code updated_at}
     */
    RecordMapping(String system, String record, String idField, String updatedField) {
        this.system = system;
        this.record = record;
        this.idField = idField;
        this.updatedField = updatedField;
    }

    /** What the kind reads from one record of its feed besides its state. */
    abstract Details details(JsonNode record);

    /** The body of the PUT for the row being forwarded, begun with its {@code reference} (kept as {@link #REFERENCE}). */
    static ObjectNode body(Exchange exchange, Map<String, Object> row) {
        String reference = BackendJson.text(row, "id");
        exchange.setProperty(REFERENCE, reference);
        return BackendJson.JSON.createObjectNode().put("reference", reference);
    }

    /**
     * The answer to the PUT: the back end's id (in {@code idField}) for the reference sent, kept as
     * {@link Forwarding#BACKEND_ID}; an answer without it, or for another reference, is the back end failing.
     */
    @Override
    public final void accepted(Exchange exchange) {
        JsonNode answer = BackendJson.parse(exchange.getMessage().getBody(String.class), system);
        String id = answer.path(idField).asText("");
        if (id.isBlank() || !exchange.getProperty(REFERENCE, String.class).equals(answer.path("reference").asText())) {
            throw new IllegalStateException(system + " answer has no " + idField + " for the reference");
        }
        exchange.setProperty(Forwarding.BACKEND_ID, id);
    }

    @Override
    public final RemoteChange change(JsonNode change, StatusVocabulary statuses, String vocabulary) {
        String state = change.path("state").asText("");
        String id = change.path(idField).asText();
        DetailedStatus detailed = KindMapping.detailedStatus(statuses, vocabulary, state, system + " " + record + " " + id);
        Details details = details(change);
        return new RemoteChange(change.path("reference").asText(), id, state, change.path("version").asLong(),
                detailed.name(), BackendJson.datetime(change.get(updatedField)), details.caseFields(), details.task(),
                details.furtherCategory());
    }
}

package org.open311.gateway.backends;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.ServiceEntry;
import org.open311.gateway.catalogue.StatusVocabulary;
import org.slf4j.LoggerFactory;

/**
 * The field mapping of one kind of back end (its contract in docs/backends/), apart from the transport
 * (the kind's client route template). One instance serves every back end of the kind.
 */
public interface KindMapping {

    /** Whether a back end of this kind receives requests of the service at intake (its routing field set). */
    boolean receives(ServiceEntry service);

    /**
     * The category to keep with the task at intake (Aspa's work type, an Open311 server's service code); null:
     * read from the catalogue when sent.
     */
    String categoryAtIntake(ServiceEntry service, BackendSpec spec);

    /** The body to send for the row being forwarded ({@link Forwarding#row}); sets {@link #REFERENCE}. */
    String toRequest(Exchange exchange);

    /** Reads the back end's answer to the send: its id for the request as {@link Forwarding#BACKEND_ID}, or fails. */
    void accepted(Exchange exchange);

    /** One record of its change feed, push or resync read, with its state read in the back end's vocabulary. */
    RemoteChange change(JsonNode record, StatusVocabulary statuses, String vocabulary);

    /** The exchange property holding the request's id (its reference at the back end) during a send. */
    String REFERENCE = "open311.reference";

    /**
     * A back end's state in the gateway's terms ({@code mappings/statuses.yaml}); a state the vocabulary does not
     * know is shown as its fallback and logged, so a CRM admin can add it.
     */
    static DetailedStatus detailedStatus(StatusVocabulary statuses, String vocabulary, String state, String record) {
        DetailedStatus detailed = statuses.of(vocabulary, state);
        if (!statuses.knows(vocabulary, state)) {
            LoggerFactory.getLogger(KindMapping.class).warn("State '{}' of {} is not in mappings/statuses.yaml ({}): shown as {}",
                    state, record, vocabulary, detailed);
        }
        return detailed;
    }
}

package org.open311.gateway.backends;

import org.apache.camel.Exchange;

/**
 * The capability of a kind that receives residents' updates on requests it holds (only the feedback CRM so far):
 * the body of the send and the reading of its answer, as {@link KindMapping} does for the request itself.
 */
public interface UpdateMapping {

    /**
     * The body to send for the update row being forwarded ({@link Forwarding#rowOf}); sets
     * {@link KindMapping#REFERENCE} to the update's path under the kind's record path.
     */
    String toUpdate(Exchange exchange);

    /** Reads the back end's answer: its id for the update as {@link Forwarding#BACKEND_ID}, or fails. */
    void accepted(Exchange exchange);
}

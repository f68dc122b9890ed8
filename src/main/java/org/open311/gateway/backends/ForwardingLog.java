package org.open311.gateway.backends;

import org.apache.camel.Exchange;
import org.open311.gateway.observe.CorrelationId;
import org.open311.gateway.observe.CredentialRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Map;

/**
 * The forwarding route's log, one line per send after its outcome is recorded: sent (INFO), failed and
 * retried with its cause (WARN), given up as a dead letter with its cause (ERROR); a send the open circuit
 * skipped only at DEBUG (a long outage would repeat it for every waiting request). Each line carries the
 * request's correlation id and id in the MDC ({@code correlation_id}, {@code request_id}) and never any
 * content of the request (the causes are status codes and exception class names: {@link DeliveryPolicy}).
 * A send refused for the gateway's credentials (401/403) also goes to {@link CredentialRefusals}.
 */
public final class ForwardingLog {

    /** The MDC key of the service request's id on forwarding lines. */
    public static final String REQUEST_ID_MDC = "request_id";
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingLog.class);

    private final CredentialRefusals credentials;

    public ForwardingLog(CredentialRefusals credentials) {
        this.credentials = credentials;
    }

    public void outcome(Exchange exchange, String backend) {
        String outcome = exchange.getProperty(Forwarding.OUTCOME, String.class);
        Throwable failure = exchange.getProperty(Forwarding.FAILURE, Throwable.class);
        String id = exchange.getProperty(Forwarding.REQUEST_ID, String.class);
        Map<String, Object> row = Forwarding.rowOf(exchange);
        int attempt = row == null || !(row.get("task_attempts") instanceof Number n) ? 0 : n.intValue() + 1;
        String correlationId = exchange.getProperty(Forwarding.CORRELATION_ID, String.class);
        String previousCorrelation = MDC.get(CorrelationId.MDC_KEY);
        try {
            if (correlationId != null) {
                MDC.put(CorrelationId.MDC_KEY, correlationId);
            }
            MDC.put(REQUEST_ID_MDC, id);
            write(backend, outcome, failure, id, attempt, exchange.getProperty(Forwarding.BACKEND_ID, String.class));
        } finally {
            MDC.remove(REQUEST_ID_MDC);
            if (previousCorrelation == null) {
                MDC.remove(CorrelationId.MDC_KEY);
            } else {
                MDC.put(CorrelationId.MDC_KEY, previousCorrelation);
            }
        }
    }

    private void write(String backend, String outcome, Throwable failure, String id, int attempt, String backendId) {
        String cause = DeliveryPolicy.describe(failure);
        if ("SENT".equals(outcome)) {
            credentials.accepted(backend, CredentialRefusals.SEND);
            LOG.info("Sent request {} to {} (attempt {}): its id there is {}", id, backend, attempt, backendId);
            return;
        }
        credentials.check(backend, failure, CredentialRefusals.SEND);
        boolean refusedCredentials = CredentialRefusals.refusalStatus(failure).isPresent();
        String why = refusedCredentials ? cause + ", credentials refused" : cause;
        if ("DEAD".equals(outcome)) {
            LOG.error("Gave up sending request {} to {} after attempt {}: {}; it is a dead letter (dead-letters list)",
                    id, backend, attempt, why);
        } else if ("RETRY".equals(outcome)) {
            LOG.warn("Sending request {} to {} failed (attempt {}): {}; it will be sent again", id, backend, attempt, why);
        } else {
            LOG.debug("Request {} not sent to {}: {}; it waits for the circuit", id, backend, why);
        }
    }
}

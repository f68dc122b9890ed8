package org.open311.gateway.observe;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id that ties a client's request to every log line, the stored request and the calls to the back
 * ends. A client's own {@code X-Correlation-Id} is kept when it is a short plain token (so it cannot
 * inject log lines or carry data); otherwise the gateway issues a UUID.
 */
public final class CorrelationId {

    public static final String HEADER = "X-Correlation-Id";
    /** MDC key and JSON log field. */
    public static final String MDC_KEY = "correlation_id";
    /** Exchange property: the id of the API request (kept when the route starts, as later steps replace the message) or of the request being forwarded. */
    public static final String PROPERTY = "open311.correlationId";

    /** The longest id kept: it is stored with the request, in a column of this size. */
    public static final int MAX_LENGTH = 64;
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8," + MAX_LENGTH + "}");

    private CorrelationId() {
    }

    /** The client's id when sane, else a new one. */
    public static String accept(String presented) {
        return presented != null && SANE.matcher(presented).matches() ? presented : UUID.randomUUID().toString();
    }

    public static boolean isSane(String id) {
        return id != null && SANE.matcher(id).matches();
    }

    /**
     * The id of the HTTP request of this exchange, as {@link HttpObserver} set it on the server's own
     * request (a form field of the same name may shadow the Camel header, never the server's request).
     */
    public static String of(Exchange exchange) {
        String kept = exchange.getProperty(PROPERTY, String.class);
        if (kept != null) {
            return kept;
        }
        Message message = exchange.getIn();
        String id = message instanceof HttpMessage http ? http.getRequest().getHeader(HEADER) : null;
        return isSane(id) ? id : null;
    }
}

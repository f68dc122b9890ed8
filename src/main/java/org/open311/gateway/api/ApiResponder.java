package org.open311.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.open311.gateway.api.view.ErrorList;
import org.open311.gateway.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The one place where answers are written: the format from the path suffix, GeoReport v2's shapes,
 * the content type, the status code, and the error body for every failure. No request header is
 * echoed back (form fields, api_key among them, arrive as headers).
 */
public final class ApiResponder {

    /** Exchange property holding the {@link ApiFormat} the client asked for. */
    public static final String FORMAT = "open311.format";
    private static final String REQUEST_LINE = "open311.requestLine";
    /** Files served (uploaded images above all) may load nothing and run nothing, even opened on their own. */
    static final String FILE_POLICY = "default-src 'none'; sandbox";

    private static final Logger LOG = LoggerFactory.getLogger(ApiResponder.class);

    private final ObjectWriter json;
    private final ObjectWriter xml;

    public ApiResponder() {
        ObjectMapper jsonMapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .addModule(new BlackbirdModule())
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
        XmlMapper xmlMapper = XmlMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .addModule(new BlackbirdModule())
                .enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION)
                .build();
        this.json = jsonMapper.writer();
        this.xml = xmlMapper.writer();
    }

    /** Reads the format from the {@code format} path parameter; an unsupported one is a 400 (XML if the path ends in .xml). */
    public void format(Exchange exchange) {
        exchange.setProperty(REQUEST_LINE, ApiException.quoteSafe(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))
                + " " + ApiException.quoteSafe(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class)));
        // an unsupported suffix is answered in the format the path ends with (.xml or else JSON)
        exchange.setProperty(FORMAT, ApiFormat.ofPath(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class)));
        ApiFormat format = ApiFormat.fromSuffix(exchange.getMessage().getHeader("format", String.class));
        exchange.setProperty(FORMAT, format);
    }

    /** Writes the body, an {@link ApiBody}, as a 200 answer in the asked format. */
    public void respond(Exchange exchange) {
        write(exchange, 200, exchange.getMessage().getBody(ApiBody.class));
    }

    /** An empty success (204), e.g. for an accepted back-end notification. */
    public void noContent(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
    }

    /**
     * Writes a file (an uploaded image, the OpenAPI document) with its own content type, never to be read as
     * another type (nosniff) nor run as a page: opened directly, a sandbox without any resource of its own;
     * shown inline, under its own (random or fixed, always safe) name.
     */
    public void respondFile(Exchange exchange) {
        MediaStore.StoredFile file = exchange.getMessage().getBody(MediaStore.StoredFile.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, file.contentType());
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", FILE_POLICY);
        message.setHeader("Content-Disposition", "inline; filename=\"" + file.name() + "\"");
        message.setBody(ByteBuffer.wrap(file.bytes()));
    }

    /** Writes the caught exception as GeoReport v2 errors; anything unexpected is logged and hidden. */
    public void error(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof ApiException api) {
            write(exchange, api);
            return;
        }
        if (causedByTheStore(caught)) {
            LOG.warn("Store unavailable on {}: {}", requestLine(exchange), caught.getClass().getSimpleName());
            write(exchange, ServiceUnavailable.store());
            return;
        }
        LOG.error("Unexpected failure on {}", requestLine(exchange), caught);
        write(exchange, 500, new ErrorList(List.of(new ApiError(500,
                "The service failed to handle the request. Please try again later."))));
    }

    private void write(Exchange exchange, ApiException api) {
        write(exchange, api.status(), new ErrorList(api.errors()));
        api.responseHeaders().forEach(exchange.getMessage()::setHeader);
    }

    /** Method and path as the request arrived: later steps replace the headers with SQL parameters. */
    private static String requestLine(Exchange exchange) {
        return exchange.getProperty(REQUEST_LINE, "(unknown request)", String.class);
    }

    /**
     * A database that cannot be reached or did not answer in time is a passing outage (503), not a
     * failure of the request: SQLState class 08 (connection), 57 (statement cancelled, e.g. by the
     * statement timeout; server shutting down), PostgreSQL's 55P03 and H2's HYT00 (lock wait timed out).
     */
    public static boolean causedByTheStore(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientException || cause instanceof java.sql.SQLRecoverableException
                    || cause instanceof java.sql.SQLNonTransientConnectionException
                    || (cause instanceof java.sql.SQLException sql && storeUnavailable(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean storeUnavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57")
                || sqlState.equals("55P03") || sqlState.equals("HYT00"));
    }

    /** Answers any path or method the API does not have, in the format its suffix suggests. */
    public void noSuchEndpoint(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(FORMAT, ApiFormat.ofPath(path));
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        throw ApiException.notFound("No such endpoint: " + ApiException.quoteSafe(method) + " "
                + ApiException.quoteSafe(path));
    }

    /** One item of a JSON answer, e.g. a request of a list, written as {@link #bytes} would write it there. */
    public byte[] json(Object item) {
        try {
            return json.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + item.getClass().getSimpleName(), e);
        }
    }

    /** One error as a body in the given format, for answers written outside Camel (the HTTP server's own limits). */
    public byte[] errorBody(ApiFormat format, int status, String description) {
        ErrorList body = new ErrorList(List.of(new ApiError(status, description)));
        try {
            return format == ApiFormat.XML ? xml.writeValueAsBytes(body.xml()) : json.writeValueAsBytes(body.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an error body", e);
        }
    }

    /**
     * The body goes out as a ByteBuffer: camel-platform-http writes it in one call with its Content-Length,
     * while it streams a byte array through an InputStream read in chunks on worker threads (profiled: a
     * tenth of a 200-item list's CPU). A Vert.x Buffer would be written at once too, but chunked.
     */
    private void write(Exchange exchange, int status, ApiBody body) {
        ApiFormat format = exchange.getProperty(FORMAT, ApiFormat.class);
        Message message = exchange.getMessage();
        if (format == null) {
            // a route without a format step (media): as the path ends
            format = ApiFormat.ofPath(message.getHeader(Exchange.HTTP_PATH, String.class));
        }
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, format.contentType());
        message.setBody(ByteBuffer.wrap(bytes(format, body)));
    }

    /** A body as the bytes of an answer in the given format. */
    public byte[] bytes(ApiFormat format, ApiBody body) {
        if (body instanceof RenderedJsonArray rendered) {
            if (format != ApiFormat.JSON) {
                throw new IllegalStateException("Items written as JSON cannot answer in " + format);
            }
            return rendered.bytes();
        }
        try {
            return format == ApiFormat.XML ? xml.writeValueAsBytes(body.xml()) : json.writeValueAsBytes(body.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + body.getClass().getSimpleName(), e);
        }
    }
}

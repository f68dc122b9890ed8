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

    private static final String IF_NONE_MATCH = "If-None-Match";
    private static final String ETAG = "ETag";
    private static final String CACHE_CONTROL = "Cache-Control";
    private static final String LAST_MODIFIED = "Last-Modified";
    private static final String ALLOW = "Allow";
    /** An uploaded image: random name, bytes that never change. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private static final Logger LOG = LoggerFactory.getLogger(ApiResponder.class);

    private final ObjectWriter json;
    private final ObjectWriter xml;
    private volatile String catalogueCacheControl = Caching.publicFor(0);

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
        exchange.setProperty(Caching.IF_NONE_MATCH, exchange.getMessage().getHeader(IF_NONE_MATCH, String.class));
        ApiFormat format = ApiFormat.fromSuffix(exchange.getMessage().getHeader("format", String.class));
        exchange.setProperty(FORMAT, format);
    }

    /**
     * Writes the body, an {@link ApiBody}, as a 200 answer in the asked format, with the validator and
     * freshness a step gave it ({@link Caching#describe}); {@link NotModified} is the 304 of that validator.
     * An answer without them must not be kept by any cache (posts, the admin API).
     */
    public void respond(Exchange exchange) {
        ApiBody body = exchange.getMessage().getBody(ApiBody.class);
        if (body == NotModified.ANSWER) {
            notModified(exchange);
            return;
        }
        write(exchange, 200, body);
        cachingHeaders(exchange);
    }

    /**
     * Writes the body as {@link #respond} does, its ETag a digest of its bytes: for answers that are the same
     * for everyone until the catalogue changes (discovery, services, definitions), which the catalogue's fast
     * path mostly answers from bytes kept; these are the rarer requests it leaves to the routes.
     */
    public void respondCatalogue(Exchange exchange) {
        byte[] bytes = bytes(exchange.getProperty(FORMAT, ApiFormat.class), exchange.getMessage().getBody(ApiBody.class));
        String etag = Caching.etagOf(bytes);
        exchange.setProperty(Caching.ETAG, etag);
        exchange.setProperty(Caching.CACHE_CONTROL, catalogueCacheControl);
        if (Caching.unchanged(exchange, etag)) {
            notModified(exchange);
            return;
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, exchange.getProperty(FORMAT, ApiFormat.class).contentType());
        message.setBody(ByteBuffer.wrap(bytes));
        cachingHeaders(exchange);
    }

    /** How long clients and caches may reuse the catalogue's answers (gateway.http.catalogue-max-age-seconds). */
    public ApiResponder catalogueCacheFor(int seconds) {
        this.catalogueCacheControl = Caching.publicFor(seconds);
        return this;
    }

    public String catalogueCacheControl() {
        return catalogueCacheControl;
    }

    private void notModified(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
        message.setBody(null);
        cachingHeaders(exchange);
    }

    private static void cachingHeaders(Exchange exchange) {
        Message message = exchange.getMessage();
        String etag = exchange.getProperty(Caching.ETAG, String.class);
        if (etag != null) {
            message.setHeader(ETAG, etag);
        }
        message.setHeader(CACHE_CONTROL, exchange.getProperty(Caching.CACHE_CONTROL, Caching.NO_STORE, String.class));
        String lastModified = exchange.getProperty(Caching.LAST_MODIFIED, String.class);
        if (lastModified != null) {
            message.setHeader(LAST_MODIFIED, lastModified);
        }
    }

    /** An empty success (204), e.g. for an accepted back-end notification. */
    public void noContent(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
    }

    /**
     * Writes a file (the OpenAPI document) with its own content type, never to be read as another type (nosniff)
     * nor run as a page: opened directly, a sandbox without any resource of its own; shown inline, under its own
     * (fixed, always safe) name. It changes only with a new version of the gateway: cached as the catalogue.
     */
    public void respondFile(Exchange exchange) {
        writeFile(exchange, catalogueCacheControl);
    }

    /**
     * Writes an uploaded image as {@link #respondFile} writes files. Its name is random and its bytes never
     * change, so any cache may keep it for a year without asking again.
     */
    public void respondMedia(Exchange exchange) {
        writeFile(exchange, IMMUTABLE);
        // images are compressed already: gzip would spend CPU for nothing (the server leaves identity alone)
        exchange.getMessage().setHeader("Content-Encoding", "identity");
    }

    private static void writeFile(Exchange exchange, String cacheControl) {
        MediaStore.StoredFile file = exchange.getMessage().getBody(MediaStore.StoredFile.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, file.contentType());
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", FILE_POLICY);
        message.setHeader("Content-Disposition", "inline; filename=\"" + file.name() + "\"");
        message.setHeader(CACHE_CONTROL, cacheControl);
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
        exchange.getMessage().setHeader(CACHE_CONTROL, Caching.NO_STORE);
    }

    private void write(Exchange exchange, ApiException api) {
        write(exchange, api.status(), new ErrorList(api.errors()));
        exchange.getMessage().setHeader(CACHE_CONTROL, Caching.NO_STORE);
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

    /**
     * Answers any path or method the API does not have, in the format its suffix suggests: a path the API has,
     * asked with another method, is a 405 naming the methods it takes ({@code Allow}); OPTIONS on it lists them
     * (204); any other path is a 404.
     */
    public void noSuchEndpoint(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(FORMAT, ApiFormat.ofPath(path));
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String allowed = AllowedMethods.of(exchange.getContext()).allow(path);
        if (allowed.isEmpty()) {
            throw ApiException.notFound("No such endpoint: " + ApiException.quoteSafe(method) + " "
                    + ApiException.quoteSafe(path));
        }
        if ("OPTIONS".equals(method)) {
            Message message = exchange.getMessage();
            message.getHeaders().clear();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            message.setHeader(ALLOW, allowed);
            message.setBody(null);
            return;
        }
        throw new ApiException(405, List.of("Method " + ApiException.quoteSafe(method) + " not allowed on "
                + ApiException.quoteSafe(path) + ": use " + allowed)) {
            @Override
            public java.util.Map<String, String> responseHeaders() {
                return java.util.Map.of(ALLOW, allowed);
            }
        };
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

package org.open311.gateway.requests;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.open311.gateway.SettingException;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.ApiFormat;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.Caching;
import org.open311.gateway.api.NotModified;
import org.open311.gateway.api.RenderedJsonArray;
import org.open311.gateway.api.view.PostedRequestList;
import org.open311.gateway.api.view.ServiceRequestList;
import org.open311.gateway.catalogue.DetailedStatus;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.media.MediaStore;
import org.open311.gateway.media.UploadCapture;
import org.open311.gateway.observe.CorrelationId;
import org.open311.gateway.store.ApiKeys;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps of the service-request routes between HTTP and the store. Each step leaves only the SQL
 * parameters it sets as headers (camel-jdbc binds {@code :?name} from headers), so nothing a client
 * sends can become a query parameter.
 */
public final class RequestApi {

    static final String FORM = "open311.form";
    static final String QUERY = "open311.query";
    static final String UPLOADS = "open311.uploads";

    private final LiveCatalogue catalogue;
    private final RequestRows rows;
    private final Clock clock;
    private final UploadCapture uploads;
    private final MediaStore media;
    private final RenderedRequests rendered;
    private final ApiResponder responder;
    private volatile String cacheControl = Caching.publicFor(0);

    public RequestApi(LiveCatalogue catalogue, RequestRows rows, Clock clock, UploadCapture uploads, MediaStore media,
                      RenderedRequests rendered, ApiResponder responder) {
        this.catalogue = catalogue;
        this.rows = rows;
        this.rendered = rendered;
        this.responder = responder;
        this.clock = clock;
        this.uploads = uploads;
        this.media = media;
        if (!InputLimits.mediaUrlsFit(media.maxFiles(), media.uploadUrlLength())) {
            throw new SettingException("gateway.media.max-files: " + media.maxFiles() + " uploads (URLs of "
                    + media.uploadUrlLength() + " characters with gateway.public-url) beside " + InputLimits.MEDIA_URLS_MAX
                    + " media_url values do not fit the " + InputLimits.MEDIA_URLS_STORED_MAX + " characters the store keeps");
        }
    }

    /** How long clients and caches may reuse a request or a list (gateway.http.requests-max-age-seconds). */
    public RequestApi cacheFor(int seconds) {
        this.cacheControl = Caching.publicFor(seconds);
        return this;
    }

    /** Keeps the posted form aside and asks the store for its api_key (missing: 403 at once). */
    public void readForm(Exchange exchange) {
        Message message = exchange.getMessage();
        requireFormContentType(message.getHeader(Exchange.CONTENT_TYPE, String.class));
        RequestForm form = RequestForm.of(formFields(message), message.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        if (!form.invalidText().isEmpty()) {
            throw new ApiException(400, form.invalidText().stream()
                    .map(name -> ApiException.quoteSafe(name) + ": not valid UTF-8 text").toList());
        }
        IdempotentPosts.read(exchange, message);
        exchange.setProperty(FORM, form);
        exchange.setProperty(UPLOADS, uploads.take(message.getHeader(UploadCapture.REFERENCE_HEADER, String.class)));
        String keyHash = ApiKeys.hashOfPresented(form.first("api_key"));
        parameters(message, Map.of("apiKeyHash", keyHash));
    }

    /** The form {@link #readForm} kept, for another post read the same way (servicerequestupdates). */
    public static RequestForm formOf(Exchange exchange) {
        return exchange.getProperty(FORM, RequestForm.class);
    }

    /** The uploaded files {@link #readForm} took, for another post read the same way. */
    @SuppressWarnings("unchecked")
    public static List<org.open311.gateway.media.Upload> uploadsOf(Exchange exchange) {
        return exchange.getProperty(UPLOADS, List.class);
    }

    /** GeoReport v2 posts are forms: anything else (JSON, XML, plain text) is refused with 415. */
    static void requireFormContentType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/x-www-form-urlencoded") && !type.equals("multipart/form-data")) {
            throw new ApiException(415, List.of("Content-Type: send application/x-www-form-urlencoded or multipart/form-data"));
        }
    }

    /**
     * The form fields as the HTTP server parsed them. Camel replaces the body with the file when a
     * multipart request carries exactly one upload, so the server's own form attributes are the source.
     */
    private static Object formFields(Message message) {
        if (message instanceof HttpMessage http) {
            Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
            http.getRequest().formAttributes().forEach(entry ->
                    fields.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue()));
            return fields;
        }
        return message.getBody();
    }

    /** After the key lookup: validates the request and sets the insert's parameters (id issued here). */
    public void validate(Exchange exchange) {
        long apiKeyId = ApiKeys.requireFound(exchange.getMessage().getBody());
        List<String> uploadProblems = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<MediaStore.Checked> files = media.check(exchange.getProperty(UPLOADS, List.class), uploadProblems);
        NewServiceRequest request = RequestValidator.validate(exchange.getProperty(FORM, RequestForm.class),
                catalogue.current(), uploadProblems);
        List<String> mediaUrls = new ArrayList<>(request.mediaUrls());
        mediaUrls.addAll(media.keep(files));
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        java.util.HashMap<String, Object> params = new java.util.HashMap<>();
        params.put("id", RequestIds.next());
        params.put("serviceCode", request.serviceCode());
        params.put("description", request.description());
        params.put("title", request.title());
        params.put("lat", request.lat());
        params.put("lon", request.lon());
        params.put("geoCell", GeoCells.cellOf(request.lat(), request.lon()));
        params.put("addressString", request.addressString());
        params.put("serviceObjectType", request.serviceObjectType());
        params.put("serviceObjectId", request.serviceObjectId());
        params.put("email", request.email());
        params.put("firstName", request.firstName());
        params.put("lastName", request.lastName());
        params.put("phone", request.phone());
        params.put("attributes", RequestRows.toJson(request.attributes()));
        params.put("mediaUrls", RequestRows.toJson(mediaUrls));
        params.put("extraAttributes", request.extraAttributes().isEmpty() ? null : RequestRows.toJson(request.extraAttributes()));
        params.put("locale", request.locale());
        params.put("apiKeyId", apiKeyId);
        // every request starts as the API's RECEIVED; the back end that decides the status moves it on
        params.put("status", DetailedStatus.RECEIVED.open311Status());
        params.put("detailedStatus", DetailedStatus.RECEIVED.name());
        params.put("requestedAt", now);
        params.put("correlationId", CorrelationId.of(exchange));
        parameters(exchange.getMessage(), params);
    }

    /** The answer to a stored POST: the id the gateway issued. */
    public PostedRequestList accepted(Exchange exchange) {
        return PostedRequestList.of(exchange.getMessage().getHeader("id", String.class));
    }

    /** GET requests/{id}: the query for one request; an id the gateway cannot have issued is a 404 at once. */
    public void queryById(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader("id", String.class);
        exchange.setProperty(QUERY, RequestForm.of(null, message.getHeader(Exchange.HTTP_RAW_QUERY, String.class)));
        if (!RequestIds.isWellFormed(id)) {
            throw notFound(id);
        }
        sql(message, RequestQuery.byId(id));
    }

    /** GET requests: the query for one page of the list (400 naming each bad parameter). */
    public void queryList(Exchange exchange) {
        Message message = exchange.getMessage();
        RequestForm query = RequestForm.of(null, message.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        exchange.setProperty(QUERY, query);
        Catalogue current = catalogue.current();
        sql(message, RequestQuery.build(query, clock, rows.zone(), code -> current.service(code).isPresent()));
    }

    /** The rows of one page, in order. */
    public ApiBody page(Exchange exchange) {
        return list(exchange, rowsOf(exchange), false);
    }

    /** The rows found for one id, as a list of one request, or 404. */
    public ApiBody one(Exchange exchange) {
        List<Map<String, Object>> found = rowsOf(exchange);
        if (found.isEmpty()) {
            throw notFound(exchange.getMessage().getHeader("id", String.class));
        }
        return list(exchange, found, true);
    }

    /** GET media/{name}: a file a client uploaded. */
    public MediaStore.StoredFile mediaFile(Exchange exchange) {
        return media.read(exchange.getMessage().getHeader("name", String.class));
    }

    /** No token is ever pending: the gateway answers every POST with its service_request_id at once. */
    public void noSuchToken(Exchange exchange) {
        throw ApiException.notFound("token: '" + ApiException.quoteSafe(exchange.getMessage().getHeader("token", String.class))
                + "' not found; service requests get their service_request_id at once");
    }

    /**
     * The answer of a page or of one request. Its ETag is a digest of what it shows (each row's columns, the
     * catalogue version for service names, language, extensions, format), taken without writing the answer: a
     * client that holds it gets a 304 for the cost of the query. Each row's digest is kept with its written
     * JSON while the row is unchanged (RenderedRequests), so an unchanged page is not hashed again either.
     */
    private ApiBody list(Exchange exchange, List<Map<String, Object>> found, boolean single) {
        RequestForm query = exchange.getProperty(QUERY, RequestForm.class);
        Language language = Language.fromLocale(query.first("locale"));
        boolean extensions = "true".equalsIgnoreCase(query.first("extensions"));
        Catalogue current = catalogue.current();
        ApiFormat format = exchange.getProperty(ApiResponder.FORMAT, ApiFormat.class);
        List<RenderedRequests.Written> written = new ArrayList<>(found.size());
        Caching.Digest digest = new Caching.Digest().add(current.version()).add(language.name())
                .add(extensions ? 1 : 0).add(format.name()).add(found.size());
        // a JSON answer writes each changed row as it is read (a changed row changes the ETag: no 304 then)
        boolean json = format == ApiFormat.JSON;
        for (Map<String, Object> row : found) {
            RenderedRequests.Written one = rendered.of(RequestRows.id(row), row, current, language, extensions,
                    json ? () -> responder.json(rows.view(row, current, language, extensions)) : null);
            written.add(one);
            digest.add(one.digest());
        }
        String etag = Caching.etag(digest.value());
        Caching.describe(exchange, etag, cacheControl, single ? RequestRows.updatedAt(found.get(0)) : null);
        if (Caching.unchanged(exchange, etag)) {
            return NotModified.ANSWER;
        }
        if (json) {
            return new RenderedJsonArray(written.stream().map(RenderedRequests.Written::json).toList());
        }
        return new ServiceRequestList(found.stream().map(row -> rows.view(row, current, language, extensions)).toList());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rowsOf(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("service_request_id: request '" + ApiException.quoteSafe(id) + "' not found");
    }

    private static void sql(Message message, RequestQuery.Sql sql) {
        parameters(message, sql.parameters());
        message.setBody(sql.text());
    }

    /** Replaces every header with exactly these SQL parameters. */
    private static void parameters(Message message, Map<String, Object> params) {
        message.getHeaders().clear();
        message.getHeaders().putAll(params);
    }
}

package org.open311.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.open311.gateway.api.ApiBody;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.api.ServiceUnavailable;
import org.open311.gateway.catalogue.Catalogue;
import org.open311.gateway.catalogue.CatalogueLoader;
import org.open311.gateway.catalogue.LiveCatalogue;
import org.open311.gateway.catalogue.MappingException;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.store.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The admin API's steps between HTTP and the gateway's parts: its own bearer tokens (never the public
 * API keys), dead letters, and the mappings in service. Every action is logged with the number of the
 * token used, never the token.
 */
public final class AdminApi {

    /** Exchange property: which configured admin token (1, 2, …) the caller used. */
    public static final String TOKEN_NUMBER = "open311.adminToken";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Logger AUDIT = LoggerFactory.getLogger("org.open311.gateway.admin");

    private final AdminTokens tokens;
    private final FailedAuthentications failedAuthentications;
    private final DeadLetters deadLetters;
    private final LiveCatalogue catalogue;
    private final Path mappingsDir;

    public AdminApi(AdminTokens tokens, FailedAuthentications failedAuthentications, DeadLetters deadLetters,
                    LiveCatalogue catalogue, Path mappingsDir) {
        this.tokens = tokens;
        this.failedAuthentications = failedAuthentications;
        this.deadLetters = deadLetters;
        this.catalogue = catalogue;
        this.mappingsDir = mappingsDir;
    }

    /**
     * 404 while no token is configured (the admin API is off), 429 while the client's address has failed
     * too often (even with the right token), 401 without the right bearer token. Refusals are logged as a
     * rate by {@link FailedAuthentications}, not one line each.
     */
    public void authorize(Exchange exchange) {
        if (!tokens.enabled()) {
            throw ApiException.notFound("The admin API is disabled: set gateway.admin.token to enable it");
        }
        failedAuthentications.refuseIfBlocked(exchange);
        String header = authorizationHeader(exchange.getMessage());
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        OptionalInt number = tokens.match(presented);
        if (number.isEmpty()) {
            failedAuthentications.failed(exchange, (presented == null ? "no" : "wrong") + " admin token");
            throw new ApiException(401, List.of("Authorization: send the admin token as 'Authorization: Bearer <token>'"));
        }
        exchange.setProperty(TOKEN_NUMBER, number.getAsInt());
    }

    /** A 401 names its scheme, as HTTP asks. */
    public void challenge(Exchange exchange) {
        if (Integer.valueOf(401).equals(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class))) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"open311-gateway-admin\"");
        }
    }

    /**
     * The store that cannot be reached is a 503 with Retry-After, as on the public API (checked first: its
     * driver's failures are caused by I/O errors too); a back end that cannot be reached is a 502 naming
     * it; anything else unexpected stays a 500 without internals.
     */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof ApiException) {
            return;
        }
        if (ApiResponder.causedByTheStore(caught)) {
            AUDIT.warn("Admin {} {} failed: the store did not answer ({})", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), caught.getClass().getSimpleName());
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, ServiceUnavailable.store());
            return;
        }
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                AUDIT.warn("Admin {} {} failed: a back end did not answer ({})", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                        exchange.getMessage().getHeader(Exchange.HTTP_PATH), cause.getClass().getSimpleName());
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ApiException(502, List.of(
                        "A back end did not answer (" + cause.getClass().getSimpleName() + "): try again later")));
                return;
            }
        }
    }

    /** One dead letter, as operators see it (never contact data); {@code updateId}: a resident's update's, else null. */
    public record DeadLetterView(String serviceRequestId, String backend, String serviceCode, int attempts,
                                 String lastError, String requestedAt, String updateId) {
    }

    public record DeadLetterList(List<DeadLetterView> deadLetters) implements ApiBody {
    }

    public DeadLetterList deadLetters(Exchange exchange) throws SQLException {
        List<DeadLetterView> views = deadLetters.list().stream().map(d -> new DeadLetterView(d.requestId(), d.backend(),
                d.serviceCode(), d.attempts(), d.lastError(), iso(d.requestedAt()),
                d.updateId() == null || d.updateId().isEmpty() ? null : d.updateId())).toList();
        audit(exchange, "listed dead letters: {}", views.size());
        return new DeadLetterList(views);
    }

    public record Retried(String serviceRequestId, int scheduled) implements ApiBody {
    }

    /** Makes one request's dead letters (CRM, Aspa or both) due again; 404 if it has none. */
    public Retried retryOne(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        int scheduled = deadLetters.retry(id);
        if (scheduled == 0) {
            throw ApiException.notFound("No dead letter for request '" + ApiException.quoteSafe(id) + "'");
        }
        audit(exchange, "scheduled dead letter {} again ({} back ends)", id, scheduled);
        return new Retried(id, scheduled);
    }

    public Retried retryAll(Exchange exchange) throws SQLException {
        int scheduled = deadLetters.retry(null);
        audit(exchange, "scheduled every dead letter again: {}", scheduled);
        return new Retried(null, scheduled);
    }

    public record Dismissal(String serviceRequestId, int dismissed, String dismissedBy, String reason) implements ApiBody {
    }

    /**
     * Dismisses one request's dead letters (every back end where dead, or the body's {@code backend}) with the
     * body's {@code reason}, kept for audit with the token that acted and the time; 400 without a reason,
     * 404 if it has no dead letter.
     */
    public Dismissal dismissOne(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        JsonNode body = jsonBody(exchange);
        String backend = body.path("backend").isTextual() ? body.path("backend").asText().trim() : null;
        String who = "admin token " + exchange.getProperty(TOKEN_NUMBER);
        int dismissed;
        try {
            dismissed = deadLetters.dismiss(id, backend == null || backend.isEmpty() ? null : backend, who,
                    body.path("reason").isTextual() ? body.path("reason").asText() : null);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (dismissed == 0) {
            throw ApiException.notFound("No dead letter for request '" + ApiException.quoteSafe(id) + "'"
                    + (backend == null ? "" : " and back end '" + ApiException.quoteSafe(backend) + "'"));
        }
        audit(exchange, "dismissed dead letter {} ({} back ends)", id, dismissed);
        return new Dismissal(id, dismissed, who, DeadLetters.checkedReason(body.path("reason").asText()));
    }

    /** A dismissed dead letter in the audit listing. */
    public record DismissedView(String serviceRequestId, String backend, String serviceCode, int attempts,
                                String lastError, String dismissedAt, String dismissedBy, String reason) {
    }

    public record DismissedList(List<DismissedView> dismissed) implements ApiBody {
    }

    public DismissedList dismissed(Exchange exchange) throws SQLException {
        List<DismissedView> views = deadLetters.dismissed().stream().map(d -> new DismissedView(d.requestId(), d.backend(),
                d.serviceCode(), d.attempts(), d.lastError(), iso(d.dismissedAt()), d.dismissedBy(), d.reason())).toList();
        audit(exchange, "listed dismissed dead letters: {}", views.size());
        return new DismissedList(views);
    }

    /** The body as a JSON object; 400 if it is not one. */
    private static JsonNode jsonBody(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        try {
            JsonNode body = text == null || text.isBlank() ? null : JSON.readTree(text);
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        throw ApiException.badRequest("Send a JSON object: {\"reason\": \"why it is dismissed\"}, optionally with \"backend\"");
    }

    /**
     * The mappings in service: the content hash of their files, when they went into service, what they hold,
     * whether they came from the files or the last good copy, and the refused edit still on disk (if any)
     * and the last refusal (kept after a fix).
     */
    public record MappingsView(String version, String loadedAt, String source, String directory, List<String> files,
                               int services, int activeServices, String refusedEdit, long refusals,
                               RefusalView lastRefusal) implements ApiBody {
    }

    /** A refused edit: the hash of the refused files, when, whether they are still on disk, and every problem. */
    public record RefusalView(String version, String refusedAt, boolean onDisk, List<String> problems) {
    }

    public MappingsView mappings(Exchange exchange) {
        audit(exchange, "viewed the mappings");
        return view();
    }

    public record Reloaded(boolean changed, MappingsView mappings) implements ApiBody {
    }

    /**
     * Reloads the mapping files now, instead of at the next poll. A refused edit is answered 422 with
     * every problem, and the catalogue in service stays.
     */
    public Reloaded reload(Exchange exchange) {
        boolean changed = catalogue.reloadIfChanged();
        Optional<LiveCatalogue.Refusal> refused = catalogue.refusedEdit();
        if (refused.isPresent()) {
            audit(exchange, "asked for a mapping reload: refused, {} problems", refused.get().problems().size());
            throw new ApiException(422, refused.get().problems());
        }
        audit(exchange, "reloaded the mappings: {}", changed ? "version " + catalogue.current().version() + " in service" : "unchanged");
        return new Reloaded(changed, view());
    }

    private MappingsView view() {
        Catalogue current = catalogue.current();
        Optional<LiveCatalogue.Refusal> onDisk = catalogue.refusedEdit();
        RefusalView last = catalogue.lastRefusal().map(r -> new RefusalView(r.version(), r.at().toString(),
                onDisk.isPresent() && onDisk.get() == r, r.problems())).orElse(null);
        return new MappingsView(current.version(), current.loadedAt().toString(), catalogue.source().wireName(),
                mappingsDir.toAbsolutePath().normalize().toString(), CatalogueLoader.FILES, current.size(),
                current.activeServices().size(), onDisk.map(r -> new MappingException(r.problems()).getMessage()).orElse(null),
                catalogue.refusals(), last);
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(java.time.ZoneOffset.UTC).toString();
    }

    static void audit(Exchange exchange, String action, Object... arguments) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("Admin (token " + exchange.getProperty(TOKEN_NUMBER) + ") " + action, arguments);
        }
    }

    /** The real HTTP header: query parameters also arrive as Camel headers and must not pass for it. */
    private static String authorizationHeader(Message message) {
        if (message instanceof HttpMessage http) {
            return http.getRequest().getHeader("Authorization");
        }
        return message.getHeader("Authorization", String.class);
    }
}

package org.open311.gateway.console;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.open311.gateway.admin.AdminTokens;
import org.open311.gateway.api.ApiException;
import org.open311.gateway.api.ApiResponder;
import org.open311.gateway.catalogue.Language;
import org.open311.gateway.limits.FailedAuthentications;
import org.open311.gateway.store.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The web console's steps (routes/console.camel.yaml): login with an admin token into a session kept in the
 * store, the session and CSRF checks every page and action passes, each page's model, each action (audited
 * on the admin API's logger with the session's token number), and the HTML answer. Never contact data:
 * no page reads a column that holds it.
 */
public final class ConsoleApi {

    public static final String PATH = "/admin/console";
    static final String COOKIE = "open311_console";
    static final String LOGIN_COOKIE = "open311_console_login";
    /** Exchange property: the live {@link ConsoleSessions.Session}. */
    static final String SESSION = "open311.consoleSession";
    /** Exchange property: the HTTP server's request (cookies, form, query). */
    private static final String REQUEST = "open311.consoleRequest";
    /** Pages may load only the console's own stylesheet; no script, no frame, forms only to the console. */
    static final String POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none';"
            + " base-uri 'none'";
    static final Logger AUDIT = LoggerFactory.getLogger("org.open311.gateway.admin");
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);

    /** A page to render: its template, status and model. */
    public record Page(String template, int status, Map<String, Object> model) {
    }

    /** An action's answer: 303 to a page of the console (post, redirect, get). */
    public record Redirect(String location) {
    }

    private final boolean enabled;
    private final AdminTokens tokens;
    private final FailedAuthentications failedAuthentications;
    private final ConsoleSessions sessions;
    private final ConsolePages pages;
    private final Overview overview;
    private final CatalogueView catalogue;
    private final DraftCheck drafts;
    private final RequestTimeline timelines;
    private final DeadLetters deadLetters;
    private final ApiResponder responder;

    public ConsoleApi(boolean enabled, AdminTokens tokens, FailedAuthentications failedAuthentications, ConsoleSessions sessions,
                      ConsolePages pages, Overview overview, CatalogueView catalogue, DraftCheck drafts, RequestTimeline timelines,
                      DeadLetters deadLetters, ApiResponder responder) {
        this.enabled = enabled;
        this.tokens = tokens;
        this.failedAuthentications = failedAuthentications;
        this.sessions = sessions;
        this.pages = pages;
        this.overview = overview;
        this.catalogue = catalogue;
        this.drafts = drafts;
        this.timelines = timelines;
        this.deadLetters = deadLetters;
        this.responder = responder;
    }

    // ---- login, session, CSRF

    /** Off (the prod profile's default): every console path is the API's 404, as if there were none. */
    public void enabled(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http) {
            // kept: a later step's message (or the error handler's) may no longer be the server's
            exchange.setProperty(REQUEST, http.getRequest());
        }
        if (!enabled) {
            throw ApiException.notFound("No such endpoint");
        }
    }

    /** The login form, with a one-time token in a cookie and the form (a login from another site is refused). */
    public Page loginForm(Exchange exchange) {
        enabled(exchange);
        String token = ConsoleSessions.randomToken();
        exchange.setProperty(LOGIN_COOKIE, cookie(exchange, LOGIN_COOKIE, token, PATH + "/login", Duration.ofMinutes(30)));
        String language = ConsolePages.language(query(exchange, "lang"));
        return new Page("login", 200, Map.of("loginToken", token, "language", language, "failed", "1".equals(query(exchange, "failed"))));
    }

    /** Checks the admin token; a right one starts a session in the store and sets its cookie. */
    public Redirect login(Exchange exchange) throws SQLException {
        enabled(exchange);
        failedAuthentications.refuseIfBlocked(exchange);
        Map<String, String> form = form(exchange);
        if (!sameToken(cookieOf(exchange, LOGIN_COOKIE), form.get("login_token"))) {
            throw new ConsoleException(403, "errorLoginExpired");
        }
        String language = ConsolePages.language(form.get("lang"));
        OptionalInt number = tokens.match(form.get("token"));
        if (number.isEmpty()) {
            failedAuthentications.failed(exchange, "wrong admin token (console)");
            return new Redirect(PATH + "/login?failed=1&lang=" + language);
        }
        ConsoleSessions.Session session = sessions.start(number.getAsInt(), language);
        exchange.setProperty(COOKIE, cookie(exchange, COOKIE, session.id(), PATH, sessions.longest()));
        exchange.setProperty(LOGIN_COOKIE, cookie(exchange, LOGIN_COOKIE, "", PATH + "/login", Duration.ZERO));
        audit(session, "logged in");
        return new Redirect(PATH);
    }

    /** The live session of the request's cookie, or 401 (a page then goes to the login form). */
    public void authenticate(Exchange exchange) throws SQLException {
        enabled(exchange);
        ConsoleSessions.Session session = sessions.find(cookieOf(exchange, COOKIE)).orElseThrow(ConsoleException::noSession);
        exchange.setProperty(SESSION, session);
    }

    /** Every action sends the session's CSRF token in its form: 403 without it. */
    public void csrf(Exchange exchange) {
        if (!sameToken(session(exchange).csrfToken(), form(exchange).get("csrf"))) {
            AUDIT.warn("Admin ({}) refused: an action without its CSRF token: {}", session(exchange).who(), path(exchange));
            throw new ConsoleException(403, "errorCsrf");
        }
    }

    public Redirect logout(Exchange exchange) throws SQLException {
        ConsoleSessions.Session session = session(exchange);
        sessions.end(session);
        exchange.setProperty(COOKIE, cookie(exchange, COOKIE, "", PATH, Duration.ZERO));
        audit(session, "logged out");
        return new Redirect(PATH + "/login?lang=" + session.language());
    }

    public Redirect language(Exchange exchange) throws SQLException {
        ConsoleSessions.Session session = session(exchange);
        sessions.language(session, ConsolePages.language(form(exchange).get("lang")));
        return new Redirect(back(form(exchange).get("back")));
    }

    // ---- pages

    public Page overview(Exchange exchange) throws SQLException {
        return page(exchange, "overview", Map.of("overview", overview.read()));
    }

    public Page catalogue(Exchange exchange) {
        return page(exchange, "catalogue", Map.of("catalogue", catalogue.read(), "previewLanguages", CatalogueView.previewLanguages()));
    }

    /** Checks a pasted services.yaml as the CLI would, and shows the catalogue page with the result. */
    public Page checkDraft(Exchange exchange) throws SQLException {
        Map<String, String> form = form(exchange);
        String draft = form.getOrDefault("draft", "");
        String previewLanguage = CatalogueView.previewLanguages().contains(form.get("preview")) ? form.get("preview") : "fi";
        DraftCheck.Result result = drafts.check(draft, Language.fromLocale(previewLanguage));
        audit(session(exchange), "checked a draft of services.yaml: {}", result.valid() ? "valid" : result.problems().size() + " problems");
        return page(exchange, "catalogue", Map.of("catalogue", catalogue.read(), "previewLanguages", CatalogueView.previewLanguages(),
                "draft", draft, "previewLanguage", previewLanguage, "check", result));
    }

    public Page requests(Exchange exchange) throws SQLException {
        String wanted = Optional.ofNullable(query(exchange, "q")).orElse("").trim();
        Map<String, Object> model = new HashMap<>();
        model.put("q", wanted);
        if (!wanted.isEmpty()) {
            Optional<RequestTimeline.Timeline> found = timelines.find(wanted);
            found.ifPresent(timeline -> model.put("timeline", timeline));
            model.put("notFound", found.isEmpty());
            // what was typed is not logged: an operator may paste anything into the search, contact data too
            audit(session(exchange), "looked up a request: {}", found.map(t -> "found " + t.request().id()).orElse("none found"));
        }
        return page(exchange, "requests", model);
    }

    public Page deadLetters(Exchange exchange) throws SQLException {
        return page(exchange, "dead-letters", Map.of("deadLetters", deadLetters.list(), "dismissed",
                deadLetters.dismissed().stream().limit(20).toList(), "done", Optional.ofNullable(query(exchange, "done")).orElse("")));
    }

    // ---- actions on dead letters (store/DeadLetters, as the admin API and the CLI)

    public Redirect retryOne(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        int scheduled = deadLetters.retry(id);
        audit(session(exchange), "scheduled dead letter {} again ({} back ends)", loggable(id), scheduled);
        return new Redirect(PATH + "/dead-letters?done=" + (scheduled == 0 ? "none" : "retried"));
    }

    public Redirect retryAll(Exchange exchange) throws SQLException {
        int scheduled = deadLetters.retry(null);
        audit(session(exchange), "scheduled every dead letter again: {}", scheduled);
        return new Redirect(PATH + "/dead-letters?done=retried");
    }

    public Redirect dismiss(Exchange exchange) throws SQLException {
        String id = exchange.getMessage().getHeader("id", String.class);
        Map<String, String> form = form(exchange);
        String backend = form.getOrDefault("backend", "").trim();
        int dismissed;
        try {
            dismissed = deadLetters.dismiss(id, backend.isEmpty() ? null : backend, session(exchange).who(), form.get("reason"));
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(400, "errorReason");
        }
        audit(session(exchange), "dismissed dead letter {} ({} back ends)", loggable(id), dismissed);
        return new Redirect(PATH + "/dead-letters?done=" + (dismissed == 0 ? "none" : "dismissed"));
    }

    // ---- answers

    /** Writes the body: a {@link Page} as HTML, a {@link Redirect} as 303; with the cookies a step set. */
    public void render(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        if (body instanceof Redirect redirect) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
            message.setHeader("Location", redirect.location());
            message.setBody(null);
        } else {
            Page page = (Page) body;
            String language = page.model().containsKey("language") ? (String) page.model().get("language")
                    : exchange.getProperty(SESSION, ConsoleSessions.Session.class).language();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, page.status());
            message.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            message.setBody(pages.render(page.template(), language, page.model()).getBytes(StandardCharsets.UTF_8));
        }
        securityHeaders(message);
        List<String> cookies = new java.util.ArrayList<>();
        for (String name : List.of(COOKIE, LOGIN_COOKIE)) {
            String cookie = exchange.getProperty(name, String.class);
            if (cookie != null) {
                cookies.add(cookie);
            }
        }
        if (!cookies.isEmpty()) {
            message.setHeader("Set-Cookie", cookies.size() == 1 ? cookies.get(0) : cookies);
        }
    }

    /** The console's stylesheet, from the jar (the login page needs it before any session). */
    public void stylesheet(Exchange exchange) throws java.io.IOException {
        enabled(exchange);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        try (var in = ConsoleApi.class.getResourceAsStream("/console/static/console.css")) {
            message.setBody(in.readAllBytes());
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "text/css; charset=utf-8");
        message.setHeader("Cache-Control", "private, max-age=300");
    }

    /**
     * What a failure shows: a page without a session goes to the login form, an action without one is 401;
     * a console refusal is its page; the console off is the API's 404; the store down a 503 page; anything
     * else a 500 page, logged, without internals.
     */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof ApiException api && api.status() == 404) {
            responder.error(exchange);
            return;
        }
        HttpServerRequest request = request(exchange);
        String method = request == null ? "" : request.method().name();
        ConsoleSessions.Session session = exchange.getProperty(SESSION, ConsoleSessions.Session.class);
        String language = session == null ? "en" : session.language();
        if (caught instanceof ConsoleException refused && refused.status() == 401 && "GET".equals(method)) {
            exchange.getMessage().setBody(new Redirect(PATH + "/login"));
            exchange.removeProperty(SESSION);
            render(exchange);
            return;
        }
        Page page;
        if (caught instanceof ConsoleException refused) {
            page = errorPage(refused.status(), pages.text(language, refused.messageKey()), language);
        } else if (caught instanceof ApiException api) {
            page = errorPage(api.status(), api.errors().get(0).description(), language);
            exchange.getMessage().setBody(page);
            render(exchange);
            api.responseHeaders().forEach(exchange.getMessage()::setHeader);
            return;
        } else if (ApiResponder.causedByTheStore(caught)) {
            LOG.warn("Console {} {}: the store did not answer ({})", method, path(exchange), caught.getClass().getSimpleName());
            page = errorPage(503, pages.text(language, "errorStore"), language);
        } else {
            LOG.error("Console {} {} failed", method, path(exchange), caught);
            page = errorPage(500, pages.text(language, "errorUnexpected"), language);
        }
        exchange.getMessage().setBody(page);
        render(exchange);
    }

    private static Page errorPage(int status, String message, String language) {
        return new Page("error", status, Map.of("status", status, "message", message, "language", language));
    }

    // ---- helpers

    private Page page(Exchange exchange, String template, Map<String, Object> model) {
        ConsoleSessions.Session session = session(exchange);
        Map<String, Object> all = new HashMap<>(model);
        all.put("csrf", session.csrfToken());
        all.put("who", session.who());
        all.put("current", template);
        return new Page(template, 200, all);
    }

    private static ConsoleSessions.Session session(Exchange exchange) {
        ConsoleSessions.Session session = exchange.getProperty(SESSION, ConsoleSessions.Session.class);
        if (session == null) {
            throw ConsoleException.noSession();
        }
        return session;
    }

    private static void audit(ConsoleSessions.Session session, String action, Object... arguments) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("Admin (" + session.who() + ") " + action, arguments);
        }
    }

    private static void securityHeaders(Message message) {
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("Content-Security-Policy", POLICY);
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
    }

    /** A cookie of the console: HttpOnly, SameSite=Strict, Secure when the browser reached us over TLS. */
    private static String cookie(Exchange exchange, String name, String value, String path, Duration maxAge) {
        Cookie cookie = Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(overTls(exchange)).setMaxAge(maxAge.toSeconds());
        return cookie.encode();
    }

    /** TLS here, or at the proxy in front (which says so in X-Forwarded-Proto). */
    private static boolean overTls(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        return request != null && (request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")));
    }

    private static String cookieOf(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        Cookie cookie = request == null ? null : request.getCookie(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** The form as the HTTP server parsed it (never headers or query parameters, which Camel mixes in). */
    private static Map<String, String> form(Exchange exchange) {
        Map<String, String> form = new HashMap<>();
        HttpServerRequest request = request(exchange);
        if (request != null) {
            request.formAttributes().forEach(entry -> form.putIfAbsent(entry.getKey(), entry.getValue()));
        }
        return form;
    }

    private static String query(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        return request == null ? null : request.getParam(name);
    }

    private static String path(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        return request == null ? "" : request.path();
    }

    private static HttpServerRequest request(Exchange exchange) {
        return exchange.getMessage() instanceof HttpMessage http ? http.getRequest()
                : exchange.getProperty(REQUEST, HttpServerRequest.class);
    }

    /** Constant-time comparison of two tokens; false if either is missing. */
    private static boolean sameToken(String expected, String presented) {
        return expected != null && !expected.isEmpty() && presented != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Where to go back to after a language change: a console page, nothing else. */
    static String back(String wanted) {
        return wanted != null && wanted.matches("/admin/console(/[a-z-]+)?") ? wanted : PATH;
    }

    /** An id as a log line may show it: short, plain characters only. */
    private static String loggable(String value) {
        String plain = value == null ? "" : value.replaceAll("[^A-Za-z0-9._-]", "?");
        return plain.length() > 64 ? plain.substring(0, 64) : plain;
    }
}

package org.open311.gateway.console;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.store.DeadLetters;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's locks over real HTTP: no page or action without a live session, no action without the
 * session's CSRF token, the cookies' flags, sessions in the store (another instance's works here; a logout
 * ends it), and no contact data on any page.
 */
class ConsoleSecurityHttpTest extends ConsoleTestSupport {

    static final String TOKEN = "console-test-admin-token";
    private static final String API_KEY = "console-test-api-key";
    private static final String UNIQUE = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String EMAIL = "liisa." + UNIQUE + "@example.fi";
    private static final String FIRST_NAME = "Liisa" + UNIQUE;
    private static final String LAST_NAME = "Korhonen" + UNIQUE;
    private static final String PHONE = "+358407" + UNIQUE.chars().map(c -> '0' + c % 10).collect(StringBuilder::new,
            StringBuilder::appendCodePoint, StringBuilder::append);
    private static final List<String> PAGES = List.of("/admin/console", "/admin/console/catalogue", "/admin/console/requests",
            "/admin/console/dead-letters", "/admin/console/requests?q=anything");
    private static final List<String> ACTIONS = List.of("/admin/console/logout", "/admin/console/language",
            "/admin/console/catalogue/check", "/admin/console/dead-letters/retry", "/admin/console/dead-letters/abc/retry",
            "/admin/console/dead-letters/abc/dismiss");

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeAll
    void watchTheAuditLog() {
        audit.start();
        ((Logger) LoggerFactory.getLogger("org.open311.gateway.admin")).addAppender(audit);
    }

    /** Every action was logged with who did it; no line names the token or a resident's contact data. */
    @AfterAll
    void everyActionWasAuditedWithoutSecrets() {
        ((Logger) LoggerFactory.getLogger("org.open311.gateway.admin")).detachAppender(audit);
        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).contains("Admin (console, admin token 1) logged in", "Admin (console, admin token 1) logged out")
                .anyMatch(line -> line.matches("Admin \\(console, admin token 1\\) scheduled dead letter \\w+ again \\(1 back ends\\)"))
                .anyMatch(line -> line.matches("Admin \\(console, admin token 1\\) dismissed dead letter \\w+ \\(1 back ends\\)"))
                .anyMatch(line -> line.startsWith("Admin (console, admin token 1) looked up a request: found "))
                .anyMatch(line -> line.startsWith("Admin (console, admin token 1) refused: an action without its CSRF token"));
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(TOKEN, EMAIL, FIRST_NAME, LAST_NAME, PHONE));
    }

    @Override
    String adminToken() {
        return TOKEN;
    }

    @Override
    String apiKey() {
        return API_KEY;
    }


    @Test
    void noPageOrActionWithoutALiveSession() throws Exception {
        String dead = deadLetter("200");
        ConsoleHttpClient anonymous = new ConsoleHttpClient(port());
        ConsoleHttpClient forged = new ConsoleHttpClient(port());
        forged.session = ConsoleSessions.randomToken();
        for (ConsoleHttpClient client : List.of(anonymous, forged)) {
            for (String page : PAGES) {
                HttpResponse<String> answer = client.get(page);
                assertThat(answer.statusCode()).as(page).isEqualTo(303);
                assertThat(answer.headers().firstValue("Location")).hasValue("/admin/console/login");
                assertThat(answer.body()).isEmpty();
            }
            for (String action : ACTIONS) {
                HttpResponse<String> answer = client.post(action, "csrf", "guess", "reason", "no", "draft", "services: []");
                assertThat(answer.statusCode()).as(action).isEqualTo(401);
                assertThat(answer.body()).contains("log in again").doesNotContain(dead);
            }
        }
        assertThat(deadLetterIds()).contains(dead);
    }

    @Test
    void everyActionNeedsTheSessionsCsrfToken() throws Exception {
        String dead = deadLetter("200");
        ConsoleHttpClient client = loggedIn();
        for (String action : ACTIONS) {
            for (String[] form : List.of(new String[]{"reason", "no token"}, new String[]{"csrf", "", "reason", "empty"},
                    new String[]{"csrf", ConsoleSessions.randomToken(), "reason", "another token"})) {
                HttpResponse<String> refused = client.post(action, form);
                assertThat(refused.statusCode()).as(action + " " + String.join(",", form)).isEqualTo(403);
                assertThat(refused.body()).contains("security token");
            }
        }
        // the token as a query parameter or a header is not the form's field
        HttpResponse<String> inQuery = client.post("/admin/console/dead-letters/retry?csrf=" + client.csrf(), List.of("csrf", client.csrf()));
        assertThat(inQuery.statusCode()).isEqualTo(403);
        assertThat(deadLetterIds()).contains(dead);
        assertThat(client.get("/admin/console").statusCode()).as("still logged in").isEqualTo(200);

        HttpResponse<String> retried = client.post("/admin/console/dead-letters/" + dead + "/retry", "csrf", client.csrf());
        assertThat(retried.statusCode()).isEqualTo(303);
        assertThat(retried.headers().firstValue("Location")).hasValue("/admin/console/dead-letters?done=retried");
        assertThat(deadLetterIds()).doesNotContain(dead);
    }

    @Test
    void aDismissalNeedsAReasonAndKeepsWhoDismissedIt() throws Exception {
        String dead = deadLetter("200");
        ConsoleHttpClient client = loggedIn();
        HttpResponse<String> noReason = client.post("/admin/console/dead-letters/" + dead + "/dismiss", "csrf", client.csrf(),
                "backend", "crm", "reason", " ");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("Give a reason");
        assertThat(deadLetterIds()).contains(dead);

        HttpResponse<String> dismissed = client.post("/admin/console/dead-letters/" + dead + "/dismiss", "csrf", client.csrf(),
                "backend", "crm", "reason", "CRM refuses category; handled by phone");
        assertThat(dismissed.statusCode()).isEqualTo(303);
        assertThat(dismissed.headers().firstValue("Location")).hasValue("/admin/console/dead-letters?done=dismissed");
        assertThat(deadLetterIds()).doesNotContain(dead);
        DeadLetters.Dismissed kept = new DeadLetters(store()).dismissed()
                .stream().filter(d -> d.requestId().equals(dead)).findFirst().orElseThrow();
        assertThat(kept.dismissedBy()).isEqualTo("console, admin token 1");
        assertThat(kept.reason()).isEqualTo("CRM refuses category; handled by phone");
        assertThat(client.get("/admin/console/dead-letters").body()).contains("Recently dismissed", "CRM refuses category; handled by phone");
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteAndSecureBehindTls() {
        ConsoleHttpClient plain = new ConsoleHttpClient(port());
        HttpResponse<String> loggedIn = plain.login(TOKEN);
        assertThat(loggedIn.statusCode()).isEqualTo(303);
        assertThat(loggedIn.headers().firstValue("Location")).contains("/admin/console");
        String cookie = ConsoleHttpClient.setCookieHeader(loggedIn, ConsoleApi.COOKIE).orElseThrow();
        assertThat(cookie).contains("; Path=/admin/console", "; SameSite=Strict", "; Max-Age=" + 8 * 3600)
                .containsIgnoringCase("; HttpOnly").doesNotContain("Secure", TOKEN);
        assertThat(plain.session).hasSizeGreaterThanOrEqualTo(43);

        ConsoleHttpClient behindTls = new ConsoleHttpClient(port());
        String secure = ConsoleHttpClient.setCookieHeader(behindTls.login(TOKEN, "X-Forwarded-Proto", "https"), ConsoleApi.COOKIE).orElseThrow();
        assertThat(secure).contains("; Secure", "; SameSite=Strict").containsIgnoringCase("; HttpOnly");

        HttpResponse<String> page = plain.get("/admin/console");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                assertThat(p).contains("default-src 'none'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void aWrongTokenOrALoginPostedFromElsewhereStartsNoSession() {
        ConsoleHttpClient wrong = new ConsoleHttpClient(port());
        HttpResponse<String> refused = wrong.login("not-the-token");
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/admin/console/login?failed=1"));
        assertThat(ConsoleHttpClient.cookie(refused, ConsoleApi.COOKIE)).isEmpty();
        assertThat(wrong.session).isNull();

        // no one-time login token (a form on another site): refused before the token is even looked at
        ConsoleHttpClient elsewhere = new ConsoleHttpClient(port());
        HttpResponse<String> forged = elsewhere.post("/admin/console/login", "token", TOKEN, "login_token", "made-up");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(ConsoleHttpClient.cookie(forged, ConsoleApi.COOKIE)).isEmpty();
    }

    @Test
    void sessionsLiveInTheStoreSoAnyInstanceServesThemAndLogoutEndsThem() throws Exception {
        DataSource store = store();
        // a session another instance started, on the shared store
        ConsoleSessions elsewhere = new ConsoleSessions(store, Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofHours(1));
        ConsoleHttpClient client = new ConsoleHttpClient(port());
        client.session = elsewhere.start(1, "fi").id();
        HttpResponse<String> page = client.get("/admin/console");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html lang=\"fi\">", "Yleiskuva");
        assertThat(sessionRows(store)).isEqualTo(1);

        HttpResponse<String> out = client.post("/admin/console/logout", "csrf", client.csrf());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(ConsoleHttpClient.setCookieHeader(out, ConsoleApi.COOKIE)).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(sessionRows(store)).isZero();
        assertThat(client.get("/admin/console").statusCode()).as("the old cookie opens nothing").isEqualTo(303);
        assertThat(elsewhere.find(client.session)).isEmpty();
    }

    @Test
    void noPageShowsContactData() {
        String correlation = "corr-" + UNIQUE;
        HttpAnswer posted = postForm("/v1/requests.json", Map.of("X-Correlation-Id", correlation), "api_key", API_KEY,
                "service_code", "200", "description", "Roskat kadulla", "lat", "60.17", "long", "24.94",
                "email", EMAIL, "first_name", FIRST_NAME, "last_name", LAST_NAME, "phone", PHONE);
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> crm().caseByReference(id).isPresent());
        String dead = deadLetter("200");

        ConsoleHttpClient client = loggedIn();
        List<String> pages = new java.util.ArrayList<>(PAGES);
        pages.addAll(List.of("/admin/console/requests?q=" + id, "/admin/console/requests?q=" + correlation,
                "/admin/console/requests?q=" + dead));
        for (String path : pages) {
            HttpResponse<String> page = client.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).doesNotContain(EMAIL, FIRST_NAME, LAST_NAME, PHONE, UNIQUE.substring(0, 10) + "@",
                    "resident@example.org", TOKEN);
        }
        assertThat(client.get("/admin/console/requests?q=" + correlation).body()).contains(id, "accepted", "forwarding attempt", "SENT");
        HttpResponse<String> checked = client.post("/admin/console/catalogue/check", "csrf", client.csrf(), "draft", "services: []");
        assertThat(checked.body()).doesNotContain(EMAIL, FIRST_NAME, PHONE);
    }

    private ConsoleHttpClient loggedIn() {
        ConsoleHttpClient client = new ConsoleHttpClient(port());
        assertThat(client.login(TOKEN).statusCode()).isEqualTo(303);
        assertThat(client.session).isNotNull();
        return client;
    }

    private static int sessionRows(DataSource store) throws Exception {
        try (Connection connection = store.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM console_session");
             ResultSet row = count.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}

package org.open311.gateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.TestImages;
import org.open311.gateway.backends.Notifications;
import org.open311.gateway.simulator.AspaSimulator;
import org.open311.gateway.simulator.CrmSimulator;
import org.open311.gateway.store.ApiKeyAdmin;
import org.open311.gateway.store.ApiKeys;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.open311.gateway.GatewayTestSupport.Part.field;
import static org.open311.gateway.GatewayTestSupport.Part.file;

/**
 * Posts requests with known, unique contact data and a known API key, lets them reach both back ends
 * (also through a failing CRM), reads them back, provokes errors with them, and scans every log event
 * (at DEBUG for every logger, Camel's too, from before the start: stricter than production's INFO) and
 * every answer (bodies and headers): neither the contact data nor the key appears. Every secret setting
 * has a distinctive value, and the paths that use each one run (forwarding, signed pushes, the admin API,
 * the demo key): no secret appears either, not even in Camel's start-up summary of the settings. The
 * key is kept only as its hash; contact data only in its four columns.
 */
class PrivacyScanTest extends GatewayTestSupport {

    static final String UNIQUE = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String EMAIL = "maija." + UNIQUE + "@example.fi";
    static final String FIRST_NAME = "Maijaliisa" + UNIQUE;
    static final String LAST_NAME = "Virtanen" + UNIQUE;
    static final String PHONE = "+35840" + UNIQUE.chars().map(c -> '0' + c % 10).collect(StringBuilder::new,
            StringBuilder::appendCodePoint, StringBuilder::append);
    static final String API_KEY = "privacy-" + UUID.randomUUID();
    static final List<String> SECRETS = List.of(EMAIL, FIRST_NAME, LAST_NAME, PHONE, API_KEY, UNIQUE);
    static final String SECRET = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    /** Every secret setting of the gateway, each with a value no other text contains. */
    static final Map<String, String> SECRET_SETTINGS = Map.of(
            "gateway.db.password", "DbPassword" + SECRET,
            "gateway.backend.crm.token", "CrmToken" + SECRET,
            "gateway.backend.aspa.api-key", "AspaKey" + SECRET,
            "gateway.backend.crm.notification-secret", "CrmPushSecret" + SECRET,
            "gateway.backend.aspa.notification-secret", "AspaPushSecret" + SECRET,
            "gateway.admin.token", "AdminToken" + SECRET,
            "gateway.api-keys.demo", "DemoKey" + SECRET);
    static final List<String> CONFIGURED_SECRETS = List.copyOf(SECRET_SETTINGS.values());
    static final byte[] PNG = TestImages.png();
    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<HttpAnswer> answers = new ArrayList<>();
    /** Every log event from before the gateway starts (so Camel's start-up summary too) to the end of the class. */
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();

    PrivacyScanTest() {
        // the constructor runs before Camel's test support starts the gateway
        log.start();
        root.setLevel(Level.DEBUG);
        root.addAppender(log);
    }

    @AfterAll
    void stopCapturing() {
        root.detachAppender(log);
        root.setLevel(rootLevel);
        log.stop();
    }

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.putAll(SECRET_SETTINGS);
        settings.put("gateway.forwarding.interval-ms", "100");
        settings.put("gateway.forwarding.first-retry-ms", "100");
        settings.put("gateway.forwarding.max-retry-ms", "300");
        settings.put("gateway.sync.interval-ms", "100");
        settings.put("gateway.circuit.open-seconds", "1");
        // the scan needs the forwarding's real failed calls (their bodies carry contact data): with the
        // feeds failing beside them every 100 ms the circuit would stay open and skip every send (no attempt)
        settings.put("gateway.circuit.minimum-calls", "1000");
        settings.put("gateway.rate-limit.posts-per-key", "40");
        return settings;
    }

    @Test
    void noContactDataKeyOrSecretAppearsInAnyLogOrAnswer() throws Exception {
        new ApiKeyAdmin(store()).ensure("privacy scan app", API_KEY);
        scenario();
        useEverySecret();
        List<ILoggingEvent> events = capturedEvents();

        int scannedEvents = events.size();
        assertThat(scannedEvents).isGreaterThan(100);
        assertThat(events).as("Camel's start-up summary of the settings is among the scanned events")
                .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("gateway.backend.crm.notification-secret"));
        assertThat(events.stream().map(PrivacyScanTest::text).filter(PrivacyScanTest::leaks))
                .as("log events with contact data, the API key or a secret").isEmpty();
        assertThat(answers).hasSizeGreaterThan(20);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.body()).doesNotContain(SECRETS).doesNotContain(CONFIGURED_SECRETS);
            assertThat(answer.raw().headers().map().toString()).doesNotContain(SECRETS).doesNotContain(CONFIGURED_SECRETS);
        });
        System.out.println("privacy scan: " + scannedEvents + " log events and " + answers.size() + " answers scanned, 0 leaks");
    }

    @Test
    void apiKeysAreKeptOnlyAsHashesAndContactDataOnlyInItsColumns() throws Exception {
        new ApiKeyAdmin(store()).ensure("privacy scan app", API_KEY);
        // a key of its own: the other test spends API_KEY's rate limit
        String ownKey = "privacy-at-rest-" + UUID.randomUUID();
        new ApiKeyAdmin(store()).ensure("privacy at rest", ownKey);
        HttpAnswer posted = postForm("/v1/requests.json", validForm("api_key", ownKey));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        await().atMost(WAIT).until(() -> crm().caseByReference(id).isPresent());

        try (Connection connection = store().getConnection()) {
            List<List<String>> keys = rows(connection, "SELECT * FROM api_key");
            assertThat(keys).isNotEmpty();
            assertThat(keys).allSatisfy(row -> assertThat(String.join("|", row)).doesNotContain(API_KEY, ownKey));
            assertThat(keys).anySatisfy(row -> assertThat(row).contains(ApiKeys.hash(API_KEY)));
            assertThat(keys).anySatisfy(row -> assertThat(row).contains(ApiKeys.hash(ownKey)));
            for (String table : List.of("forward_attempt", "request_history", "feed_cursor")) {
                assertThat(rows(connection, "SELECT * FROM " + table)).as(table)
                        .allSatisfy(row -> assertThat(String.join("|", row)).doesNotContain(SECRETS));
            }
            assertThat(rows(connection, "SELECT id, request_id, client_update_id, status, description, media_urls, correlation_id"
                    + " FROM request_update")).allSatisfy(row -> assertThat(String.join("|", row)).doesNotContain(SECRETS));
            List<List<String>> stored = rows(connection, "SELECT email, first_name, last_name, phone FROM service_request WHERE id = '" + id + "'");
            assertThat(stored).containsExactly(List.of(EMAIL, FIRST_NAME, LAST_NAME, PHONE));
            List<List<String>> otherColumns = rows(connection, "SELECT id, service_code, description, title, address_string,"
                    + " attributes, media_urls, status_notes, tasks FROM service_request");
            assertThat(otherColumns).allSatisfy(row -> assertThat(String.join("|", row)).doesNotContain(SECRETS));
        }
    }

    private void scenario() {
        // accepted, forwarded to the CRM and (public works) to Aspa, in both formats and as multipart with a photo,
        // the multipart one as FixMyStreet sends it: its photo in photo1, an attribute the service does not define
        // (extra data for the CRM, never shown)
        String publicWorks = postWithContactData("json");
        String xml = postWithContactData("xml");
        HttpAnswer multipart = postMultipart("/v1/requests.json", List.of(field("api_key", API_KEY),
                field("service_code", "171"), field("description", "Kuoppa pyörätiellä, kuva liitteenä"),
                field("lat", "60.17"), field("long", "24.94"), field("attribute[size]", "large"),
                field("attribute[uprn]", "uprn" + UNIQUE),
                field("email", EMAIL), field("first_name", FIRST_NAME), field("last_name", LAST_NAME), field("phone", PHONE),
                file("photo1", FIRST_NAME + ".png", PNG)));
        keep(multipart);
        assertThat(multipart.status()).as(multipart.body()).isEqualTo(200);
        String fromFixMyStreet = multipart.json().get(0).path("service_request_id").asText();
        await().atMost(WAIT).until(() -> crm().caseByReference(publicWorks).isPresent()
                && aspa().recordByReference(publicWorks).isPresent() && crm().caseByReference(xml).isPresent());
        assertThat(crm().caseByReference(publicWorks).orElseThrow().toString()).contains(EMAIL);

        // a failing CRM: forwarding retries and logs, with contact data in every body it sends
        crm().faults("error", 0);
        String duringOutage = postWithContactData("json");
        await().atMost(WAIT).until(() -> crmAttempts(duringOutage) >= 2);
        crm().faults("garbage", 0);
        await().atMost(WAIT).until(() -> crmAttempts(duringOutage) >= 3);
        crm().faults("none", 0);
        await().atMost(WAIT).until(() -> crm().caseByReference(duringOutage).isPresent());

        // read back every way a client can
        for (String id : List.of(publicWorks, xml, duringOutage, fromFixMyStreet)) {
            for (String format : List.of("json", "xml")) {
                keep(get("/v1/requests/" + id + "." + format + "?extensions=true"));
                keep(get("/v1/requests." + format + "?service_request_id=" + id + "&extensions=true"));
            }
        }
        keep(get("/v1/requests.json?extensions=true"));

        // the update feed, once staff have published a request and moved it: it lists the request, not its contact data
        String caseId = crm().caseByReference(publicWorks).orElseThrow().path("case_id").asText();
        crm().publish(caseId, true);
        crm().moveState(caseId, "IN_PROCESS");
        await().atMost(WAIT).until(() -> get("/v1/servicerequestupdates.json").body().contains(publicWorks));
        for (String format : List.of("json", "xml")) {
            HttpAnswer updates = keep(get("/v1/servicerequestupdates." + format + "?jurisdiction_id=helsinki&api_key=" + API_KEY));
            assertThat(updates.body()).contains(publicWorks);
        }
        keep(get("/v1/servicerequestupdates.json?start_date=" + EMAIL));

        // a resident's update with contact data, in both formats, forwarded to the CRM; and refused ones
        for (String format : List.of("json", "xml")) {
            keep(postForm("/v1/servicerequestupdates." + format, "api_key", API_KEY, "service_request_id", publicWorks,
                    "update_id", "privacy-" + format, "status", "REOPEN", "updated_datetime", "2026-11-29T10:00:00Z",
                    "description", "Yhä rikki", "email", EMAIL, "first_name", FIRST_NAME, "last_name", LAST_NAME, "phone", PHONE));
        }
        await().atMost(WAIT).until(() -> crm().residentUpdates().stream().filter(u -> u.toString().contains(EMAIL)).count() == 2);
        keep(postForm("/v1/servicerequestupdates.json", "api_key", API_KEY, "service_request_id", publicWorks,
                "update_id", FIRST_NAME, "status", EMAIL, "description", "<i>" + LAST_NAME + "</i>", "email", "not an email " + EMAIL,
                "phone", PHONE + "\u0007"));
        keep(postForm("/v1/servicerequestupdates.xml", "api_key", API_KEY + "-revoked", "email", EMAIL));

        // errors provoked with the contact data and the key
        keep(postForm("/v1/requests.json", validForm("email", "not an email " + EMAIL)));
        keep(postForm("/v1/requests.xml", validForm("first_name", FIRST_NAME + "x".repeat(200), "phone", PHONE + "\u0007")));
        keep(postForm("/v1/requests.json", validForm("description", "<b>" + LAST_NAME + "</b>", "lat", PHONE)));
        keep(postForm("/v1/requests.json", validForm("service_code", "999999")));
        keep(postForm("/v1/requests.json", validForm("api_key", API_KEY + "-revoked")));
        keep(postForm("/v1/requests.json", validForm("attribute[size]", FIRST_NAME)));
        keep(postForm("/v1/requests.json?api_key=" + API_KEY + "&email=" + EMAIL, "service_code", "171"));
        keep(send(HttpRequest.newBuilder(uri("/v1/requests.json")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + API_KEY + "\",\"email\":\"" + EMAIL + "\"}")).build()));
        keep(send(HttpRequest.newBuilder(uri("/v1/backend/crm/notifications")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + EMAIL + "\"}")).build()));
        // over the key's rate limit: the 429 names the limit, never the key
        HttpAnswer refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            HttpAnswer answer = keep(postForm("/v1/requests.json", validForm("lat", "999")));
            refused = answer.status() == 429 ? answer : null;
        }
        assertThat(refused).isNotNull();
        assertThat(answers).extracting(HttpAnswer::status).contains(400, 403, 404, 415, 401, 429);
    }

    /**
     * The paths that use each secret setting, right and wrong: the demo key posts, signed pushes from
     * both back ends (and a forged one), the admin API with its token (and a wrong one). The back-end
     * credentials were used by the forwarding and feed polling of the scenario; the database password at the start.
     */
    private void useEverySecret() throws Exception {
        HttpAnswer demo = keep(postForm("/v1/requests.json", validForm("api_key", SECRET_SETTINGS.get("gateway.api-keys.demo"))));
        assertThat(demo.status()).as(demo.body()).isEqualTo(200);
        String id = demo.json().get(0).path("service_request_id").asText();
        await().atMost(WAIT).until(() -> crm().caseByReference(id).isPresent() && aspa().recordByReference(id).isPresent());

        String crmCase = crm().caseByReference(id).orElseThrow().toString();
        assertThat(keep(push("crm", crmCase, SECRET_SETTINGS.get("gateway.backend.crm.notification-secret"))).status()).isEqualTo(204);
        String workOrder = aspa().recordByReference(id).orElseThrow().toString();
        assertThat(keep(push("aspa", workOrder, SECRET_SETTINGS.get("gateway.backend.aspa.notification-secret"))).status()).isEqualTo(204);
        assertThat(keep(push("crm", crmCase, "not-the-secret")).status()).isEqualTo(401);

        String adminToken = SECRET_SETTINGS.get("gateway.admin.token");
        assertThat(keep(get("/admin/dead-letters", "Authorization", "Bearer " + adminToken)).status()).isEqualTo(200);
        assertThat(keep(send(HttpRequest.newBuilder(uri("/admin/requests/" + id + "/resync"))
                .header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody()).build())).status())
                .isEqualTo(200);
        assertThat(keep(get("/admin/dead-letters", "Authorization", "Bearer " + adminToken + "x")).status()).isEqualTo(401);
    }

    private HttpAnswer push(String backend, String change, String secret) {
        return send(HttpRequest.newBuilder(uri("/v1/backend/" + backend + "/notifications"))
                .header("Content-Type", "application/json")
                .header("X-Signature", "sha256=" + Notifications.sign(secret, change.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(change)).build());
    }

    /** Whether a text holds contact data, the API key, or the value of a secret setting. */
    private static boolean leaks(String text) {
        return Stream.concat(SECRETS.stream(), Stream.concat(CONFIGURED_SECRETS.stream(), Stream.of(SECRET))).anyMatch(text::contains);
    }

    /** A copy of the events so far: a background thread may still be inside the appender (doAppend holds its lock). */
    private List<ILoggingEvent> capturedEvents() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    private String postWithContactData(String format) {
        HttpAnswer answer = keep(postForm("/v1/requests." + format, validForm()));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return format.equals("json") ? answer.json().get(0).path("service_request_id").asText()
                : answer.xpath("/service_requests/request/service_request_id").get(0);
    }

    /** A valid public-works post with all four contact fields; pairs given replace or add fields. */
    private static String[] validForm(String... replacements) {
        List<String> form = new ArrayList<>(List.of("api_key", API_KEY, "service_code", "171",
                "description", "Syvä kuoppa pyörätiellä Hämeentiellä", "lat", "60.1841", "long", "24.9519",
                "attribute[size]", "small", "email", EMAIL, "first_name", FIRST_NAME, "last_name", LAST_NAME, "phone", PHONE));
        for (int i = 0; i < replacements.length; i += 2) {
            int at = form.indexOf(replacements[i]);
            if (at >= 0 && at % 2 == 0) {
                form.set(at + 1, replacements[i + 1]);
            } else {
                form.addAll(List.of(replacements[i], replacements[i + 1]));
            }
        }
        return form.toArray(String[]::new);
    }

    private HttpAnswer keep(HttpAnswer answer) {
        answers.add(answer);
        return answer;
    }

    private int crmAttempts(String id) throws Exception {
        try (Connection connection = store().getConnection();
             var select = connection.prepareStatement("SELECT COUNT(*) FROM forward_attempt WHERE request_id = ? AND backend = 'crm'")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static List<List<String>> rows(Connection connection, String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = connection.createStatement().executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(result.getObject(i)).trim());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Everything a log line carries: message, arguments, MDC, key-value pairs, and the whole exception chain with its stack. */
    private static String text(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage()).append(' ')
                .append(Arrays.toString(event.getArgumentArray())).append(' ')
                .append(event.getMDCPropertyMap()).append(' ')
                .append(event.getKeyValuePairs());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append(' ').append(cause.getClassName()).append(": ").append(cause.getMessage());
            for (StackTraceElementProxy frame : cause.getStackTraceElementProxyArray()) {
                text.append(' ').append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }

    private DataSource store() {
        return context.getRegistry().lookupByNameAndType("store", DataSource.class);
    }

    private CrmSimulator crm() {
        return context.getRegistry().lookupByNameAndType("crmSimulator", CrmSimulator.class);
    }

    private AspaSimulator aspa() {
        return context.getRegistry().lookupByNameAndType("aspaSimulator", AspaSimulator.class);
    }
}

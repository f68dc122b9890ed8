package org.open311.gateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.open311.gateway.GatewayTestSupport;
import org.open311.gateway.HttpAnswer;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain input at and past the documented limits, over real HTTP: each value the API accepts fits its
 * column, each it refuses is a 400 in the error shape, and none is a 500 with a stack trace in the log.
 */
abstract class InputLimitsHttpTest extends GatewayTestSupport {

    static final String KEY = "input-limits-key";
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @Override
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("gateway.api-keys.demo", KEY);
        return settings;
    }

    @BeforeEach
    void watchTheLog() {
        log.list.clear();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void stopWatching() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    private static List<String> valid(String... more) {
        List<String> form = new ArrayList<>(List.of("api_key", KEY, "service_code", "171",
                "description", "Syvä kuoppa pyörätiellä", "lat", "60.17", "long", "24.94", "attribute[size]", "small"));
        form.addAll(List.of(more));
        return form;
    }

    @Test
    void aLocaleOverSixteenCharactersIs400NamingItAndNothingIsStored() throws Exception {
        int before = stored();
        HttpAnswer json = postForm("/v1/requests.json", valid("locale", "fi_FI_" + "x".repeat(11)).toArray(String[]::new));
        HttpAnswer xml = postForm("/v1/requests.xml?locale=" + "sv".repeat(9), valid().toArray(String[]::new));

        assertThat(json.status()).as(json.body()).isEqualTo(400);
        assertThat(json.jsonField("description")).containsExactly("locale: at most 16 characters");
        assertThat(xml.status()).as(xml.body()).isEqualTo(400);
        assertThat(xml.xpath("/errors/error/description")).containsExactly("locale: at most 16 characters");
        assertThat(stored()).isEqualTo(before);
        assertNoErrorLogged();
    }

    @Test
    void tenMediaUrlsOfTheMaximumLengthAreAcceptedAndKept() throws Exception {
        List<String> urls = new ArrayList<>();
        List<String> form = valid();
        for (int i = 0; i < 10; i++) {
            String start = "https://example.org/" + i + "/";
            String url = start + "p".repeat(2000 - start.length() - 4) + ".jpg";
            urls.add(url);
            form.addAll(List.of("media_url", url));
        }
        HttpAnswer posted = postForm("/v1/requests.json", form.toArray(String[]::new));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        HttpAnswer read = get("/v1/requests/" + id + ".xml?extensions=true");
        assertThat(read.xpath("/service_requests/request/extended_attributes/media_urls/media_url")).isEqualTo(urls);
        assertNoErrorLogged();
    }

    @Test
    void textsAtTheirLimitInEmojiAreKeptWholeOnEitherStore() throws Exception {
        // H2 counts a VARCHAR's length in UTF-16 units, PostgreSQL in code points: 2,500 emoji are 5,000 units
        String description = "\uD83D\uDE00".repeat(2500);
        String title = "\uD83D\uDE00".repeat(100);
        HttpAnswer posted = postForm("/v1/requests.json", valid("title", title).stream()
                .map(v -> v.equals("Syvä kuoppa pyörätiellä") ? description : v).toArray(String[]::new));
        HttpAnswer past = postForm("/v1/requests.xml", valid("title", title + "a").toArray(String[]::new));

        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        String id = posted.json().get(0).path("service_request_id").asText();
        HttpAnswer read = get("/v1/requests/" + id + ".json?extensions=true");
        assertThat(read.json().get(0).path("description").asText()).isEqualTo(description);
        assertThat(read.json().get(0).path("extended_attributes").path("title").asText()).isEqualTo(title);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.xpath("/errors/error/description")).containsExactly("title: at most 200 characters");
        assertNoErrorLogged();
    }

    @Test
    void anEmptyOrMissingMultipartBoundaryIs400InTheErrorShape() throws Exception {
        int before = stored();
        String body = "--\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" + KEY + "\r\n----\r\n";
        for (String contentType : List.of("multipart/form-data; boundary=", "multipart/form-data", "multipart/form-data; boundary=\"\"")) {
            HttpAnswer json = send(HttpRequest.newBuilder(uri("/v1/requests.json")).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            HttpAnswer xml = send(HttpRequest.newBuilder(uri("/v1/requests.xml")).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());

            assertThat(json.status()).as(contentType + ": " + json.body()).isEqualTo(400);
            assertThat(json.jsonField("code")).containsExactly("400");
            assertThat(xml.status()).as(contentType + ": " + xml.body()).isEqualTo(400);
            assertThat(xml.xpath("/errors/error/code")).containsExactly("400");
        }
        assertThat(stored()).isEqualTo(before);
        assertNoErrorLogged();
    }

    private void assertNoErrorLogged() {
        assertThat(captured().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())).isEmpty();
    }

    private int stored() throws Exception {
        DataSource store = context.getRegistry().lookupByNameAndType("store", DataSource.class);
        try (var connection = store.getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM service_request")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A copy of the events so far: a background thread may still be inside the appender (doAppend holds its lock). */
    private List<ILoggingEvent> captured() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }
}

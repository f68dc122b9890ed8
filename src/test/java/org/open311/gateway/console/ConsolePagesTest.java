package org.open311.gateway.console;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's texts exist in both languages, and every value a page shows is escaped for HTML. */
class ConsolePagesTest {

    private final ConsolePages pages = new ConsolePages();

    @Test
    void everyTextHasItsFinnishAndEnglishVersion() throws Exception {
        Properties english = bundle("/console/messages.properties");
        Properties finnish = bundle("/console/messages_fi.properties");
        assertThat(finnish.keySet()).isEqualTo(english.keySet());
        assertThat(pages.text("fi", "navOverview")).isEqualTo("Yleiskuva");
        assertThat(pages.text("en", "navOverview")).isEqualTo("Overview");
        assertThat(pages.text("sv", "navOverview")).as("a language the console lacks: English").isEqualTo("Overview");
    }

    @Test
    void aValueFromTheStoreOrAFileIsShownAsTextNeverAsMarkup() {
        String hostile = "<script>alert(1)</script>\"'&";
        RequestTimeline.Timeline timeline = new RequestTimeline.Timeline(
                new RequestTimeline.Request("abc", hostile, "171", "open", "RECEIVED", true, "2026-11-29 10:00:00Z", ""),
                List.of(new RequestTimeline.Event("2026-11-29 10:00:00Z", "attempt", "crm", "RETRY", hostile, false)),
                List.of(new RequestTimeline.BackendState("crm", "PENDING", 1, "", hostile, "", "", null, "", "")));
        String html = pages.render("requests", "en", Map.of("q", hostile, "timeline", timeline, "csrf", "token",
                "who", "console, admin token 1", "current", "requests"));
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");

        String dead = pages.render("dead-letters", "fi", Map.of("deadLetters", List.of(new org.open311.gateway.store.DeadLetters.DeadLetter(
                        "x\"><b>", "crm", "171", 1, hostile, OffsetDateTime.parse("2026-11-29T10:00:00Z"))), "dismissed", List.of(),
                "done", "", "csrf", "token", "who", "w", "current", "dead-letters"));
        assertThat(dead).doesNotContain("<script>", "x\"><b>").contains("x&quot;&gt;&lt;b&gt;", "Lähetä uudelleen");

        // a resident's update given up on is named beside its request
        String update = pages.render("dead-letters", "en", Map.of("deadLetters", List.of(new org.open311.gateway.store.DeadLetters.DeadLetter(
                        "req1", "crm", "171", 3, "HTTP 500", OffsetDateTime.parse("2026-11-29T10:00:00Z"), "upd1")), "dismissed", List.of(),
                "done", "", "csrf", "token", "who", "w", "current", "dead-letters"));
        assertThat(update).contains("id=\"dead-req1-crm-upd1\"", "a resident&#39;s update <code>upd1</code>");
    }

    private static Properties bundle(String path) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = ConsolePagesTest.class.getResourceAsStream(path)) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }
}

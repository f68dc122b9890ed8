package org.open311.gateway.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (headless chromium), as an operator uses it: log in, see a back end down
 * on the overview, send a dead letter again and watch it leave the list, paste a bad draft of
 * services.yaml and read where it is wrong, find a request by its correlation id and read its timeline.
 * One browser for the class; each test logs in if the browser is not logged in yet.
 */
@ExtendWith(Browser.class)
class ConsoleBrowserTest extends ConsoleTestSupport implements Browser.Driven {

    private static final String TOKEN = "console-browser-admin-token";
    private static final String API_KEY = "console-browser-api-key";
    private ChromeDriver driver;

    @Override
    public WebDriver driver() {
        return driver;
    }

    @Override
    String adminToken() {
        return TOKEN;
    }

    @Override
    String apiKey() {
        return API_KEY;
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("gateway.mappings.dir", "src/test/resources/fixtures/mappings");
        settings.put("gateway.sync.interval-ms", "100");
        return settings;
    }

    @BeforeAll
    void needsTheBrowser() {
        if (!Browser.installed()) {
            if (Browser.required()) {
                throw new AssertionError("chromium and chromium-driver are not installed: .ci/run installs them with apt-get");
            }
            Assumptions.abort("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        }
    }

    /**
     * Opened by the first test, once the gateway is up: its driver takes a free port, which before the start
     * could be one the gateway's simulators were given but had not bound yet.
     */
    @BeforeEach
    void openTheBrowser() {
        if (driver == null) {
            driver = Browser.start(1280, 900);
        }
    }

    @AfterAll
    void closeTheBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void theOverviewShowsABackEndDownAndWhy() {
        // the CRM's simulator refuses the gateway's credential: its feed's next read makes it down, with the reason
        CrmSimulator crm = crm();
        crm.faults("refuse-credentials", 0);
        try {
            logIn();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                driver.get(url("/admin/console"));
                return driver.findElement(By.id("backend-crm")).getAttribute("class").contains("down");
            });
            WebElement row = driver.findElement(By.id("backend-crm"));
            assertThat(row.getText()).contains("down", "credentials refused (HTTP 401)", "gateway.backend.crm");
            assertThat(driver.findElement(By.id("backend-aspa")).getText()).contains("up");
            assertThat(driver.findElement(By.id("mapping-version")).getText()).isNotBlank();
            assertThat(driver.findElement(By.id("instances")).getText()).contains("this one");
            assertThat(driver.findElements(By.cssSelector("#chart-accepted title"))).isNotEmpty();
        } finally {
            crm.faults("none", 0);
        }
    }

    @Test
    void aDeadLetterSentAgainLeavesTheList() throws Exception {
        String dead = deadLetter("200");
        logIn();
        driver.get(url("/admin/console/dead-letters"));
        WebElement row = driver.findElement(By.id("dead-" + dead + "-crm"));
        assertThat(row.getText()).contains(dead, "HTTP 500");
        row.findElement(By.cssSelector("button.retry")).click();
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("done")).isEmpty());
        assertThat(driver.findElement(By.id("done")).getText()).contains("Scheduled again");
        assertThat(driver.findElements(By.id("dead-" + dead + "-crm"))).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> crm().caseByReference(dead).isPresent());
        assertThat(deadLetterIds()).doesNotContain(dead);
    }

    @Test
    void aBadDraftIsRefusedWithItsLineAndColumn() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("src/test/resources/fixtures/mappings/services.yaml")));
        int line = 0;
        while (!lines.get(line).contains("routing: {crm_category: CLEANING}")) {
            line++;
        }
        lines.set(line, lines.get(line).replace("routing: {crm_category: CLEANING}", "routing: {crm_category: [CLEANING]}"));
        logIn();
        driver.get(url("/admin/console/catalogue"));
        WebElement draft = driver.findElement(By.id("draft"));
        // a whole file typed key by key would take long: set as a paste would, then the form is sent by its button
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", draft, String.join("\n", lines));
        driver.findElement(By.id("check-draft")).click();
        WebElement problems = wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("draft-problems")));
        assertThat(problems.getText()).startsWith("services.yaml:" + (line + 1) + ":").contains("crm_category");
        assertThat(driver.findElement(By.id("draft")).getAttribute("value")).contains("[CLEANING]");
    }

    @Test
    void aRequestFoundByItsCorrelationIdShowsItsTimeline() {
        String correlation = "browser-" + UUID.randomUUID();
        HttpAnswer posted = postForm("/v1/requests.json", Map.of("X-Correlation-Id", correlation), "api_key", API_KEY,
                "service_code", "100", "description", "Kuoppa tiessä", "lat", "60.17", "long", "24.94", "attribute[size]", "large",
                "email", "resident@example.org");
        String id = posted.json().get(0).path("service_request_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> crm().caseByReference(id).isPresent());
        logIn();
        driver.get(url("/admin/console/requests"));
        WebElement search = driver.findElement(By.id("q"));
        search.sendKeys(correlation);
        driver.findElement(By.id("find")).click();
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("request")).isEmpty());
        assertThat(driver.findElement(By.id("request-heading")).getText()).contains(id);
        String timeline = driver.findElement(By.id("timeline")).getText();
        assertThat(timeline).contains("accepted", "forwarding attempt", "crm", "SENT");
        assertThat(driver.findElement(By.id("backend-states")).getText()).contains("crm", "SENT");
        assertThat(driver.getPageSource()).doesNotContain("resident@example.org");
    }

    /** Logs in through the form unless the browser's session is still live. */
    private void logIn() {
        driver.get(url("/admin/console"));
        if (driver.getCurrentUrl().contains("/login")) {
            driver.findElement(By.id("token")).sendKeys(TOKEN);
            driver.findElement(By.id("login")).click();
            wait(Duration.ofSeconds(10)).until(d -> !d.getCurrentUrl().contains("/login"));
        }
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
    }

    private WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    private String url(String path) {
        return "http://localhost:" + port() + path;
    }
}

package org.open311.gateway.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.open311.gateway.HttpAnswer;
import org.open311.gateway.simulator.CrmSimulator;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Not a test: the tool that takes the screenshots of docs/admin.md from the real pages of an embedded
 * gateway with the real mappings, a CRM refusing the gateway's credentials and a dead letter. Run it when
 * the pages change: {@code mvn -o -q test -Dtest=ConsoleScreenshots} (surefire runs it only when named).
 */
class ConsoleScreenshots extends ConsoleTestSupport {

    private static final String TOKEN = "console-screenshots-token";
    private static final String API_KEY = "console-screenshots-key";
    private static final Path DOCS = Path.of("docs");
    private ChromeDriver driver;

    @Override
    String adminToken() {
        return TOKEN;
    }

    @Override
    String apiKey() {
        return API_KEY;
    }

    @AfterAll
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void takeTheScreenshotsOfTheDocs() throws Exception {
        Assumptions.assumeTrue(Browser.installed(), "chromium and chromium-driver");
        String correlation = "app-7f3c9e21";
        String id = post("171", correlation);
        CrmSimulator crm = crm();
        await().atMost(Duration.ofSeconds(20)).until(() -> crm.caseByReference(id).isPresent());
        crm.moveState(crm.caseByReference(id).orElseThrow().path("case_id").asText(), "IN_PROCESS");
        for (int i = 0; i < 6; i++) {
            post(i % 2 == 0 ? "172" : "171", "app-" + i);
        }
        deadLetter("172");
        crm.faults("refuse-credentials", 0);
        post("171", "app-later");
        Thread.sleep(1500);

        driver = Browser.start(1280, 1000);
        driver.get(url("/admin/console/login"));
        shoot("console-login");
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        driver.findElement(By.id("login")).click();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            driver.get(url("/admin/console"));
            return driver.findElement(By.id("backend-crm")).getText().contains("401");
        });
        shoot("console-overview");
        driver.get(url("/admin/console/dead-letters"));
        shoot("console-dead-letters");
        driver.get(url("/admin/console/requests?q=" + correlation));
        shoot("console-request-timeline");
        driver.get(url("/admin/console/catalogue"));
        String draft = Files.readString(Path.of("mappings/services.yaml")).replaceFirst("crm_category: STREET_MAINTENANCE", "crm_category: [STREET_MAINTENANCE]");
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", driver.findElement(By.id("draft")), draft);
        driver.findElement(By.id("check-draft")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("draft-problems")).isEmpty());
        ((JavascriptExecutor) driver).executeScript("document.getElementById('draft-heading').scrollIntoView();");
        shoot("console-draft-check");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        driver.findElement(By.cssSelector("form[action='/admin/console/language'] button")).click();
        driver.get(url("/admin/console"));
        shoot("console-phone-fi");
        crm.faults("none", 0);
    }

    private void shoot(String name) throws Exception {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), DOCS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String post(String serviceCode, String correlation) {
        HttpAnswer posted = postForm("/v1/requests.json", Map.of("X-Correlation-Id", correlation), "api_key", API_KEY,
                "service_code", serviceCode, "description", "Kuoppa Mannerheimintiellä", "lat", "60.1699", "long", "24.9384",
                "email", "resident@example.org");
        return posted.json().get(0).path("service_request_id").asText();
    }

    private String url(String path) {
        return "http://localhost:" + port() + path;
    }
}

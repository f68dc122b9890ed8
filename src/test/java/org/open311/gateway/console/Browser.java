package org.open311.gateway.console;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Debian's headless chromium driven through its chromium-driver (.ci/run installs both): never a browser
 * Selenium would download. Without them a run outside CI skips the browser tests; CI fails instead. A
 * failed test leaves a screenshot of the page under target/console-screenshots/.
 */
final class Browser implements TestWatcher {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** A test class with a browser open. */
    interface Driven {
        WebDriver driver();
    }

    static boolean installed() {
        return Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    }

    /** Outside CI a machine without chromium skips; under CI (CI=true) the missing install is a failure. */
    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Headless, a laptop's window (or a phone's, for the screenshots of docs/admin.md). */
    static ChromeDriver start(int width, int height) {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=" + width + "," + height, "--lang=en", "--disable-extensions", "--no-first-run");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return driver;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Optional<Object> test = context.getTestInstance();
        if (test.isPresent() && test.get() instanceof Driven driven && driven.driver() instanceof TakesScreenshot camera) {
            try {
                Files.createDirectories(SCREENSHOTS);
                File shot = camera.getScreenshotAs(OutputType.FILE);
                Path target = SCREENSHOTS.resolve(context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getRequiredTestMethod().getName() + ".png");
                Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.err.println("Screenshot of the failed test: " + target.toAbsolutePath());
            } catch (Exception e) {
                System.err.println("No screenshot of the failed test: " + e);
            }
        }
    }
}

package dev.gatehouse.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium through its chromedriver; Selenium Manager never downloads anything. */
final class Browser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** A fresh browser; the test is skipped where Chromium is not installed (.ci/run installs it). */
    static ChromeDriver start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Debian's chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    /**
     * Clicks what navigates (a link, a submit button) and waits until the next page has replaced
     * this one, so the test never reads the old page on a busy machine.
     */
    static void clickAndWait(ChromeDriver driver, By target) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(target).click();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // Chromium reports a replaced document either as a stale element or as a node that no longer
        // belongs to the document; both mean the navigation happened.
        wait.until(d -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }
}

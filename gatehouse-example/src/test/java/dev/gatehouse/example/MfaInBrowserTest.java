package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.totp.Totp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Two-factor as a person does it, in headless Chromium against the demo app: set up an
 * authenticator from the page (QR code and key shown), log out, log in with the password and a
 * code computed from the key shown; make recovery codes, and sign in with one of them through
 * the rescue form.
 */
class MfaInBrowserTest {
    private static MailCapture mail;
    private static DemoApp app;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Path data = Files.createTempDirectory("gatehouse-mfa-browser");
        Map<String, String> env = new HashMap<>(mail.settings());
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("SECURITY_TWO_FACTOR", "true");
        env.put("SECURITY_TWO_FACTOR_ENABLED_METHODS", "authenticator,email");
        env.put("SECURITY_TOTP_ISSUER", "Gatehouse Demo");
        env.put("SECURITY_TOTP_SECRETS", "{\"1\":\"browser-test-totp-secret-0123456789\"}");
        env.put("SECURITY_MULTI_FACTOR_RECOVERY_CODES", "true");
        app = DemoApp.start(env);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (mail != null) {
            mail.close();
        }
    }

    private static void type(ChromeDriver b, String id, String text) {
        b.findElement(By.id(id)).clear();
        b.findElement(By.id(id)).sendKeys(text);
    }

    private static void logOut(ChromeDriver b) {
        Browser.clickAndWait(b, By.cssSelector("form[action='/logout'] button"));
        // Wait for the answer of the form before going anywhere else.
        b.findElement(By.linkText("Log in"));
    }

    private static void logIn(ChromeDriver b) {
        b.get(base + "/login");
        type(b, "email", "user@example.com");
        type(b, "password", "UserPassw0rd!");
        Browser.clickAndWait(b, By.id("submit"));
    }

    @Test
    void setUpAnAuthenticatorThenSignInWithItAndWithARecoveryCode() {
        ChromeDriver b = Browser.start();
        try {
            logIn(b);
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo("user@example.com");
            Browser.clickAndWait(b, By.linkText("Two-factor authentication"));
            b.findElement(By.id("setup-authenticator")).click();
            Browser.clickAndWait(b, By.id("submit"));

            WebElement qr = b.findElement(By.id("qrcode"));
            assertThat(qr.getAttribute("src")).startsWith("data:image/svg+xml;base64,");
            Object width = b.executeScript("return arguments[0].naturalWidth;", qr);
            assertThat(((Number) width).intValue()).as("the QR code image loads").isPositive();
            assertThat(b.findElement(By.id("authr-issuer")).getText()).isEqualTo("Gatehouse Demo");
            final Totp key = Totp.fromBase32(b.findElement(By.id("authr-key")).getText());
            type(b, "code", "000000");
            Browser.clickAndWait(b, By.id("submit-code"));
            assertThat(b.getPageSource()).contains("Invalid code");
            type(b, "code", key.codeAt(Instant.now()));
            Browser.clickAndWait(b, By.id("submit-code"));
            assertThat(b.findElement(By.id("current-method")).getText()).contains("authenticator");

            b.get(base + "/");
            Browser.clickAndWait(b, By.linkText("Recovery codes"));
            Browser.clickAndWait(b, By.id("generate_new_codes"));
            List<String> codes = b.findElements(By.cssSelector("#recovery-codes code")).stream().map(WebElement::getText).toList();
            assertThat(codes).hasSize(5).allMatch(c -> c.matches("[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"));

            b.get(base + "/");
            logOut(b);
            logIn(b);
            b.findElement(By.cssSelector("form[name='two_factor_verify_code_form']"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/tf-validate");
            // The setup code's step is used up; the next step's code is within the window.
            type(b, "code", key.codeAt(Instant.now().plusSeconds(30)));
            Browser.clickAndWait(b, By.id("submit-code"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo("user@example.com");

            logOut(b);
            logIn(b);
            b.findElement(By.id("help_setup-recovery_code")).click();
            Browser.clickAndWait(b, By.id("rescue"));
            b.findElement(By.cssSelector("form[name='mf_recovery_form']"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/mf-recovery");
            type(b, "code", codes.get(0));
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo("user@example.com");
        } finally {
            b.quit();
        }
    }
}

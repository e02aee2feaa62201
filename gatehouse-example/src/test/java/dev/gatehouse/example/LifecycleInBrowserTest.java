package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.MailCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The account lifecycle as a person does it, in headless Chromium against the demo app, with the
 * mails received on a real SMTP server: register, confirm by the mailed link, log in, change
 * the password, forget it, reset it by the mailed link, log in with the new one; and change the
 * email by the link mailed to the new address, pick a username, forget it and get it by mail.
 */
class LifecycleInBrowserTest {
    private static MailCapture mail;
    private static DemoApp app;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Path data = Files.createTempDirectory("gatehouse-lifecycle");
        Map<String, String> env = new HashMap<>(mail.settings());
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("SECURITY_REGISTERABLE", "true");
        env.put("SECURITY_CONFIRMABLE", "true");
        env.put("SECURITY_RECOVERABLE", "true");
        env.put("SECURITY_CHANGEABLE", "true");
        env.put("SECURITY_CHANGE_EMAIL", "true");
        env.put("SECURITY_USERNAME_ENABLE", "true");
        env.put("SECURITY_CHANGE_USERNAME", "true");
        env.put("SECURITY_USERNAME_RECOVERY", "true");
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

    @Test
    void registerConfirmLoginChangeForgetReset() {
        String email = "browser-user@example.com";
        ChromeDriver b = Browser.start();
        try {
            b.get(base + "/");
            Browser.clickAndWait(b, By.linkText("Register"));
            type(b, "email", email);
            type(b, "password", "Browser-Passw0rd-1");
            type(b, "password_confirm", "Browser-Passw0rd-2");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("password_confirm-error")).getText()).contains("Passwords do not match");
            assertThat(b.findElement(By.id("password_confirm")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(b.findElement(By.id("email")).getAttribute("value")).isEqualTo(email);
            type(b, "password", "Browser-Passw0rd-1");
            type(b, "password_confirm", "Browser-Passw0rd-1");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/");

            // Not confirmed yet: the login says so once the password is right.
            b.get(base + "/login");
            type(b, "email", email);
            type(b, "password", "Browser-Passw0rd-1");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getPageSource()).contains("Email requires confirmation.");

            b.get(base + mail.await(email, 1).get(0).linkPath("/confirm/"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/login");
            assertThat(b.getPageSource()).contains("Thank you. Your email has been confirmed.");
            type(b, "email", email);
            type(b, "password", "Browser-Passw0rd-1");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo(email);

            Browser.clickAndWait(b, By.linkText("Change password"));
            type(b, "password", "Browser-Passw0rd-1");
            type(b, "new_password", "Browser-Passw0rd-2");
            type(b, "new_password_confirm", "Browser-Passw0rd-2");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).as("still signed in").isEqualTo(email);
            assertThat(mail.await(email, 2).get(1).subject()).isEqualTo("Your password has been changed");

            Browser.clickAndWait(b, By.cssSelector("form[action='/logout'] button"));
            b.get(base + "/");
            Browser.clickAndWait(b, By.linkText("Forgot password"));
            type(b, "email", email);
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getPageSource()).contains("Instructions to reset your password have been sent to " + email);

            b.get(base + mail.await(email, 3).get(2).linkPath("/reset/"));
            type(b, "password", "Browser-Passw0rd-3");
            type(b, "password_confirm", "Browser-Passw0rd-3");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/login");
            assertThat(b.getPageSource()).contains("You successfully reset your password");
            type(b, "email", email);
            type(b, "password", "Browser-Passw0rd-3");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo(email);
            assertThat(mail.await(email, 4).get(3).subject()).isEqualTo("Your password has been reset");
        } finally {
            b.quit();
        }
    }

    @Test
    void changeEmailAndUsernameThenRecoverTheUsername() {
        String moved = "relocated@example.org";
        // The mail capture matches addresses by substring: browser-user@… counts as user@… too.
        int before = mail.mailsTo("user@example.com").size();
        ChromeDriver b = Browser.start();
        try {
            b.get(base + "/login");
            type(b, "email", "user@example.com");
            type(b, "password", "UserPassw0rd!");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo("user@example.com");

            Browser.clickAndWait(b, By.linkText("Change email"));
            assertThat(b.findElement(By.id("current-email")).getText()).isEqualTo("user@example.com");
            type(b, "email", moved);
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getPageSource()).contains("Instructions to confirm your new email address have been sent to " + moved);
            b.get(base + mail.await(moved, 1).get(0).linkPath("/change-email/"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/");
            assertThat(b.findElement(By.id("who")).getText()).as("still signed in, as the new address").isEqualTo(moved);
            assertThat(mail.await("user@example.com", before + 1).get(before).subject()).isEqualTo("Your email address has been changed");

            Browser.clickAndWait(b, By.linkText("Change username"));
            type(b, "username", "Browser2000");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/");
            assertThat(mail.await(moved, 2).get(1).subject()).isEqualTo("Your username has been changed");

            Browser.clickAndWait(b, By.cssSelector("form[action='/logout'] button"));
            b.get(base + "/login");
            Browser.clickAndWait(b, By.linkText("Recover Username"));
            type(b, "email", moved);
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.getCurrentUrl()).isEqualTo(base + "/login");
            assertThat(b.getPageSource()).contains("If registered, your username will be sent to your email.");
            assertThat(mail.await(moved, 3).get(2).text()).contains("Your username is: Browser2000");
            type(b, "username", "browser2000");
            type(b, "password", "UserPassw0rd!");
            Browser.clickAndWait(b, By.id("submit"));
            assertThat(b.findElement(By.id("who")).getText()).isEqualTo(moved);
        } finally {
            b.quit();
        }
    }
}

package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.password.BreachedPasswords;
import dev.gatehouse.testkit.BreachedPasswordsServer;
import dev.gatehouse.testkit.MailCapture;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * zxcvbn and the strict breached-password check on register, change and reset, against a local
 * stand-in for the Pwned Passwords range API.
 */
class PasswordStrengthOverHttpTest {
    static final AtomicInteger SEQ = new AtomicInteger();
    static final String BREACHED = "Summer-Holiday-2019!";
    static MailCapture mail;
    static BreachedPasswordsServer pwned;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        pwned = BreachedPasswordsServer.start().breach(BREACHED, 7);
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(pwned.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_REGISTERABLE", "true",
                "SECURITY_RECOVERABLE", "true",
                "SECURITY_CHANGEABLE", "true",
                "SECURITY_USERNAME_ENABLE", "true",
                "SECURITY_PASSWORD_COMPLEXITY_CHECKER", "zxcvbn",
                "SECURITY_PASSWORD_CHECK_BREACHED", "strict"));
        server = new TestServer(settings, new TestClock(Instant.parse("2026-11-25T12:00:00Z")), b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        pwned.close();
        mail.close();
    }

    private static Map<String, Object> registration(String email, String username, String pw) {
        Map<String, Object> m = new HashMap<>(Map.of("email", email, "password", pw, "password_confirm", pw));
        if (username != null) {
            m.put("username", username);
        }
        return m;
    }

    private static String email(String tag) {
        return tag + "-" + SEQ.incrementAndGet() + "@example.com";
    }

    @Test
    void registrationRefusesBreachedAndGuessablePasswords() {
        Client c = new Client(server.base);
        int asked = pwned.prefixesAsked().size();
        assertError(c.postJson("/register", registration(email("breach"), null, BREACHED)), 400, "password",
                "Password on breached list");
        assertThat(pwned.prefixesAsked()).hasSize(asked + 1)
                .last().isEqualTo(BreachedPasswords.sha1Hex(BREACHED).substring(0, 5));
        assertError(c.postJson("/register", registration(email("weak"), null, "Password1")), 400, "password",
                "This is a very common password.");
        assertError(c.postJson("/register", registration(email("zorblax"), "zorblax", "zorblax2024")), 400, "password",
                "Password not complex enough");
        // Too short is reported before anything leaves the machine.
        int before = pwned.prefixesAsked().size();
        assertError(c.postJson("/register", registration(email("short"), null, "Ab1!")), 400, "password",
                "Password must be at least 8 characters");
        assertThat(pwned.prefixesAsked()).hasSize(before);
        assertOk(c.postJson("/register", registration(email("good"), "zorblax" + SEQ.incrementAndGet(), "xq-zorblax-7-Lantern")));
    }

    @Test
    void strictRefusesWhileTheServiceIsDown() {
        Client c = new Client(server.base);
        pwned.failWith(503);
        try {
            assertError(c.postJson("/register", registration(email("down"), null, "Quiet-Lantern-Orbit-9")), 400, "password",
                    "Failed to contact breached passwords site");
        } finally {
            pwned.failWith(0);
        }
        assertOk(c.postJson("/register", registration(email("up"), null, "Quiet-Lantern-Orbit-9")));
    }

    @Test
    void changeAndResetApplyTheSameRules() {
        String email = email("change");
        server.createUser(email, "Start-Lantern-Orbit-1", true, null);
        String tok = assertOk(new Client(server.base).postJson("/login?include_auth_token", Map.of("email", email, "password", "Start-Lantern-Orbit-1")))
                .path("user").path("authentication_token").asString();
        String[] h = {"Authentication-Token", tok};
        Client c = new Client(server.base);
        assertError(c.postJson("/change", Map.of("password", "Start-Lantern-Orbit-1", "new_password", BREACHED,
                "new_password_confirm", BREACHED), h), 400, "new_password", "Password on breached list");
        assertError(c.postJson("/change", Map.of("password", "Start-Lantern-Orbit-1", "new_password", "qwertyuiop",
                "new_password_confirm", "qwertyuiop"), h), 400, "new_password", "This is a top-100 common password.");

        assertOk(new Client(server.base).postJson("/reset", Map.of("email", email)));
        String path = mail.await(email, 1).get(0).linkPath("/reset/");
        assertError(new Client(server.base).postJson(path, Map.of("password", BREACHED, "password_confirm", BREACHED)),
                400, "password", "Password on breached list");
        assertOk(new Client(server.base).postJson(path, Map.of("password", "Reset-Lantern-Orbit-2",
                "password_confirm", "Reset-Lantern-Orbit-2")));
    }
}

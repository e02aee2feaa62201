package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.register.RegistrationHook;
import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.web.FieldErrors;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The lifecycle under other configurations: no confirmation, usernames, SPA redirects, a mail server that is down. */
class LifecycleOptionsOverHttpTest {
    private static TestServer server(MailCapture mail, Map<String, String> more, RegistrationHook hook) throws Exception {
        Map<String, String> settings = new HashMap<>(mail == null ? Map.of() : mail.settings());
        settings.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        settings.putAll(more);
        return new TestServer(settings, new TestClock(Instant.parse("2026-11-25T12:00:00Z")),
                b -> hook == null ? b : b.registrationHook(hook));
    }

    @Test
    void withoutConfirmationRegistrationLogsInAndTheHookStoresExtraFields() throws Exception {
        Map<String, String> profiles = new ConcurrentHashMap<>();
        RegistrationHook hook = new RegistrationHook() {
            @Override
            public void validate(Map<String, String> fields, FieldErrors errors) {
                if (fields.getOrDefault("display_name", "").isBlank()) {
                    errors.add("display_name", "Please tell us your name");
                }
            }

            @Override
            public void registered(dev.gatehouse.account.User user, Map<String, String> fields) {
                profiles.put(user.email(), fields.get("display_name"));
            }
        };
        try (MailCapture mail = MailCapture.start();
             TestServer s = server(mail, Map.of("SECURITY_REGISTERABLE", "true", "SECURITY_USERNAME_ENABLE", "true",
                     "SECURITY_USERNAME_REQUIRED", "true"), hook)) {
            Client c = new Client(s.base);
            Map<String, Object> body = new HashMap<>(Map.of("email", "auto@example.com", "username", "Zoë2000",
                    "password", "Auto-Passw0rd-1", "password_confirm", "Auto-Passw0rd-1"));
            assertError(c.postJson("/register", body), 400, "display_name", "Please tell us your name");
            body.put("display_name", "Zoë");
            JsonNode r = assertOk(c.postJson("/register?include_auth_token", body));
            assertThat(r.path("tf_required").isBoolean() && !r.path("tf_required").asBoolean()).isTrue();
            String token = r.path("user").path("authentication_token").asString();
            assertThat(token).isNotBlank();
            assertThat(c.get("/api/me").status()).as("logged in by the session").isEqualTo(200);
            assertThat(new Client(s.base).get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
            assertThat(profiles).containsEntry("auto@example.com", "Zoë");
            // NFKD: the stored username is decomposed, and it is found case-insensitively.
            assertThat(s.user("auto@example.com").username()).isEqualTo(java.text.Normalizer.normalize("Zoë2000",
                    java.text.Normalizer.Form.NFKD));
            MailCapture.Mail welcome = mail.await("auto@example.com", 1).get(0);
            assertThat(welcome.text()).doesNotContain("/confirm/");

            Map<String, Object> other = new HashMap<>(Map.of("email", "auto2@example.com", "password", "Auto-Passw0rd-1",
                    "password_confirm", "Auto-Passw0rd-1", "display_name", "X"));
            Client d = new Client(s.base);
            assertError(d.postJson("/register", other), 400, "username", "Username not provided");
            other.put("username", "ZOË2000");
            assertError(d.postJson("/register", other), 400, "username", null);
            other.put("username", "ab");
            assertError(d.postJson("/register", other), 400, "username",
                    "Username must be at least 4 characters and less than 32 characters");
            other.put("username", "bad name");
            assertError(d.postJson("/register", other), 400, "username", "Username can contain only letters and numbers");
            other.put("username", "<b>bold</b>");
            assertError(d.postJson("/register", other), 400, "username", "Username contains illegal characters");
            other.put("username", 42);
            assertError(d.postJson("/register", other), 400, "username", "Input not appropriate for requested API");
        }
    }

    @Test
    void spaRedirectsCarryTheOutcomeInTheQuery() throws Exception {
        try (MailCapture mail = MailCapture.start();
             TestServer s = server(mail, Map.of("SECURITY_REGISTERABLE", "true", "SECURITY_CONFIRMABLE", "true",
                     "SECURITY_RECOVERABLE", "true", "SECURITY_REDIRECT_BEHAVIOR", "spa",
                     "SECURITY_POST_CONFIRM_VIEW", "/ui/confirmed", "SECURITY_CONFIRM_ERROR_VIEW", "/ui/confirm-error",
                     "SECURITY_RESET_VIEW", "/ui/reset", "SECURITY_RESET_ERROR_VIEW", "/ui/reset-error",
                     "SECURITY_REDIRECT_HOST", "ui.example.com:8443"), null)) {
            Client c = new Client(s.base);
            assertOk(c.postJson("/register", Map.of("email", "spa@example.com", "password", "Spa-Passw0rd-1",
                    "password_confirm", "Spa-Passw0rd-1")));
            String link = mail.await("spa@example.com", 1).get(0).linkPath("/confirm/");
            String ok = c.get(link).header("Location");
            assertThat(ok).startsWith("//ui.example.com:8443/ui/confirmed?");
            assertThat(URLDecoder.decode(ok, StandardCharsets.UTF_8)).contains("success=Thank you. Your email has been confirmed.")
                    .contains("email=spa@example.com").contains("identity=spa@example.com");
            String again = URLDecoder.decode(c.get(link).header("Location"), StandardCharsets.UTF_8);
            assertThat(again).startsWith("//ui.example.com:8443/ui/confirm-error?info=Your email has already been confirmed.")
                    .doesNotContain("spa@example.com");
            assertThat(URLDecoder.decode(c.get("/confirm/bogus").header("Location"), StandardCharsets.UTF_8))
                    .endsWith("/ui/confirm-error?error=Invalid confirmation token.");

            assertOk(c.postJson("/reset", Map.of("email", "spa@example.com")));
            String reset = mail.await("spa@example.com", 2).get(1).linkPath("/reset/");
            String token = reset.substring(reset.lastIndexOf('/') + 1);
            String toForm = c.get(reset).header("Location");
            assertThat(toForm).isEqualTo("//ui.example.com:8443/ui/reset?token=" + token).doesNotContain("spa%40example.com");
            assertThat(URLDecoder.decode(c.get("/reset/bogus").header("Location"), StandardCharsets.UTF_8))
                    .endsWith("/ui/reset-error?error=Invalid reset password token.");
        }
    }

    @Test
    void aMailServerThatIsDownUndoesTheRegistrationAndSays500() throws Exception {
        int closed;
        try (ServerSocket sock = new ServerSocket(0)) {
            closed = sock.getLocalPort();
        }
        try (TestServer s = server(null, Map.of("MAIL_SERVER", "127.0.0.1", "MAIL_PORT", String.valueOf(closed),
                "SECURITY_REGISTERABLE", "true", "SECURITY_CONFIRMABLE", "true", "SECURITY_RECOVERABLE", "true"), null)) {
            Client c = new Client(s.base);
            Map<String, Object> body = Map.of("email", "down@example.com", "password", "Down-Passw0rd-1",
                    "password_confirm", "Down-Passw0rd-1");
            for (int i = 0; i < 2; i++) {
                // Twice: the first failure left no account behind, so the second is not "already registered".
                assertError(c.postJson("/register", body), 500, null, "The email could not be sent. Please try again later.");
            }
            assertThat(s.datastore.findUserByIdentity("email", "down@example.com")).isEmpty();
            assertError(c.postJson("/reset", Map.of("email", TestServer.USER)), 500, null,
                    "The email could not be sent. Please try again later.");
            s.createUser("down-unconfirmed@example.com", "Down-Passw0rd-1", false, null);
            assertError(c.postJson("/confirm", Map.of("email", "down-unconfirmed@example.com")), 500, null, null);
        }
    }
}

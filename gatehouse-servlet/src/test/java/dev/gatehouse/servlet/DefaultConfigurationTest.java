package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.TestServer.USER;
import static dev.gatehouse.servlet.TestServer.USER_PW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flask-Security's defaults: CSRF on every POST (login included, tokens included), generic
 * responses off; and a second server with RETURN_GENERIC_RESPONSES and LOGOUT_CSRF on.
 */
class DefaultConfigurationTest {
    static TestServer defaults;
    static TestServer generic;

    @BeforeAll
    static void start() throws Exception {
        defaults = new TestServer(Map.of(), Clock.systemUTC(), b -> b);
        generic = new TestServer(Map.of("SECURITY_RETURN_GENERIC_RESPONSES", "true", "SECURITY_LOGOUT_CSRF", "true",
                "SECURITY_CONFIRMABLE", "true"), Clock.systemUTC(), b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        defaults.close();
        generic.close();
    }

    @Test
    void loginNeedsTheCsrfTokenOfTheSessionByDefault() {
        Client c = new Client(defaults.base);
        Client.Res refused = c.postJson("/login", Map.of("email", USER, "password", USER_PW));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.response().path("errors").get(0).asString()).isEqualTo("The CSRF token is missing.");
        c.get("/login");
        assertThat(c.csrf).isNotBlank();
        Client.Res ok = c.postJson("/login", Map.of("email", USER, "password", USER_PW), "X-CSRF-Token", c.csrf);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        // A new session was issued at login: the pre-login token no longer fits it.
        String fresh = ok.response().path("csrf_token").asString();
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        assertThat(c.postJson("/verify", Map.of("password", USER_PW, "csrf_token", fresh)).status()).isEqualTo(200);
    }

    @Test
    void tokenCallsNeedCsrfTooUnderTheDefaultMechanisms() {
        Client c = new Client(defaults.base);
        c.get("/login");
        String token = c.postJson("/login?include_auth_token", Map.of("email", USER, "password", USER_PW), "X-CSRF-Token", c.csrf)
                .response().path("user").path("authentication_token").asString();
        Client bare = new Client(defaults.base);
        assertThat(bare.get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(bare.postJson("/verify", Map.of("password", USER_PW), "Authentication-Token", token).status()).isEqualTo(400);
    }

    @Test
    void tokenFromTheJsonBodyIsAccepted() {
        Client c = new Client(defaults.base);
        c.get("/login");
        String token = c.postJson("/login?include_auth_token", Map.of("email", USER, "password", USER_PW), "X-CSRF-Token", c.csrf)
                .response().path("user").path("authentication_token").asString();
        Client bare = new Client(defaults.base);
        bare.get("/login");
        Client.Res r = bare.postJson("/verify", Map.of("password", USER_PW, "auth_token", token, "csrf_token", bare.csrf));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void genericResponsesRevealNothing() {
        generic.createUser("generic-unconfirmed@example.com", "Generic-Passw0rd", false, null);
        Client c = new Client(generic.base);
        c.get("/login");
        Client.Res unknown = c.postJson("/login", Map.of("email", "nobody@example.com", "password", "whatever-123"),
                "X-CSRF-Token", c.csrf);
        Client.Res wrong = c.postJson("/login", Map.of("email", USER, "password", "wrong-password"), "X-CSRF-Token", c.csrf);
        Client.Res unconfirmed = c.postJson("/login", Map.of("email", "generic-unconfirmed@example.com",
                "password", "Generic-Passw0rd"), "X-CSRF-Token", c.csrf);
        for (Client.Res r : new Client.Res[] {unknown, wrong, unconfirmed}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.response().path("field_errors").properties()).hasSize(1);
            assertThat(r.response().path("field_errors").path("").get(0).asString())
                    .isEqualTo("Authentication failed - identity or password/passcode invalid");
        }
        assertThat(unknown.body()).isEqualTo(wrong.body()).isEqualTo(unconfirmed.body());
    }

    @Test
    void logoutCsrfWhenConfigured() {
        Client c = new Client(generic.base);
        c.get("/login");
        c.postJson("/login", Map.of("email", USER, "password", USER_PW), "X-CSRF-Token", c.csrf);
        assertThat(c.postJson("/logout", null).status()).isEqualTo(400);
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        assertThat(c.postJson("/logout", null, "X-CSRF-Token", c.csrf).status()).isEqualTo(200);
        assertThat(c.get("/api/me").status()).isEqualTo(401);
    }
}

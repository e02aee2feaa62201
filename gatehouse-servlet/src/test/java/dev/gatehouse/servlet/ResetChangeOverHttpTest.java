package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.event.PasswordChanged;
import dev.gatehouse.event.PasswordReset;
import dev.gatehouse.event.ResetInstructionsSent;
import dev.gatehouse.testkit.MailCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Password reset and change over real HTTP with the mails received over SMTP. */
class ResetChangeOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger SEQ = new AtomicInteger();
    static MailCapture mail;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_CSRF_COOKIE_NAME", "XSRF-TOKEN",
                "SECURITY_TOKEN_MAX_AGE", "3600",
                "SECURITY_CONFIRMABLE", "true",
                "SECURITY_RECOVERABLE", "true",
                "SECURITY_CHANGEABLE", "true"));
        server = new TestServer(settings, CLOCK, b -> b
                .on(ResetInstructionsSent.class, EVENTS::add)
                .on(PasswordReset.class, EVENTS::add)
                .on(PasswordChanged.class, EVENTS::add));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        mail.close();
    }

    private Client client() {
        return new Client(server.base);
    }

    private String newUser(String tag, String pw) {
        String email = tag + "-" + SEQ.incrementAndGet() + "@example.com";
        server.createUser(email, pw, true, null);
        return email;
    }

    private static Map<String, Object> creds(String email, String pw) {
        return Map.of("email", email, "password", pw);
    }

    private static Map<String, Object> pair(String pw) {
        return Map.of("password", pw, "password_confirm", pw);
    }

    private String token(String email, String pw) {
        return assertOk(client().postJson("/login?include_auth_token", creds(email, pw))).path("user")
                .path("authentication_token").asString();
    }

    /** Asks for a reset link and returns its path. */
    private String resetLink(String email) {
        int before = mail.mailsTo(email).size();
        JsonNode r = assertOk(client().postJson("/reset", Map.of("email", email)));
        assertThat(r.has("user")).isFalse();
        assertThat(r.path("csrf_token").asString()).isNotBlank();
        MailCapture.Mail m = mail.await(email, before + 1).get(before);
        assertThat(m.subject()).isEqualTo("Password reset instructions");
        return m.linkPath("/reset/");
    }

    @Test
    void resetByTheMailedLinkEndsEverySessionAndToken() {
        String email = newUser("reset", "Reset-Passw0rd-1");
        Client session = client();
        assertOk(session.postJson("/login", creds(email, "Reset-Passw0rd-1")));
        String oldToken = token(email, "Reset-Passw0rd-1");

        String path = resetLink(email);
        assertThat(EVENTS).anyMatch(e -> e instanceof ResetInstructionsSent s && s.user().email().equals(email));
        assertOk(client().get(path));
        assertThat(client().get(path, "Accept", "text/html").body()).contains("name=\"password_confirm\"")
                .contains("action=\"" + path + "\"");

        int mails = mail.mailsTo(email).size();
        Client.Res done = client().postJson(path, pair("Reset-Passw0rd-2"));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("response").isObject()).isTrue();
        assertThat(done.json().path("response").size()).as("5.9: no csrf_token, no user").isZero();

        assertError(client().postJson("/login", creds(email, "Reset-Passw0rd-1")), 400, "password", "Invalid password");
        assertOk(client().postJson("/login", creds(email, "Reset-Passw0rd-2")));
        assertThat(session.get("/api/me").status()).as("old session").isEqualTo(401);
        assertThat(client().get("/api/me", "Authentication-Token", oldToken).status()).as("old token").isEqualTo(401);
        MailCapture.Mail notice = mail.await(email, mails + 1).get(mails);
        assertThat(notice.subject()).isEqualTo("Your password has been reset");
        assertThat(EVENTS).anyMatch(e -> e instanceof PasswordReset p && p.user().email().equals(email));

        // Single use: the rotated uniquifier no longer matches the link.
        assertError(client().postJson(path, pair("Reset-Passw0rd-3")), 400, "", "Invalid reset password token.");
        assertOk(client().postJson("/login", creds(email, "Reset-Passw0rd-2")));
    }

    @Test
    void resetValidationKeepsTheLinkUsable() {
        String email = newUser("resetval", "ResetVal-Passw0rd");
        String path = resetLink(email);
        Client c = client();
        assertError(c.postJson(path, Map.of("password", "Abcdefgh-12", "password_confirm", "Abcdefgh-13")), 400,
                "password_confirm", "Passwords do not match");
        assertError(c.postJson(path, pair("Ab-1")), 400, "password", "Password must be at least 8 characters");
        assertError(c.postJson(path, Map.of("password", "Abcdefgh-12")), 400, "password_confirm", "Password not provided");
        assertError(c.postJson(path, Map.of("password", 12345678, "password_confirm", "x")), 400, "password",
                "Input not appropriate for requested API");
        assertOk(c.postJson(path, pair("ResetVal-Passw0rd-2")));
    }

    @Test
    void expiredAndForgedLinksAreRefused() {
        String email = newUser("resetexp", "ResetExp-Passw0rd");
        String path = resetLink(email);
        CLOCK.advance(Duration.ofDays(1).plusSeconds(1));
        assertError(client().postJson(path, pair("ResetExp-Passw0rd-2")), 400, "",
                "You did not reset your password within 1 day. ");
        Client.Res html = client().get(path, "Accept", "text/html");
        assertThat(html.status()).isEqualTo(302);
        assertThat(html.header("Location")).isEqualTo("/reset");
        assertError(client().get(path), 400, "", null);
        assertError(client().postJson("/reset/not-a-token", pair("Whatever-Passw0rd")), 400, "", "Invalid reset password token.");
        assertOk(client().postJson("/login", creds(email, "ResetExp-Passw0rd")));
    }

    @Test
    void aLinkDiesWhenThePasswordChangesOtherwise() {
        String email = newUser("resetpw", "ResetPw-Passw0rd");
        String path = resetLink(email);
        User u = server.user(email);
        // An administrator sets a password without rotating the uniquifier: the link must not survive it.
        server.datastore.updateUser(u.toBuilder().password(server.gatehouse.passwords().hash("Admin-Set-Passw0rd")).build());
        assertError(client().postJson(path, pair("ResetPw-Passw0rd-2")), 400, "", "Invalid reset password token.");
    }

    @Test
    void forgotPasswordNamesItsRefusals() {
        assertError(client().postJson("/reset", Map.of("email", "nobody-" + SEQ.incrementAndGet() + "@example.com")), 400,
                "email", "Specified user does not exist");
        String unconfirmed = "unconf-" + SEQ.incrementAndGet() + "@example.com";
        server.createUser(unconfirmed, "Unconf-Passw0rd", false, null);
        assertError(client().postJson("/reset", Map.of("email", unconfirmed)), 400, "email", "Email requires confirmation.");
        String disabled = newUser("disabled", "Disabled-Passw0rd");
        server.datastore.deactivateUser(server.user(disabled));
        assertError(client().postJson("/reset", Map.of("email", disabled)), 400, "email", "Account is disabled.");
        assertError(client().postJson("/reset", Map.of("email", 42)), 400, "email", "Input not appropriate for requested API");
        assertError(client().postJson("/reset", Map.of()), 400, "email", "Email not provided");
        assertThat(mail.mailsTo(disabled)).isEmpty();
        for (String body : List.of("{not json", "[1,2]", "\"x\"", "{\"email\": ")) {
            assertThat(client().send("POST", "/reset", body, "application/json").status()).isBetween(400, 499);
            assertThat(client().send("POST", "/reset/abc", body, "application/json").status()).isBetween(400, 499);
        }
    }

    @Test
    void signedInUsersMayAskForAResetToo() {
        String email = newUser("resetauth", "ResetAuth-Passw0rd");
        Client c = client();
        assertOk(c.postJson("/login", creds(email, "ResetAuth-Passw0rd")));
        assertThat(c.get("/reset", "Accept", "text/html").body()).contains("value=\"" + email + "\"");
        assertOk(c.postJson("/reset", Map.of("email", email), "X-XSRF-Token", c.csrf));
    }

    @Test
    void changeByTokenGivesANewTokenAndKillsTheOldOnes() {
        String email = newUser("change", "Change-Passw0rd-1");
        Client other = client();
        assertOk(other.postJson("/login", creds(email, "Change-Passw0rd-1")));
        String tok = token(email, "Change-Passw0rd-1");
        int mails = mail.mailsTo(email).size();
        JsonNode r = assertOk(client().postJson("/change?include_auth_token", Map.of("password", "Change-Passw0rd-1",
                "new_password", "Change-Passw0rd-2", "new_password_confirm", "Change-Passw0rd-2"), "Authentication-Token", tok));
        String newTok = r.path("user").path("authentication_token").asString();
        assertThat(newTok).isNotBlank().isNotEqualTo(tok);
        assertThat(r.path("csrf_token").asString()).isNotBlank();
        assertThat(client().get("/api/me", "Authentication-Token", tok).status()).isEqualTo(401);
        assertThat(client().get("/api/me", "Authentication-Token", newTok).status()).isEqualTo(200);
        assertThat(other.get("/api/me").status()).as("another client's session").isEqualTo(401);
        assertError(client().postJson("/login", creds(email, "Change-Passw0rd-1")), 400, "password", "Invalid password");
        assertOk(client().postJson("/login", creds(email, "Change-Passw0rd-2")));
        MailCapture.Mail notice = mail.await(email, mails + 1).get(mails);
        assertThat(notice.subject()).isEqualTo("Your password has been changed");
        assertThat(notice.link("/reset")).isEqualTo(server.base + "/reset");
        assertThat(EVENTS).anyMatch(e -> e instanceof PasswordChanged p && p.user().email().equals(email));
    }

    @Test
    void changeBySessionKeepsThatSessionAndItsRememberCookie() {
        String email = newUser("changesess", "ChangeSess-Passw0rd");
        Client c = client();
        assertOk(c.postJson("/login", Map.of("email", email, "password", "ChangeSess-Passw0rd", "remember", true)));
        String oldRemember = c.cookies.get("remember_token");
        Map<String, Object> body = Map.of("password", "ChangeSess-Passw0rd", "new_password", "ChangeSess-Passw0rd-2",
                "new_password_confirm", "ChangeSess-Passw0rd-2");
        assertThat(c.postJson("/change", body).status()).as("CSRF needed for a session").isEqualTo(400);
        JsonNode r = assertOk(c.postJson("/change", body, "X-XSRF-Token", c.csrf));
        assertThat(r.path("user").has("authentication_token")).isFalse();
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        assertThat(c.cookies.get("XSRF-TOKEN")).isEqualTo(r.path("csrf_token").asString());
        assertThat(c.cookies.get("remember_token")).isNotEqualTo(oldRemember);
        Client stale = client();
        stale.cookies.put("remember_token", oldRemember);
        assertThat(stale.get("/api/me").status()).as("the old remember-me cookie").isEqualTo(401);
        // The new CSRF token works for the next call.
        assertOk(c.postJson("/verify", Map.of("password", "ChangeSess-Passw0rd-2"), "X-XSRF-Token", c.csrf));
    }

    @Test
    void changeValidationInFlaskSecuritysOrder() {
        String email = newUser("changeval", "ChangeVal-Passw0rd");
        String tok = token(email, "ChangeVal-Passw0rd");
        Client c = client();
        String[] h = {"Authentication-Token", tok};
        assertError(c.postJson("/change", Map.of("password", "wrong-password-1", "new_password", "New-Passw0rd-1",
                "new_password_confirm", "New-Passw0rd-1"), h), 400, "password", "Invalid password");
        assertError(c.postJson("/change", Map.of("password", "ChangeVal-Passw0rd", "new_password", "New-Passw0rd-1",
                "new_password_confirm", "New-Passw0rd-2"), h), 400, "new_password_confirm", "Passwords do not match");
        assertError(c.postJson("/change", Map.of("password", "ChangeVal-Passw0rd", "new_password", "ChangeVal-Passw0rd",
                "new_password_confirm", "ChangeVal-Passw0rd"), h), 400, "password",
                "Your new password must be different than your previous password.");
        assertError(c.postJson("/change", Map.of("password", "ChangeVal-Passw0rd", "new_password", "Ab-1",
                "new_password_confirm", "Ab-1"), h), 400, "new_password", "Password must be at least 8 characters");
        assertError(c.postJson("/change", Map.of("new_password", "New-Passw0rd-1", "new_password_confirm", "New-Passw0rd-1"), h),
                400, "password", "Password not provided");
        assertError(c.postJson("/change", Map.of("password", Map.of(), "new_password", "New-Passw0rd-1",
                "new_password_confirm", "New-Passw0rd-1"), h), 400, "password", "Input not appropriate for requested API");
        assertError(c.postJson("/change", Map.of("password", "ChangeVal-Passw0rd"), h), 400, "new_password",
                "Password not provided");
        for (String body : List.of("{not json", "[1,2]", "{\"password\": ")) {
            assertThat(c.send("POST", "/change", body, "application/json", h).status()).isBetween(400, 499);
        }
        assertThat(client().get("/api/me", "Authentication-Token", tok).status()).as("nothing changed").isEqualTo(200);
        JsonNode get = assertOk(c.get("/change", h));
        assertThat(get.path("active_password").asBoolean()).isTrue();
        assertError(client().postJson("/change", Map.of()), 401, null, "You must sign in to view this resource.");
    }

    @Test
    void aUserWithoutAPasswordMustBeFreshInstead() {
        Map<String, Object> body = Map.of("new_password", "Fresh-Passw0rd-1", "new_password_confirm", "Fresh-Passw0rd-1");
        String fresh = "nopw-" + SEQ.incrementAndGet() + "@example.com";
        User u = server.createUser(fresh, "Temp-Passw0rd", true, null);
        Client c = client();
        assertOk(c.postJson("/login", creds(fresh, "Temp-Passw0rd")));
        server.datastore.updateUser(server.datastore.reload(u).toBuilder().password(null).build());
        assertThat(assertOk(c.get("/change")).path("active_password").asBoolean()).isFalse();
        assertOk(c.postJson("/change", body, "X-XSRF-Token", c.csrf));
        assertOk(client().postJson("/login", creds(fresh, "Fresh-Passw0rd-1")));

        String stale = "nopw-" + SEQ.incrementAndGet() + "@example.com";
        User v = server.createUser(stale, "Temp-Passw0rd", true, null);
        Client d = client();
        assertOk(d.postJson("/login", creds(stale, "Temp-Passw0rd")));
        server.datastore.updateUser(server.datastore.reload(v).toBuilder().password(null).build());
        CLOCK.advance(Duration.ofHours(25));
        assertOk(d.get("/login"));  // a CSRF token that is not an hour old
        JsonNode r = assertError(d.postJson("/change", body, "X-XSRF-Token", d.csrf), 401, null,
                "You must reauthenticate to access this endpoint");
        assertThat(r.path("reauth_required").asBoolean()).isTrue();
        assertThat(server.user(stale).hasPassword()).isFalse();
    }
}

package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static dev.gatehouse.servlet.TestServer.USER;
import static dev.gatehouse.servlet.TestServer.USER_PW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.event.ConfirmInstructionsSent;
import dev.gatehouse.event.UserConfirmed;
import dev.gatehouse.event.UserRegistered;
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

/**
 * Registration and email confirmation over real HTTP (Jetty + H2) with the mails received on a
 * real SMTP server, in the SPA recipe of the conformance contract.
 */
class RegisterConfirmOverHttpTest {
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
                "SECURITY_REGISTERABLE", "true",
                "SECURITY_CONFIRMABLE", "true",
                "SECURITY_RECOVERABLE", "true",
                "SECURITY_CHANGEABLE", "true"));
        server = new TestServer(settings, CLOCK, b -> b
                .on(UserRegistered.class, EVENTS::add)
                .on(UserConfirmed.class, EVENTS::add)
                .on(ConfirmInstructionsSent.class, EVENTS::add));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        mail.close();
    }

    private Client client() {
        return new Client(server.base);
    }

    static String unique(String tag) {
        return tag + "-" + SEQ.incrementAndGet() + "@example.com";
    }

    static Map<String, Object> registration(String email, String pw) {
        return Map.of("email", email, "password", pw, "password_confirm", pw);
    }

    @Test
    void registerThenConfirmByTheMailedLinkThenLogin() {
        String email = unique("alice");
        Client c = client();
        JsonNode r = assertOk(c.postJson("/register?include_auth_token", registration(email, "Alice-Passw0rd-1")));
        assertThat(r.path("user").isObject()).isTrue();
        assertThat(r.path("user").has("authentication_token")).as("no token before confirmation").isFalse();
        assertThat(r.path("csrf_token").asString()).isNotBlank();
        assertThat(c.get("/api/me").status()).as("not logged in").isEqualTo(401);
        User stored = server.user(email);
        assertThat(stored.isConfirmed()).isFalse();
        assertThat(stored.password()).startsWith("$pbkdf2-sha512$");

        MailCapture.Mail welcome = mail.await(email, 1).get(0);
        assertThat(welcome.subject()).isEqualTo("Welcome");
        assertThat(welcome.from()).contains("no-reply@localhost");
        assertThat(welcome.link("/confirm/")).startsWith(server.base + "/confirm/");
        assertThat(welcome.html()).contains("href=\"" + server.base + "/confirm/");

        assertError(client().postJson("/login", Map.of("email", email, "password", "Alice-Passw0rd-1")), 400, "email",
                "Email requires confirmation.");

        String path = welcome.linkPath("/confirm/");
        Client.Res confirmed = client().get(path);
        assertThat(confirmed.status()).isEqualTo(302);
        assertThat(confirmed.header("Location")).isEqualTo("/login");
        assertThat(server.user(email).confirmedAt()).isEqualTo(CLOCK.instant());
        assertThat(EVENTS).anyMatch(e -> e instanceof UserRegistered u && u.user().email().equals(email)
                && u.confirmationToken() != null && u.formData().containsKey("email") && !u.formData().containsKey("password"));
        assertThat(EVENTS).anyMatch(e -> e instanceof UserConfirmed u && u.user().email().equals(email));

        assertOk(client().postJson("/login", Map.of("email", email, "password", "Alice-Passw0rd-1")));

        // A confirmation link works once: afterwards it only says "already confirmed".
        Client.Res again = client().get(path);
        assertThat(again.status()).isEqualTo(302);
        assertThat(again.header("Location")).isEqualTo("/confirm");
    }

    @Test
    void theConfirmLinkAlwaysRedirectsAndFlashesForBrowsers() {
        String email = unique("flash");
        assertOk(client().postJson("/register", registration(email, "Flash-Passw0rd-1")));
        Client browser = client();
        Client.Res r = browser.get(mail.await(email, 1).get(0).linkPath("/confirm/"), "Accept", "text/html");
        assertThat(r.status()).isEqualTo(302);
        Client.Res login = browser.get("/login", "Accept", "text/html");
        assertThat(login.body()).contains("Thank you. Your email has been confirmed.");
        // Shown once.
        assertThat(browser.get("/login", "Accept", "text/html").body()).doesNotContain("Your email has been confirmed");
    }

    @Test
    void registrationValidationErrorsNameTheirField() {
        Client c = client();
        assertError(c.postJson("/register", registration("not-an-email", "Good-Passw0rd")), 400, "email", "Invalid email address");
        assertError(c.postJson("/register", Map.of("password", "Good-Passw0rd", "password_confirm", "Good-Passw0rd")), 400,
                "email", "Email not provided");
        assertError(c.postJson("/register", registration(unique("short"), "short")), 400, "password",
                "Password must be at least 8 characters");
        assertError(c.postJson("/register", Map.of("email", unique("mismatch"), "password", "Good-Passw0rd",
                "password_confirm", "Other-Passw0rd")), 400, "password_confirm", "Passwords do not match");
        assertError(c.postJson("/register", Map.of("email", unique("noconfirm"), "password", "Good-Passw0rd")), 400,
                "password_confirm", "Password not provided");
        assertError(c.postJson("/register", Map.of("email", unique("nopw"))), 400, "password", "Password not provided");
        assertError(c.postJson("/register", registration("x".repeat(300) + "@example.com", "Good-Passw0rd")), 400, "email",
                "Invalid email address");
        assertError(c.postJson("/register", registration(unique("long"), "L0ng-" + "x".repeat(130))), 400, "password",
                "Password must be at least 8 characters");
        // Nothing was created by any of these.
        assertThat(server.datastore.findUserByIdentity("email", "not-an-email")).isEmpty();
    }

    @Test
    void aTakenAddressInAnyCaseIsRefusedAndEveryOtherProblemIsReportedToo() {
        String email = unique("dup");
        assertOk(client().postJson("/register", registration(email, "Dup-Passw0rd-1")));
        assertError(client().postJson("/register", registration(email, "Dup-Passw0rd-2")), 400, "email",
                email + " is already associated with an account.");
        JsonNode upper = assertError(client().postJson("/register", registration(email.toUpperCase(), "Dup-Passw0rd-2")),
                400, "email", null);
        assertThat(upper.path("field_errors").path("email").get(0).asString()).endsWith("is already associated with an account.");
        JsonNode both = assertError(client().postJson("/register", registration(email, "short")), 400, "email", null);
        assertThat(both.path("field_errors").path("email").get(0).asString()).endsWith("is already associated with an account.");
        assertThat(both.path("field_errors").path("password").get(0).asString()).isEqualTo("Password must be at least 8 characters");
        assertThat(server.datastore.findUserByIdentity("email", email).orElseThrow().email()).isEqualTo(email);
    }

    @Test
    void nonStringValuesAreApiErrorsNot500s() {
        Client c = client();
        String api = "Input not appropriate for requested API";
        assertError(c.postJson("/register", Map.of("email", Map.of("a", 1), "password", "Abcdefgh-12",
                "password_confirm", "Abcdefgh-12")), 400, "email", api);
        assertError(c.postJson("/register", Map.of("email", unique("nonstr"), "password", 12345678,
                "password_confirm", "Abcdefgh-12")), 400, "password", api);
        assertError(c.postJson("/register", Map.of("email", unique("nonstr"), "password", "Abcdefgh-12",
                "password_confirm", List.of(1))), 400, "password_confirm", api);
        assertError(c.postJson("/register", Map.of("email", unique("nonstr"), "password", "Abcdefgh-12",
                "password_confirm", "Abcdefgh-12", "next", true)), 400, "next", api);
        assertError(c.postJson("/confirm", Map.of("email", Map.of("a", 1))), 400, "email", api);
        assertError(c.postJson("/confirm", Map.of("email", 42)), 400, "email", api);
        for (String path : List.of("/register", "/confirm", "/confirm/abc")) {
            for (String body : List.of("{not json", "[1,2]", "42", "{\"email\": ")) {
                Client.Res r = c.send("POST", path, body, "application/json");
                assertThat(r.status()).as(path + " " + body).isBetween(300, 499);
            }
        }
    }

    @Test
    void loggedInUsersCannotRegister() {
        Client c = client();
        assertOk(c.postJson("/login", Map.of("email", USER, "password", USER_PW)));
        assertError(c.postJson("/register", registration(unique("loggedin"), "Good-Passw0rd")), 400, null,
                "You can only access this endpoint when not logged in.");
        assertThat(c.get("/register").status()).isEqualTo(400);
    }

    @Test
    void anExpiredLinkIsRefusedWithoutANewMailAndAResentLinkWorks() {
        String email = unique("expire");
        assertOk(client().postJson("/register", registration(email, "Expire-Passw0rd")));
        String old = mail.await(email, 1).get(0).linkPath("/confirm/");
        CLOCK.advance(Duration.ofDays(2).plusSeconds(1));
        Client.Res r = client().get(old);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/confirm");
        assertThat(server.user(email).isConfirmed()).isFalse();
        assertThat(mail.mailsTo(email)).as("no automatic re-send (OWASP)").hasSize(1);

        JsonNode resent = assertOk(client().postJson("/confirm", Map.of("email", email)));
        assertThat(resent.has("user")).isFalse();
        MailCapture.Mail again = mail.await(email, 2).get(1);
        assertThat(again.subject()).isEqualTo("Please confirm your email");
        assertThat(again.text()).contains("2 days");
        assertThat(EVENTS).anyMatch(e -> e instanceof ConfirmInstructionsSent s && s.user().email().equals(email));
        assertThat(client().get(again.linkPath("/confirm/")).status()).isEqualTo(302);
        assertThat(server.user(email).isConfirmed()).isTrue();
        assertError(client().postJson("/confirm", Map.of("email", email)), 400, "email", "Your email has already been confirmed.");
    }

    @Test
    void aLinkDiesWhenTheAddressOrTheUniquifierChanges() {
        String email = unique("moved");
        assertOk(client().postJson("/register", registration(email, "Moved-Passw0rd")));
        String path = mail.await(email, 1).get(0).linkPath("/confirm/");
        User u = server.user(email);
        server.datastore.updateUser(u.toBuilder().email(unique("elsewhere")).build());
        assertThat(client().get(path).header("Location")).isEqualTo("/confirm");
        assertThat(server.datastore.reload(u).isConfirmed()).isFalse();

        String email2 = unique("rotated");
        assertOk(client().postJson("/register", registration(email2, "Rotated-Passw0rd")));
        String path2 = mail.await(email2, 1).get(0).linkPath("/confirm/");
        server.datastore.setUniquifier(server.user(email2), null);
        assertThat(client().get(path2).header("Location")).isEqualTo("/confirm");
        assertThat(server.user(email2).isConfirmed()).isFalse();

        assertThat(client().get("/confirm/garbage").header("Location")).isEqualTo("/confirm");
        assertThat(client().get("/confirm/" + "A".repeat(5000)).status()).isEqualTo(302);
    }

    @Test
    void resendingNamesUnknownAddresses() {
        assertError(client().postJson("/confirm", Map.of("email", unique("nobody"))), 400, "email",
                "Specified user does not exist");
        assertError(client().postJson("/confirm", Map.of("email", "bad")), 400, "email", "Invalid email address");
        assertError(client().postJson("/confirm", Map.of()), 400, "email", "Email not provided");
        assertThat(assertOk(client().get("/confirm")).has("csrf_token")).isTrue();
    }

    @Test
    void htmlRegistrationForm() {
        Client browser = client();
        Client.Res page = browser.get("/register", "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"password_confirm\"").contains("autocomplete=\"new-password\"")
                .contains("name=\"csrf_token\"");
        Client.Res bad = browser.postForm("/register", "email=nope&password=x&password_confirm=y", "Accept", "text/html");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("aria-invalid=\"true\"").contains("Invalid email address").contains("value=\"nope\"");
        String email = unique("form");
        Client.Res ok = browser.postForm("/register", "email=" + email + "&password=Form-Passw0rd&password_confirm=Form-Passw0rd"
                + "&next=/api/ping", "Accept", "text/html");
        assertThat(ok.status()).isEqualTo(302);
        assertThat(ok.header("Location")).isEqualTo("/api/ping");
        assertThat(server.user(email).isConfirmed()).isFalse();
        assertThat(browser.get("/confirm", "Accept", "text/html").body())
                .contains("To confirm your email address " + email + ", please click on the link");
        Client.Res evil = client().postForm("/register", "email=" + unique("evil")
                + "&password=Form-Passw0rd&password_confirm=Form-Passw0rd&next=https://evil.com/", "Accept", "text/html");
        assertThat(evil.status()).isEqualTo(200);
        assertThat(evil.body()).contains("Redirections outside the domain are forbidden");
    }
}

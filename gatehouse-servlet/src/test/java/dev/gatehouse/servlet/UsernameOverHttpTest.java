package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.event.UsernameChanged;
import dev.gatehouse.event.UsernameRecoveryEmailSent;
import dev.gatehouse.testkit.MailCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Change of username and username recovery over real HTTP with the mails received over SMTP:
 * one server with detailed errors, one with generic responses.
 */
class UsernameOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger SEQ = new AtomicInteger();
    static final String PW = "Username-Test-Pw1";
    static MailCapture mail;
    static TestServer server;
    static TestServer generic;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_TOKEN_MAX_AGE", "604800",
                "SECURITY_CONFIRMABLE", "true",
                "SECURITY_USERNAME_ENABLE", "true",
                "SECURITY_CHANGE_USERNAME", "true",
                "SECURITY_USERNAME_RECOVERY", "true",
                "SECURITY_POST_CHANGE_USERNAME_VIEW", "/account"));
        server = new TestServer(settings, CLOCK, b -> b
                .on(UsernameChanged.class, EVENTS::add)
                .on(UsernameRecoveryEmailSent.class, EVENTS::add));
        settings.put("SECURITY_RETURN_GENERIC_RESPONSES", "true");
        generic = new TestServer(settings, CLOCK, b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        generic.close();
        mail.close();
    }

    /** A confirmed user with a username; returns the email. */
    private static String newUser(TestServer s, String tag, String username) {
        String email = tag + "-" + SEQ.incrementAndGet() + "@example.com";
        User u = s.createUser(email, PW, true, null);
        if (username != null) {
            s.datastore.updateUser(u.toBuilder().username(username).build());
        }
        return email;
    }

    private static String name(String tag) {
        return tag + SEQ.incrementAndGet();
    }

    private static String token(TestServer s, String identity) {
        return assertOk(new Client(s.base).postJson("/login?include_auth_token", Map.of("username", identity, "password", PW)))
                .path("user").path("authentication_token").asString();
    }

    private static List<String> shape(Client.Res r) {
        List<String> keys = new ArrayList<>();
        r.response().propertyNames().forEach(keys::add);
        return keys.stream().sorted().toList();
    }

    @Test
    void aFreshUserChangesTheirUsernameAndIsTold() {
        String old = name("oldname");
        String email = newUser(server, "chg", old);
        Client c = new Client(server.base);
        assertOk(c.postJson("/login", Map.of("username", old, "password", PW)));
        JsonNode get = assertOk(c.get("/change-username"));
        assertThat(get.path("current_username").asString()).isEqualTo(old);
        assertThat(get.path("user").isObject()).isTrue();

        String fresh = name("Newname");
        JsonNode r = assertOk(c.postJson("/change-username", Map.of("username", fresh), "X-XSRF-Token", c.csrf));
        assertThat(shape(c.postJson("/change-username", Map.of("username", name("Another")), "X-XSRF-Token", c.csrf)))
                .containsExactly("csrf_token", "user");
        assertThat(r.path("user").isObject()).isTrue();
        assertThat(r.has("current_username")).isFalse();
        assertThat(c.get("/api/me").status()).as("the session lives on").isEqualTo(200);

        String latest = server.user(email).username();
        assertThat(latest).startsWith("Another");
        assertError(new Client(server.base).postJson("/login", Map.of("username", old, "password", PW)), 400, null, null);
        assertOk(new Client(server.base).postJson("/login", Map.of("username", latest.toLowerCase(), "password", PW)));
        List<MailCapture.Mail> notices = mail.await(email, 2);
        assertThat(notices.get(0).subject()).isEqualTo("Your username has been changed");
        assertThat(notices.get(0).text()).contains(fresh);
        assertThat(EVENTS).anyMatch(e -> e instanceof UsernameChanged u && old.equals(u.oldUsername())
                && fresh.equals(u.user().username()));
    }

    @Test
    void eachUsernameErrorOnItsField() {
        String taken = name("taken");
        newUser(server, "owner", taken);
        String mine = name("mine");
        String email = newUser(server, "val", mine);
        String[] h = {"Authentication-Token", token(server, mine)};
        Client c = new Client(server.base);
        assertError(c.postJson("/change-username", Map.of(), h), 400, "username", "Username not provided");
        assertError(c.postJson("/change-username", Map.of("username", "abc"), h), 400, "username",
                "Username must be at least 4 characters and less than 32 characters");
        assertError(c.postJson("/change-username", Map.of("username", "x".repeat(33)), h), 400, "username",
                "Username must be at least 4 characters and less than 32 characters");
        assertError(c.postJson("/change-username", Map.of("username", "<b>bold</b>"), h), 400, "username",
                "Username contains illegal characters");
        assertError(c.postJson("/change-username", Map.of("username", " padded"), h), 400, "username",
                "Username contains illegal characters");
        assertError(c.postJson("/change-username", Map.of("username", "two words"), h), 400, "username",
                "Username can contain only letters and numbers");
        assertError(c.postJson("/change-username", Map.of("username", taken.toUpperCase()), h), 400, "username",
                taken.toUpperCase() + " is already associated with an account.");
        assertError(c.postJson("/change-username", Map.of("username", mine), h), 400, "username",
                mine + " is already associated with an account.");
        assertError(c.postJson("/change-username", Map.of("username", 1234), h), 400, "username",
                "Input not appropriate for requested API");
        for (String body : List.of("{not json", "[1,2]", "\"x\"", "{\"username\": ", "null")) {
            assertThat(c.send("POST", "/change-username", body, "application/json", h).status()).as(body).isBetween(400, 499);
        }
        assertThat(c.send("POST", "/change-username", "username=%E0%A4%A", "application/x-www-form-urlencoded", h).status())
                .isBetween(400, 499);
        assertError(new Client(server.base).postJson("/change-username", Map.of("username", "whoever")), 401, null,
                "You must sign in to view this resource.");
        assertThat(server.user(email).username()).isEqualTo(mine);

        // Normalized as at registration (NFKD): full-width letters become ASCII ones.
        assertOk(c.postJson("/change-username", Map.of("username", "ｗｉｄｅ" + SEQ.incrementAndGet()), h));
        assertThat(server.user(email).username()).startsWith("wide");
    }

    @Test
    void anEmptyUsernameRemovesItUnlessRequired() {
        String name = name("removable");
        String email = newUser(server, "rm", name);
        String[] h = {"Authentication-Token", token(server, name)};
        Client c = new Client(server.base);
        assertOk(c.postJson("/change-username", Map.of("username", ""), h));
        assertThat(server.user(email).username()).isNull();
        assertThat(assertOk(c.get("/change-username", h)).path("current_username").isNull()).isTrue();
        assertError(c.postJson("/change-username", Map.of("username", ""), h), 400, "username", "Username not provided");
        assertThat(mail.await(email, 1).get(0).text()).contains("it has none now");
    }

    @Test
    void theHtmlPagesWork() {
        String name = name("htmluser");
        String email = newUser(server, "html", name);
        Client c = new Client(server.base);
        assertOk(c.postJson("/login", Map.of("username", name, "password", PW)));
        String page = c.get("/change-username", "Accept", "text/html").body();
        assertThat(page).contains("name=\"change_username_form\"").contains(name);
        String csrf = page.replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Client.Res bad = c.postForm("/change-username", "csrf_token=" + csrf + "&username=no", "Accept", "text/html");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("Username must be at least 4 characters").contains("aria-invalid=\"true\"");
        String fresh = name("htmlnew");
        Client.Res ok = c.postForm("/change-username", "csrf_token=" + csrf + "&username=" + fresh, "Accept", "text/html");
        assertThat(ok.status()).isEqualTo(302);
        assertThat(ok.header("Location")).isEqualTo("/account");
        assertThat(c.get("/change-username", "Accept", "text/html").body()).contains("You successfully changed your username")
                .contains(fresh);
        assertThat(server.user(email).username()).isEqualTo(fresh);

        Client anon = new Client(server.base);
        String form = anon.get("/recover-username", "Accept", "text/html").body();
        assertThat(form).contains("name=\"username_recovery_form\"").contains("name=\"email\"");
        Client.Res sent = anon.postForm("/recover-username", "email=" + email, "Accept", "text/html");
        assertThat(sent.status()).isEqualTo(302);
        assertThat(sent.header("Location")).isEqualTo("/login");
        assertThat(anon.get("/login", "Accept", "text/html").body()).contains("If registered, your username will be sent to your email.");
        Client.Res unknown = anon.postForm("/recover-username", "email=nobody-html@example.com", "Accept", "text/html");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).contains("Specified user does not exist");
    }

    @Test
    void staleSignInsMustReauthenticate() {
        String name = name("staleuser");
        newUser(server, "stale", name);
        Client c = new Client(server.base);
        assertOk(c.postJson("/login", Map.of("username", name, "password", PW)));
        String tok = token(server, name);
        CLOCK.advance(Duration.ofHours(25));
        assertThat(assertError(c.get("/change-username"), 401, null, "You must reauthenticate to access this endpoint")
                .path("reauth_required").asBoolean()).isTrue();
        assertThat(c.get("/change-username", "Accept", "text/html").header("Location")).isEqualTo("/verify?next=%2Fchange-username");
        assertError(new Client(server.base).postJson("/change-username", Map.of("username", name("late")),
                "Authentication-Token", tok), 401, null, "You must reauthenticate to access this endpoint");
    }

    @Test
    void recoveryMailsTheUsernameToTheAccountsAddress() {
        String name = name("forgetful");
        String email = newUser(server, "rec", name);
        Client c = new Client(server.base);
        JsonNode get = assertOk(c.get("/recover-username"));
        assertThat(get.has("user")).isFalse();
        Client.Res r = c.postJson("/recover-username", Map.of("email", email.toUpperCase()));
        assertOk(r);
        assertThat(shape(r)).containsExactly("csrf_token");
        MailCapture.Mail m = mail.await(email, 1).get(0);
        assertThat(m.subject()).isEqualTo("Your requested username");
        assertThat(m.text()).contains("Your username is: " + name);
        assertThat(EVENTS).anyMatch(e -> e instanceof UsernameRecoveryEmailSent s && s.user().email().equals(email));

        String nameless = newUser(server, "noname", null);
        assertOk(c.postJson("/recover-username", Map.of("email", nameless)));
        assertThat(mail.await(nameless, 1).get(0).text()).contains("has no username");

        // Signed-in callers have no username to recover.
        Client in = new Client(server.base);
        assertOk(in.postJson("/login", Map.of("username", name, "password", PW)));
        assertError(in.postJson("/recover-username", Map.of("email", email), "X-XSRF-Token", in.csrf), 400, null,
                "You can only access this endpoint when not logged in.");
    }

    @Test
    void recoveryRefusesLikeForgotPassword() {
        Client c = new Client(server.base);
        assertError(c.postJson("/recover-username", Map.of("email", "nobody-" + SEQ.incrementAndGet() + "@example.com")), 400,
                "email", "Specified user does not exist");
        String unconfirmed = "unconf-" + SEQ.incrementAndGet() + "@example.com";
        server.createUser(unconfirmed, PW, false, null);
        assertError(c.postJson("/recover-username", Map.of("email", unconfirmed)), 400, "email", "Email requires confirmation.");
        String disabled = newUser(server, "disabled", name("disabled"));
        server.datastore.deactivateUser(server.user(disabled));
        assertError(c.postJson("/recover-username", Map.of("email", disabled)), 400, "email", "Account is disabled.");
        assertError(c.postJson("/recover-username", Map.of()), 400, "email", "Email not provided");
        assertError(c.postJson("/recover-username", Map.of("email", "no-at-sign")), 400, "email", "Invalid email address");
        assertError(c.postJson("/recover-username", Map.of("email", Map.of("$ne", ""))), 400, "email",
                "Input not appropriate for requested API");
        for (String body : List.of("{not json", "[1,2]", "\"x\"", "{\"email\": ")) {
            assertThat(c.send("POST", "/recover-username", body, "application/json").status()).as(body).isBetween(400, 499);
        }
        assertThat(mail.mailsTo(unconfirmed)).isEmpty();
        assertThat(mail.mailsTo(disabled)).isEmpty();
    }

    @Test
    void genericResponsesRevealNothing() {
        String known = newUser(generic, "genknown", name("genknown"));
        String unconfirmed = "genunconf-" + SEQ.incrementAndGet() + "@example.com";
        generic.createUser(unconfirmed, PW, false, null);
        String disabled = newUser(generic, "gendisabled", name("gendisabled"));
        generic.datastore.deactivateUser(generic.user(disabled));
        String unknown = "gen-nobody-" + SEQ.incrementAndGet() + "@example.com";

        List<Client.Res> answers = new ArrayList<>();
        for (String email : List.of(known, unconfirmed, disabled, unknown)) {
            answers.add(new Client(generic.base).postJson("/recover-username", Map.of("email", email)));
        }
        for (Client.Res r : answers) {
            assertOk(r);
            assertThat(shape(r)).containsExactly("csrf_token");
        }
        mail.await(known, 1);
        assertThat(mail.mailsTo(unconfirmed)).isEmpty();
        assertThat(mail.mailsTo(disabled)).isEmpty();
        assertThat(mail.mailsTo(unknown)).isEmpty();
        // HTML: every address is sent to the same place with the same notice.
        for (String email : List.of(known, unknown, disabled)) {
            Client browser = new Client(generic.base);
            Client.Res html = browser.postForm("/recover-username", "email=" + email, "Accept", "text/html");
            assertThat(html.status()).isEqualTo(302);
            assertThat(html.header("Location")).isEqualTo("/login");
            assertThat(browser.get("/login", "Accept", "text/html").body())
                    .contains("If registered, your username will be sent to your email.");
        }
        // A malformed address says nothing about anyone and is still an error.
        assertError(new Client(generic.base).postJson("/recover-username", Map.of("email", "nope")), 400, "email",
                "Invalid email address");
    }
}

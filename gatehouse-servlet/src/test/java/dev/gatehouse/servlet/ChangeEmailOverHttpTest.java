package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.event.ChangeEmailConfirmed;
import dev.gatehouse.event.ChangeEmailInstructionsSent;
import dev.gatehouse.testkit.MailCapture;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Change of email over real HTTP, with the links received over SMTP: one server with the HTML
 * behaviours, one with SPA redirects and generic responses.
 */
class ChangeEmailOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger SEQ = new AtomicInteger();
    static MailCapture mail;
    static TestServer forms;
    static TestServer spa;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_TOKEN_MAX_AGE", "604800",
                "SECURITY_CONFIRMABLE", "true",
                "SECURITY_CHANGE_EMAIL", "true"));
        forms = new TestServer(settings, CLOCK, b -> b
                .on(ChangeEmailInstructionsSent.class, EVENTS::add)
                .on(ChangeEmailConfirmed.class, EVENTS::add));
        settings.putAll(Map.of(
                "SECURITY_REDIRECT_BEHAVIOR", "spa",
                "SECURITY_RETURN_GENERIC_RESPONSES", "true",
                "SECURITY_POST_CHANGE_EMAIL_VIEW", "http://spa.example/#/email-changed",
                "SECURITY_CHANGE_EMAIL_ERROR_VIEW", "/app/email-error",
                "SECURITY_USERNAME_ENABLE", "true"));
        spa = new TestServer(settings, CLOCK, b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        forms.close();
        spa.close();
        mail.close();
    }

    private static String newUser(TestServer s, String tag) {
        String email = tag + "-" + SEQ.incrementAndGet() + "@example.com";
        s.createUser(email, "Change-Email-Pw1", true, null);
        return email;
    }

    private static String freshAddress(String tag) {
        return tag + "-new-" + SEQ.incrementAndGet() + "@example.org";
    }

    private static String token(TestServer s, String email) {
        return assertOk(new Client(s.base).postJson("/login?include_auth_token",
                Map.of("email", email, "password", "Change-Email-Pw1"))).path("user").path("authentication_token").asString();
    }

    /** Asks for a change by token and returns the path of the link mailed to the new address. */
    private static String requestChange(TestServer s, String email, String newEmail) {
        int before = mail.mailsTo(newEmail).size();
        JsonNode r = assertOk(new Client(s.base).postJson("/change-email", Map.of("email", newEmail),
                "Authentication-Token", token(s, email)));
        assertThat(r.path("current_email").asString()).isEqualTo(email);
        assertThat(r.path("user").isObject()).isTrue();
        assertThat(r.path("csrf_token").asString()).isNotBlank();
        MailCapture.Mail m = mail.await(newEmail, before + 1).get(before);
        assertThat(m.subject()).isEqualTo("Confirm your new email address");
        return m.linkPath("/change-email/");
    }

    private static Map<String, String> query(String location) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = URI.create(location).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    /** The flashed notices shown on the next page this browser renders. */
    private static String flashes(Client c) {
        return c.get("/change-email", "Accept", "text/html").body();
    }

    @Test
    void theLinkMailedToTheNewAddressChangesItOnceAndTellsTheOldOne() {
        String email = newUser(forms, "chg");
        String newEmail = freshAddress("chg");
        Client session = new Client(forms.base);
        assertOk(session.postJson("/login", Map.of("email", email, "password", "Change-Email-Pw1")));
        JsonNode get = assertOk(session.get("/change-email"));
        assertThat(get.path("current_email").asString()).isEqualTo(email);
        assertThat(get.path("user").isObject()).isTrue();
        String tok = token(forms, email);

        String path = requestChange(forms, email, newEmail);
        assertThat(EVENTS).anyMatch(e -> e instanceof ChangeEmailInstructionsSent s && s.user().email().equals(email)
                && s.newEmail().equals(newEmail) && path.endsWith(s.token()));
        assertThat(forms.user(email).email()).as("nothing changes before the link").isEqualTo(email);
        assertThat(mail.mailsTo(email)).as("nothing to the old address yet").isEmpty();
        MailCapture.Mail instructions = mail.mailsTo(newEmail).get(0);
        assertThat(instructions.text()).contains(email).contains("2 hours");
        assertThat(instructions.link("/change-email/")).startsWith(forms.base + "/change-email/");

        CLOCK.advance(Duration.ofMinutes(5));
        Client browser = new Client(forms.base);
        Client.Res follow = browser.get(path);
        assertThat(follow.status()).isEqualTo(302);
        assertThat(follow.header("Location")).isEqualTo("/");

        User changed = forms.datastore.findUserByIdentity("email", newEmail).orElseThrow();
        assertThat(changed.confirmedAt()).isEqualTo(CLOCK.instant());
        assertThat(forms.datastore.findUserByIdentity("email", email)).isEmpty();
        assertError(new Client(forms.base).postJson("/login", Map.of("email", email, "password", "Change-Email-Pw1")),
                400, "email", null);
        assertOk(new Client(forms.base).postJson("/login", Map.of("email", newEmail, "password", "Change-Email-Pw1")));
        assertThat(session.get("/api/me").status()).as("sessions live on: no uniquifier rotation").isEqualTo(200);
        assertThat(session.get("/api/me").body()).contains(newEmail);
        assertThat(new Client(forms.base).get("/api/me", "Authentication-Token", tok).status()).isEqualTo(200);
        MailCapture.Mail notice = mail.await(email, 1).get(0);
        assertThat(notice.subject()).isEqualTo("Your email address has been changed");
        assertThat(notice.text()).contains(email).contains(newEmail);
        assertThat(EVENTS).anyMatch(e -> e instanceof ChangeEmailConfirmed c && c.oldEmail().equals(email)
                && c.user().email().equals(newEmail));

        // Single use: the address the link was made for is gone.
        Client again = new Client(forms.base);
        assertOk(again.postJson("/login", Map.of("email", newEmail, "password", "Change-Email-Pw1")));
        Client.Res second = again.get(path, "Accept", "text/html");
        assertThat(second.status()).isEqualTo(302);
        assertThat(second.header("Location")).isEqualTo("/change-email");
        assertThat(flashes(again)).contains("Input not appropriate for requested API");
        assertThat(forms.user(newEmail).email()).isEqualTo(newEmail);
    }

    @Test
    void eachFieldErrorOnItsField() {
        String email = newUser(forms, "val");
        String other = newUser(forms, "other");
        String[] h = {"Authentication-Token", token(forms, email)};
        Client c = new Client(forms.base);
        assertError(c.postJson("/change-email", Map.of(), h), 400, "email", "Email not provided");
        assertError(c.postJson("/change-email", Map.of("email", "  "), h), 400, "email", "Email not provided");
        assertError(c.postJson("/change-email", Map.of("email", "not-an-address"), h), 400, "email", "Invalid email address");
        assertError(c.postJson("/change-email", Map.of("email", List.of("a@example.com")), h), 400, "email",
                "Input not appropriate for requested API");
        assertError(c.postJson("/change-email", Map.of("email", other.toUpperCase()), h), 400, "email",
                other.toUpperCase().replace("EXAMPLE.COM", "example.com") + " is already associated with an account.");
        assertError(c.postJson("/change-email", Map.of("email", email), h), 400, "email",
                email + " is already associated with an account.");
        for (String body : List.of("{not json", "[1,2]", "\"x\"", "{\"email\": ", "{\"email\": null}")) {
            assertThat(c.send("POST", "/change-email", body, "application/json", h).status()).as(body).isBetween(400, 499);
        }
        assertThat(c.send("POST", "/change-email", "email=%ZZ", "application/x-www-form-urlencoded", h).status()).isBetween(400, 499);
        assertThat(c.send("POST", "/change-email", new String(new byte[] {'{', (byte) 0xC3, '}'}, StandardCharsets.ISO_8859_1),
                "application/json", h).status()).isBetween(400, 499);
        assertError(new Client(forms.base).postJson("/change-email", Map.of("email", freshAddress("anon"))), 401, null,
                "You must sign in to view this resource.");
        for (String bad : List.of("whatever", "%25ZZ", "a.b.c", ".eJwrTs3LS8svyk3VAAA.abc.def", "x".repeat(5000),
                "eyJ9.eyJ9.eyJ9", "%00", "..%2F..%2Fetc")) {
            Client.Res r = new Client(forms.base).get("/change-email/" + bad);
            assertThat(r.status()).as(bad).isIn(302, 400, 404);
        }
        assertThat(mail.mailsTo(other)).isEmpty();
        assertThat(forms.user(email).email()).isEqualTo(email);
    }

    @Test
    void aSessionNeedsItsCsrfTokenAndTheHtmlFormWorks() {
        String email = newUser(forms, "html");
        Client c = new Client(forms.base);
        assertOk(c.postJson("/login", Map.of("email", email, "password", "Change-Email-Pw1")));
        String newEmail = freshAddress("html");
        assertThat(c.postJson("/change-email", Map.of("email", newEmail)).status()).as("no CSRF token").isEqualTo(400);
        String page = c.get("/change-email", "Accept", "text/html").body();
        assertThat(page).contains("name=\"change_email_form\"").contains(email).contains("name=\"csrf_token\"");
        String csrf = page.replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Client.Res bad = c.postForm("/change-email", "csrf_token=" + csrf + "&email=nope", "Accept", "text/html");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("Invalid email address").contains("aria-invalid=\"true\"");
        Client.Res sent = c.postForm("/change-email", "csrf_token=" + csrf + "&email=" + newEmail, "Accept", "text/html");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).contains("Instructions to confirm your new email address have been sent to " + newEmail);
        String path = mail.await(newEmail, 1).get(0).linkPath("/change-email/");
        Client.Res follow = c.get(path, "Accept", "text/html");
        assertThat(follow.header("Location")).isEqualTo("/");
        assertThat(c.get("/change-email", "Accept", "text/html").body()).contains("Change of email address confirmed")
                .contains(newEmail);
    }

    @Test
    void linksExpireAndDieWithTheUniquifierOrWhenTheAddressIsTaken() {
        String email = newUser(forms, "exp");
        String path = requestChange(forms, email, freshAddress("exp"));
        CLOCK.advance(Duration.ofHours(2).plusSeconds(1));
        Client c = new Client(forms.base);
        assertOk(c.postJson("/login", Map.of("email", email, "password", "Change-Email-Pw1")));
        assertThat(c.get(path).header("Location")).as("JSON clients are redirected too").isEqualTo("/change-email");
        assertThat(flashes(c)).contains("Confirmation must be completed within 2 hours. Please start over.");
        assertThat(forms.user(email).email()).isEqualTo(email);

        String rotated = newUser(forms, "rot");
        String rotatedPath = requestChange(forms, rotated, freshAddress("rot"));
        forms.datastore.setUniquifier(forms.user(rotated), null);
        assertThat(new Client(forms.base).get(rotatedPath).header("Location")).isEqualTo("/change-email");
        assertThat(forms.user(rotated).email()).isEqualTo(rotated);

        String racer = newUser(forms, "race");
        String wanted = freshAddress("race");
        String racePath = requestChange(forms, racer, wanted);
        forms.createUser(wanted, "Someone-Else-Pw1", true, null);
        assertThat(new Client(forms.base).get(racePath).header("Location")).isEqualTo("/change-email");
        assertThat(forms.user(racer).email()).isEqualTo(racer);

        // Two links outstanding: the first one used changes the address, which kills the other.
        String twice = newUser(forms, "two");
        String first = requestChange(forms, twice, freshAddress("two-a"));
        String secondAddress = freshAddress("two-b");
        String second = requestChange(forms, twice, secondAddress);
        assertThat(new Client(forms.base).get(second).header("Location")).isEqualTo("/");
        assertThat(new Client(forms.base).get(first).header("Location")).isEqualTo("/change-email");
        assertThat(forms.datastore.findUserByIdentity("email", secondAddress)).isPresent();
    }

    @Test
    void staleSignInsMustReauthenticate() {
        String email = newUser(forms, "stale");
        Client c = new Client(forms.base);
        assertOk(c.postJson("/login", Map.of("email", email, "password", "Change-Email-Pw1")));
        String tok = token(forms, email);
        CLOCK.advance(Duration.ofHours(25));
        JsonNode r = assertError(c.get("/change-email"), 401, null, "You must reauthenticate to access this endpoint");
        assertThat(r.path("reauth_required").asBoolean()).isTrue();
        Client.Res html = c.get("/change-email", "Accept", "text/html");
        assertThat(html.status()).isEqualTo(302);
        assertThat(html.header("Location")).isEqualTo("/verify?next=%2Fchange-email");
        assertError(new Client(forms.base).postJson("/change-email", Map.of("email", freshAddress("stale")),
                "Authentication-Token", tok), 401, null, "You must reauthenticate to access this endpoint");
        // After /verify the same session may go on.
        assertOk(c.get("/login"));
        assertOk(c.postJson("/verify", Map.of("password", "Change-Email-Pw1"), "X-XSRF-Token", c.csrf));
        assertOk(c.get("/change-email"));
    }

    @Test
    void spaRedirectsCarryTheOutcomeAndGenericResponsesHideTakenAddresses() {
        String email = newUser(spa, "spa");
        spa.datastore.updateUser(spa.user(email).toBuilder().username("spauser" + SEQ.incrementAndGet()).build());
        String newEmail = freshAddress("spa");
        String path = requestChange(spa, email, newEmail);
        Client.Res ok = new Client(spa.base).get(path);
        assertThat(ok.status()).isEqualTo(302);
        assertThat(ok.header("Location")).startsWith("http://spa.example/?").endsWith("#/email-changed");
        Map<String, String> q = query(ok.header("Location"));
        assertThat(q).containsEntry("email", newEmail).containsEntry("success", "Change of email address confirmed")
                .containsEntry("identity", newEmail);
        Client.Res used = new Client(spa.base).get(path);
        assertThat(used.header("Location")).startsWith("/app/email-error?");
        assertThat(query(used.header("Location"))).containsOnlyKeys("error");

        String old = newUser(spa, "spaexp");
        String expiring = requestChange(spa, old, freshAddress("spaexp"));
        CLOCK.advance(Duration.ofHours(3));
        assertThat(query(new Client(spa.base).get(expiring).header("Location")))
                .containsExactly(Map.entry("error", "Confirmation must be completed within 2 hours. Please start over."));

        // A taken address is answered like a free one, and nobody gets mail about it.
        String asker = newUser(spa, "gen");
        String owner = newUser(spa, "owner");
        String[] h = {"Authentication-Token", token(spa, asker)};
        int mails = mail.count();
        Client.Res taken = new Client(spa.base).postJson("/change-email", Map.of("email", owner), h);
        Client.Res self = new Client(spa.base).postJson("/change-email", Map.of("email", asker), h);
        String free = freshAddress("gen");
        Client.Res fresh = new Client(spa.base).postJson("/change-email", Map.of("email", free), h);
        for (Client.Res r : List.of(taken, self, fresh)) {
            assertOk(r);
            assertThat(shape(r)).isEqualTo(shape(fresh)).containsExactly("csrf_token", "current_email", "user");
            assertThat(r.response().path("current_email").asString()).isEqualTo(asker);
        }
        mail.await(free, 1);
        assertThat(mail.count()).as("only the free address got mail").isEqualTo(mails + 1);
        assertThat(mail.mailsTo(owner)).isEmpty();
        // Errors that say nothing about other accounts are still errors.
        assertError(new Client(spa.base).postJson("/change-email", Map.of("email", "bad"), h), 400, "email", "Invalid email address");
    }

    private static List<String> shape(Client.Res r) {
        List<String> keys = new ArrayList<>();
        r.response().propertyNames().forEach(keys::add);
        return keys.stream().sorted().toList();
    }
}

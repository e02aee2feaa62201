package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.event.GatehouseEvent;
import dev.gatehouse.event.UnifiedSigninProfileChanged;
import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.totp.Totp;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Unified sign-in over real HTTP, real SMTP (GreenMail) and a local server that answers as
 * Twilio's Messages API does (the SMS codes go through the real Twilio adapter): setup of each
 * method, sign-in by password and by code, the magic link, re-authentication, codes used once,
 * expiry, and the second factor after a password.
 */
class UsOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static final List<GatehouseEvent> EVENTS = new CopyOnWriteArrayList<>();
    static final List<Map<String, String>> SMS = new CopyOnWriteArrayList<>();
    static MailCapture mail;
    static HttpServer twilio;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        twilio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        twilio.createContext("/2010-04-01/Accounts/ACtest/Messages.json", ex -> {
            Map<String, String> fields = new HashMap<>();
            for (String pair : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                fields.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            SMS.add(fields);
            byte[] body = "{\"sid\":\"SM1\",\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(201, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        twilio.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_CSRF_COOKIE_NAME", "XSRF-TOKEN",
                "SECURITY_TOKEN_MAX_AGE", "3600",
                "SECURITY_TWO_FACTOR", "true",
                "SECURITY_TOTP_ISSUER", "Gatehouse Test",
                "SECURITY_TOTP_SECRETS", "{\"1\":\"test-totp-secret-0123456789\"}",
                "SECURITY_UNIFIED_SIGNIN", "true",
                "SECURITY_SMS_SERVICE", "Twilio",
                "SECURITY_SMS_SERVICE_CONFIG", "{\"ACCOUNT_SID\":\"ACtest\",\"AUTH_TOKEN\":\"t\",\"PHONE_NUMBER\":\"+15005550006\","
                        + "\"API_BASE_URL\":\"http://127.0.0.1:" + twilio.getAddress().getPort() + "\"}"));
        server = new TestServer(settings, CLOCK, b -> b.on(GatehouseEvent.class, EVENTS::add));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        twilio.stop(0);
        mail.close();
    }

    private static void tick(Duration d) {
        CLOCK.advance(d);
    }

    private Client client() {
        return new Client(server.base);
    }

    private static void assertError(Client.Res r, int status, String field, String msg) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode resp = r.response();
        assertThat(resp.has("csrf_token")).as(r.body()).isFalse();
        assertThat(resp.path("field_errors").path(field).isArray()).as(r.body()).isTrue();
        if (msg != null) {
            assertThat(resp.path("field_errors").path(field).valueStream().map(JsonNode::asString).toList())
                    .as(r.body()).contains(msg);
        }
    }

    private String newUser(String tag) {
        String email = tag + "-" + System.nanoTime() + "@example.com";
        server.createUser(email, "Passw0rd-" + tag, true, null);
        return email;
    }

    private static String pw(String email) {
        return "Passw0rd-" + email.substring(0, email.indexOf('-'));
    }

    /** A client signed in by password through /us-signin (fresh). */
    private Client signedIn(String email) {
        Client c = client();
        Client.Res r = c.postJson("/us-signin", Map.of("identity", email, "passcode", pw(email)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return c;
    }

    private static String code(MailCapture.Mail m) {
        Matcher code = Pattern.compile("Your sign-in code: (\\d{6})").matcher(m.text());
        assertThat(code.find()).as(m.text()).isTrue();
        return code.group(1);
    }

    private static String smsCode(int index) {
        Matcher code = Pattern.compile("Use this code to sign in: (\\d{6})").matcher(SMS.get(index).get("Body"));
        assertThat(code.find()).isTrue();
        return code.group(1);
    }

    /** Sets up the mail method; returns the number of mails the user got so far. */
    private int setUpEmail(Client c, String email) {
        int before = mail.mailsTo(email).size();
        Client.Res setup = c.postJson("/us-setup", Map.of("chosen_method", "email"), "X-XSRF-Token", c.csrf);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        assertThat(setup.response().path("chosen_method").asString()).isEqualTo("email");
        String state = setup.response().path("state").asString();
        MailCapture.Mail m = mail.await(email, before + 1).get(before);
        assertThat(m.subject()).isEqualTo("Verification Code");
        Client.Res done = c.postJson("/us-setup/" + state, Map.of("passcode", code(m)), "X-XSRF-Token", c.csrf);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.response().path("chosen_method").asString()).isEqualTo("email");
        return before + 1;
    }

    @Test
    void infoAndPasswordSignIn() {
        Client.Res info = client().get("/us-signin");
        assertThat(info.response().path("available_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("password", "email", "authenticator", "sms");
        assertThat(info.response().path("code_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("email", "sms");
        assertThat(info.response().path("identity_attributes").get(0).asString()).isEqualTo("email");
        assertThat(info.response().path("csrf_token").asString()).isNotBlank();

        String email = newUser("uspw");
        Client.Res r = client().postJson("/us-signin?include_auth_token", Map.of("identity", email.toUpperCase(), "passcode", pw(email)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.response().path("tf_required").asBoolean(true)).isFalse();
        String token = r.response().path("user").path("authentication_token").asString();
        assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);

        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", "wrong-password")), 400, "passcode",
                "Password or code submitted is not valid");
        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", "")), 400, "passcode",
                "Password or code submitted is not valid");
        assertError(client().postJson("/us-signin", Map.of("identity", "nobody@example.com", "passcode", "x")), 400, "identity",
                "You must specify a valid identity to sign in");
        assertError(client().postJson("/us-signin", Map.of("identity", Map.of("a", 1), "passcode", "x")), 400, "identity",
                "Input not appropriate for requested API");
        assertError(client().postJson("/us-signin", Map.of("passcode", "x")), 400, "identity", "This field is required.");
        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", List.of())), 400, "passcode", null);
        for (String body : List.of("{not json", "[]", "\"x\"")) {
            assertThat(client().send("POST", "/us-signin", body, "application/json").status()).isEqualTo(400);
        }
        // Signed in: POST is for anonymous callers only.
        Client c = signedIn(email);
        assertThat(c.postJson("/us-signin", Map.of("identity", email, "passcode", pw(email)), "X-XSRF-Token", c.csrf).status())
                .isEqualTo(400);
        assertThat(c.get("/us-signin").response().path("user").isObject()).isTrue();
    }

    @Test
    void emailCodeAndMagicLinkWorkOnce() {
        String email = newUser("usmail");
        Client c = signedIn(email);
        Client.Res setupInfo = c.get("/us-setup");
        assertThat(setupInfo.response().path("active_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("password");
        assertThat(setupInfo.response().path("setup_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("email", "authenticator", "sms");
        int mails = setUpEmail(c, email);
        assertThat(EVENTS).anyMatch(e -> e instanceof UnifiedSigninProfileChanged p && p.user().email().equals(email) && !p.deleted());
        assertThat(server.datastore.usGetTotpSecrets(server.user(email))).containsOnlyKeys("email");
        assertThat(server.user(email).usTotpSecrets()).startsWith("{\"email\": \"{\\\"enckey\\\":");
        assertThat(c.get("/us-setup").response().path("active_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("password", "email");

        // send-code mails a code and a link; the code signs in once.
        Client.Res sent = client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        MailCapture.Mail m = mail.await(email, mails + 1).get(mails);
        String code = code(m);
        String link = m.linkPath("/us-verify-link");
        assertThat(link).startsWith("/us-verify-link?id=" + server.user(email).fsUniquifier() + "&code=" + code);
        Client.Res in = client().postJson("/us-signin?include_auth_token", Map.of("identity", email, "passcode", code));
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(in.response().path("user").path("authentication_token").asString()).isNotBlank();
        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", code)), 400, "passcode", null);
        // The link carries the same code: used up too.
        Client.Res used = client().get(link, "Accept", "text/html");
        assertThat(used.status()).isEqualTo(302);
        assertThat(used.header("Location")).isEqualTo("/us-signin");

        // A fresh link signs in through the browser.
        client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email"));
        String link2 = mail.await(email, mails + 2).get(mails + 1).linkPath("/us-verify-link");
        Client browser = client();
        Client.Res viaLink = browser.get(link2, "Accept", "text/html");
        assertThat(viaLink.status()).isEqualTo(302);
        assertThat(viaLink.header("Location")).isEqualTo("/");
        assertThat(browser.get("/api/me").status()).isEqualTo(200);
        assertThat(client().get("/us-verify-link?id=x", "Accept", "text/html").status()).isEqualTo(302);

        // Codes expire after SECURITY_US_TOKEN_VALIDITY (120 s) past their step.
        client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email"));
        String late = code(mail.await(email, mails + 3).get(mails + 2));
        tick(Duration.ofMinutes(4));
        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", late)), 400, "passcode", null);

        // Removing the method.
        Client fresh = signedIn(email);
        Client.Res del = fresh.postJson("/us-setup", Map.of("delete_method", List.of("email")), "X-XSRF-Token", fresh.csrf);
        assertThat(del.status()).as(del.body()).isEqualTo(200);
        assertThat(server.user(email).usTotpSecrets()).isNull();
        assertError(client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email")), 400,
                "chosen_method", "Requested method is not valid");
        assertError(fresh.postJson("/us-setup", Map.of("delete_method", List.of("password")), "X-XSRF-Token", fresh.csrf), 400,
                "delete_method", "Requested method is not valid");
        assertError(fresh.postJson("/us-setup", Map.of(), "X-XSRF-Token", fresh.csrf), 400, "",
                "Input not appropriate for requested API");
        assertError(fresh.postJson("/us-setup", Map.of("chosen_method", "password"), "X-XSRF-Token", fresh.csrf), 400,
                "chosen_method", "Requested method is not valid");
        assertError(fresh.postJson("/us-setup", Map.of("delete_method", Map.of()), "X-XSRF-Token", fresh.csrf), 400,
                "delete_method", "Input not appropriate for requested API");
    }

    @Test
    void authenticatorCodesAreAFirstFactorOfTheirOwn() {
        String email = newUser("usauthr");
        Client c = signedIn(email);
        Client.Res setup = c.postJson("/us-setup", Map.of("chosen_method", "authenticator"), "X-XSRF-Token", c.csrf);
        JsonNode s = setup.response();
        assertThat(s.path("authr_issuer").asString()).isEqualTo("Gatehouse Test");
        assertThat(s.path("authr_username").asString()).isEqualTo(email);
        assertThat(s.path("authr_uri").asString()).startsWith("otpauth://totp/Gatehouse%20Test:");
        Totp totp = Totp.fromBase32(s.path("authr_key").asString());
        assertError(c.postJson("/us-setup/" + s.path("state").asString(), Map.of("passcode", "000000"), "X-XSRF-Token", c.csrf),
                400, "passcode", "Password or code submitted is not valid");
        assertThat(c.postJson("/us-setup/" + s.path("state").asString(), Map.of("passcode", totp.codeAt(CLOCK.instant())),
                "X-XSRF-Token", c.csrf).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
        Client.Res in = client().postJson("/us-signin", Map.of("identity", email, "passcode", totp.codeAt(CLOCK.instant())));
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(in.response().path("tf_required").asBoolean(true)).isFalse();
        // An authenticator code is not something to send.
        assertError(client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "authenticator")),
                400, "chosen_method", "Not a valid choice.");
        // Re-authentication with a code makes a stale session fresh again.
        tick(Duration.ofHours(25));
        assertThat(c.get("/us-setup").status()).isEqualTo(401);
        assertThat(c.get("/us-verify").status()).isEqualTo(200); // a current CSRF token (they last an hour)
        assertError(c.postJson("/us-verify", Map.of("passcode", "123456"), "X-XSRF-Token", c.csrf), 400, "passcode", null);
        Client.Res verified = c.postJson("/us-verify", Map.of("passcode", totp.codeAt(CLOCK.instant())), "X-XSRF-Token", c.csrf);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(c.get("/us-setup").status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
    }

    @Test
    void smsGoesThroughTwilioAndThePhoneIsStoredInE164() {
        String email = newUser("ussms");
        Client c = signedIn(email);
        assertError(c.postJson("/us-setup", Map.of("chosen_method", "sms", "phone", "555"), "X-XSRF-Token", c.csrf), 400, "phone",
                "Phone number not valid e.g. missing country code");
        int before = SMS.size();
        Client.Res setup = c.postJson("/us-setup", Map.of("chosen_method", "sms", "phone", "650 253 0000"), "X-XSRF-Token", c.csrf);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        assertThat(setup.response().path("phone").asString()).isEqualTo("+16502530000");
        assertThat(SMS.get(before)).containsEntry("To", "+16502530000").containsEntry("From", "+15005550006");
        Client.Res done = c.postJson("/us-setup/" + setup.response().path("state").asString(), Map.of("passcode", smsCode(before)),
                "X-XSRF-Token", c.csrf);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.response().path("phone").asString()).isEqualTo("+16502530000");
        assertThat(server.user(email).usPhoneNumber()).isEqualTo("+16502530000");
        assertThat(client().postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "sms")).status()).isEqualTo(200);
        Client.Res in = client().postJson("/us-signin", Map.of("identity", email, "passcode", smsCode(before + 1)));
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        // Re-authentication can have a code sent too.
        assertThat(c.postJson("/us-verify/send-code", Map.of("chosen_method", "sms"), "X-XSRF-Token", c.csrf).status()).isEqualTo(200);
        assertThat(c.postJson("/us-verify", Map.of("passcode", smsCode(before + 2)), "X-XSRF-Token", c.csrf).status()).isEqualTo(200);

        // Another account cannot take the same number.
        String other = newUser("ussms2");
        Client d = signedIn(other);
        Client.Res s2 = d.postJson("/us-setup", Map.of("chosen_method", "sms", "phone", "+1 650 253 0000"), "X-XSRF-Token", d.csrf);
        assertError(d.postJson("/us-setup/" + s2.response().path("state").asString(), Map.of("passcode", smsCode(before + 3)),
                "X-XSRF-Token", d.csrf), 400, "phone", "Identity attribute 'us_phone_number' with value '+16502530000' is already "
                + "associated with an account.");
        tick(Duration.ofSeconds(30));
    }

    @Test
    void setupStatesExpireAndForgeriesAreRefused() {
        String email = newUser("usstate");
        Client c = signedIn(email);
        Client.Res setup = c.postJson("/us-setup", Map.of("chosen_method", "authenticator"), "X-XSRF-Token", c.csrf);
        String state = setup.response().path("state").asString();
        Totp totp = Totp.fromBase32(setup.response().path("authr_key").asString());
        assertError(c.postJson("/us-setup/" + state + "x", Map.of("passcode", totp.codeAt(CLOCK.instant())), "X-XSRF-Token", c.csrf),
                400, "", "Input not appropriate for requested API");
        tick(Duration.ofMinutes(31));
        assertError(c.postJson("/us-setup/" + state, Map.of("passcode", totp.codeAt(CLOCK.instant())), "X-XSRF-Token", c.csrf), 400,
                "", "Setup must be completed within 30 minutes. Please start over.");
        assertThat(client().postJson("/us-setup/" + state, Map.of("passcode", "1")).status()).isEqualTo(401);
    }

    @Test
    void aPasswordStillNeedsTheSecondFactorAndCookieLessClientsFinish() {
        String email = newUser("ustf");
        // Two-factor by authenticator, set up through /tf-setup.
        Client c = signedIn(email);
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "authenticator"), "X-XSRF-Token", c.csrf);
        Totp totp = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        assertThat(c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())), "X-XSRF-Token", c.csrf).status())
                .isEqualTo(200);
        tick(Duration.ofSeconds(30));
        Client.Res in = client().postJson("/us-signin?include_auth_token", Map.of("identity", email, "passcode", pw(email)));
        assertThat(in.response().path("tf_required").asBoolean()).isTrue();
        assertThat(in.response().path("tf_method").asString()).isEqualTo("authenticator");
        assertThat(in.response().has("user")).isFalse();
        Client.Res done = client().postJson("/tf-validate?include_auth_token", Map.of("code", totp.codeAt(CLOCK.instant()),
                "tf_signin_state", in.response().path("tf_signin_state").asString()));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(client().get("/api/me", "Authentication-Token", done.response().path("user").path("authentication_token")
                .asString()).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
    }

    @Test
    void htmlPagesRender() {
        assertThat(client().get("/us-signin", "Accept", "text/html").body()).contains("name=\"identity\"").contains("name=\"passcode\"");
        String email = newUser("ushtml");
        Client c = signedIn(email);
        Client.Res page = c.get("/us-setup", "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Currently active sign in options: password.").contains("chosen_method-authenticator");
        assertThat(c.get("/us-verify", "Accept", "text/html").body()).contains("name=\"passcode\"");
    }

    @Test
    void guessingCodesIsCutShortButThePasswordStillWorks() {
        String email = newUser("usguess");
        Client c = signedIn(email);
        Client.Res setup = c.postJson("/us-setup", Map.of("chosen_method", "authenticator"), "X-XSRF-Token", c.csrf);
        Totp totp = Totp.fromBase32(setup.response().path("authr_key").asString());
        c.postJson("/us-setup/" + setup.response().path("state").asString(), Map.of("passcode", totp.codeAt(CLOCK.instant())),
                "X-XSRF-Token", c.csrf);
        tick(Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
            assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", String.format("%06d", i))), 400,
                    "passcode", "Password or code submitted is not valid");
        }
        assertError(client().postJson("/us-signin", Map.of("identity", email, "passcode", totp.codeAt(CLOCK.instant()))), 400,
                "passcode", "Password or code submitted is not valid");
        assertThat(client().postJson("/us-signin", Map.of("identity", email, "passcode", pw(email))).status()).isEqualTo(200);
        // Twice the code window later codes work again.
        tick(Duration.ofMinutes(5));
        assertThat(client().postJson("/us-signin", Map.of("identity", email, "passcode", totp.codeAt(CLOCK.instant()))).status())
                .isEqualTo(200);
        tick(Duration.ofSeconds(30));
    }

    @Test
    void garbageIsAnswered4xxNever5xx() {
        String email = newUser("usgarbage");
        Client c = signedIn(email);
        Client anon = client();
        assertError(anon.postJson("/us-signin/send-code", Map.of("identity", List.of(1), "chosen_method", "email")), 400,
                "identity", "Input not appropriate for requested API");
        assertError(anon.postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", 7)), 400, "chosen_method", null);
        assertError(anon.postJson("/us-signin/send-code", Map.of("identity", email)), 400, "chosen_method", null);
        assertError(anon.postJson("/us-signin/send-code", Map.of("identity", "nobody@example.com", "chosen_method", "email")), 400,
                "identity", "You must specify a valid identity to sign in");
        for (String path : List.of("/us-verify-link", "/us-verify-link?id=&code=", "/us-verify-link?id=%00&code=x",
                "/us-verify-link?id=" + "a".repeat(3000) + "&code=1", "/us-verify-link?code=123456&id=" + server.user(email).fsUniquifier())) {
            Client.Res r = client().get(path, "Accept", "text/html");
            assertThat(r.status()).as(path).isEqualTo(302);
        }
        assertError(c.postJson("/us-setup", Map.of("chosen_method", List.of("email")), "X-XSRF-Token", c.csrf), 400, "chosen_method",
                "Input not appropriate for requested API");
        assertError(c.postJson("/us-setup", Map.of("chosen_method", "sms", "phone", 5), "X-XSRF-Token", c.csrf), 400, "phone", null);
        assertError(c.postJson("/us-setup/not.a.token", Map.of("passcode", "1"), "X-XSRF-Token", c.csrf), 400, "", null);
        assertError(c.postJson("/us-verify", Map.of("passcode", Map.of()), "X-XSRF-Token", c.csrf), 400, "passcode", null);
        assertError(c.postJson("/us-verify/send-code", Map.of("chosen_method", "email"), "X-XSRF-Token", c.csrf), 400,
                "chosen_method", "Requested method is not valid");
        for (String body : List.of("{not json", "[]", "1")) {
            assertThat(c.send("POST", "/us-setup", body, "application/json", "X-XSRF-Token", c.csrf).status()).isEqualTo(400);
            assertThat(anon.send("POST", "/us-signin/send-code", body, "application/json").status()).isEqualTo(400);
        }
    }
}

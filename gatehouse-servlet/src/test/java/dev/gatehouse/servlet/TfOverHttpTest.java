package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.GatehouseEvent;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.event.SecondFactorAttemptsExhausted;
import dev.gatehouse.event.TwoFactorCodeConfirmed;
import dev.gatehouse.event.TwoFactorCodeSent;
import dev.gatehouse.event.TwoFactorDisabled;
import dev.gatehouse.event.TwoFactorProfileChanged;
import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.totp.Totp;
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
 * Two-factor over real HTTP (Jetty, H2, the SPA CSRF recipe), with a clock the tests move: set-up
 * by authenticator and by mail, sign-in with the second step, replay and guessing refused, codes
 * expiring, the cookie-less variant, and garbage answered with 4xx.
 */
class TfOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static final List<GatehouseEvent> EVENTS = new CopyOnWriteArrayList<>();
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
                "SECURITY_TWO_FACTOR", "true",
                "SECURITY_TWO_FACTOR_ENABLED_METHODS", "authenticator,email,sms",
                "SECURITY_TOTP_ISSUER", "Gatehouse Test",
                "SECURITY_TOTP_SECRETS", "{\"1\":\"test-totp-secret-0123456789\"}",
                "SECURITY_MULTI_FACTOR_RECOVERY_CODES", "true",
                // A Flask-Security database may hold Fernet-encrypted codes (key from Python's cryptography).
                "SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS", "[\"cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=\"]"));
        server = new TestServer(settings, CLOCK, b -> b.on(GatehouseEvent.class, EVENTS::add));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        mail.close();
    }

    private static void tick(Duration d) {
        CLOCK.advance(d);
    }

    private Client client() {
        return new Client(server.base);
    }

    private static Map<String, Object> creds(String email, String pw) {
        return Map.of("email", email, "password", pw);
    }

    private static String csrfHeader() {
        return "X-XSRF-Token";
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

    /** Logs in (no second factor yet) and sets up the authenticator; returns its generator. */
    private Totp setUpAuthenticator(String email) {
        Client c = client();
        assertThat(c.postJson("/login", creds(email, pw(email))).status()).isEqualTo(200);
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "authenticator"), csrfHeader(), c.csrf);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        Totp totp = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        Client.Res ok = c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())), csrfHeader(), c.csrf);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
        return totp;
    }

    /** The code of the newest mail to {@code email}, read over SMTP (after {@code before} mails). */
    private static String mailedCode(String email, int before) {
        MailCapture.Mail m = mail.await(email, before + 1).get(before);
        assertThat(m.subject()).isEqualTo("Two-Factor Login");
        Matcher code = Pattern.compile("Your sign-in code: (\\d{6})").matcher(m.text());
        assertThat(code.find()).as(m.text()).isTrue();
        assertThat(m.html()).contains(code.group(1));
        return code.group(1);
    }

    private String lastCodeSentTo(String email) {
        for (int i = EVENTS.size() - 1; i >= 0; i--) {
            if (EVENTS.get(i) instanceof TwoFactorCodeSent s && s.user().email().equals(email)) {
                return s.code();
            }
        }
        throw new AssertionError("no code was sent to " + email);
    }

    @Test
    void authenticatorSetupAndLogin() {
        String email = newUser("authr");
        Client c = client();
        assertThat(c.postJson("/login", creds(email, pw(email))).response().path("tf_required").asBoolean(true)).isFalse();

        Client.Res info = c.get("/tf-setup");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.response().path("tf_available_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("authenticator", "email", "sms");
        assertThat(info.response().path("tf_primary_method").isNull()).isTrue();
        assertThat(info.response().path("tf_required").asBoolean(true)).isFalse();

        // A session POST needs the CSRF token.
        assertThat(c.postJson("/tf-setup", Map.of("setup", "authenticator")).status()).isEqualTo(400);
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "authenticator"), csrfHeader(), c.csrf);
        JsonNode s = setup.response();
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        assertThat(s.path("tf_state").asString()).isEqualTo("validating_profile");
        assertThat(s.path("tf_primary_method").asString()).isEqualTo("authenticator");
        assertThat(s.path("tf_method").asString()).isEqualTo("authenticator");
        assertThat(s.path("tf_authr_username").asString()).isEqualTo(email);
        assertThat(s.path("tf_authr_issuer").asString()).isEqualTo("Gatehouse Test");
        assertThat(s.path("tf_authr_key").asString()).matches("([A-Z2-7]{4}-){7}[A-Z2-7]{4}");
        assertThat(s.path("tf_authr_b32key").asString()).isEqualTo(s.path("tf_authr_key").asString().replace("-", ""));
        assertThat(s.path("tf_authr_uri").asString()).isEqualTo("otpauth://totp/Gatehouse%20Test:" + email.replace("@", "@")
                + "?secret=" + s.path("tf_authr_b32key").asString() + "&issuer=Gatehouse%20Test");
        assertThat(s.path("tf_state_token").asString()).isNotBlank();
        Totp totp = Totp.fromBase32(s.path("tf_authr_key").asString());

        assertError(c.postJson("/tf-validate", Map.of("code", "000000"), csrfHeader(), c.csrf), 400, "code", "Invalid code");
        // Codes may be numbers in JSON.
        Client.Res ok = c.postJson("/tf-validate", Map.of("code", Integer.parseInt(totp.codeAt(CLOCK.instant()))), csrfHeader(), c.csrf);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.response().path("user").isObject()).isTrue();
        assertThat(EVENTS).anyMatch(e -> e instanceof TwoFactorProfileChanged p && p.user().email().equals(email));
        assertThat(server.user(email).tfPrimaryMethod()).isEqualTo("authenticator");
        assertThat(server.user(email).tfTotpSecret()).startsWith("{\"enckey\":{\"c\":14,");
        Client.Res after = c.get("/tf-setup");
        assertThat(after.response().path("tf_primary_method").asString()).isEqualTo("authenticator");
        assertThat(after.response().path("tf_available_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("disable", "authenticator", "email", "sms");
        tick(Duration.ofSeconds(30));

        // Now a login needs the second step.
        Client d = client();
        Client.Res login = d.postJson("/login?include_auth_token", creds(email, pw(email)));
        JsonNode l = login.response();
        assertThat(login.status()).isEqualTo(200);
        assertThat(l.path("tf_required").asBoolean()).isTrue();
        assertThat(l.path("tf_state").asString()).isEqualTo("ready");
        assertThat(l.path("tf_method").asString()).isEqualTo("authenticator");
        assertThat(l.path("tf_primary_method").asString()).isEqualTo("authenticator");
        assertThat(l.has("user")).isFalse();
        assertThat(l.path("tf_signin_state").asString()).isNotBlank();
        assertThat(d.get("/api/me").status()).isEqualTo(401);

        Client.Res options = d.get("/tf-validate");
        assertThat(options.response().path("recovery_options").path("help").asString()).isEqualTo("/tf-rescue");
        assertThat(options.response().path("recovery_options").path("email").asString()).isEqualTo("/tf-rescue");
        assertThat(options.response().path("recovery_options").has("recovery_code")).isFalse();

        assertError(d.postJson("/tf-validate", Map.of("code", "123456")), 400, "code", "Invalid code");
        assertThat(EVENTS).anyMatch(e -> e instanceof LoginFailed f && f.user().email().equals(email) && f.authType().equals("code"));
        Client.Res done = d.postJson("/tf-validate?include_auth_token", Map.of("code", totp.codeAt(CLOCK.instant())));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String token = done.response().path("user").path("authentication_token").asString();
        assertThat(token).isNotBlank();
        assertThat(d.get("/api/me").status()).isEqualTo(200);
        assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(EVENTS).anyMatch(e -> e instanceof TwoFactorCodeConfirmed x && x.user().email().equals(email));
        // The step is over: nothing pending any more.
        assertError(d.postJson("/tf-validate", Map.of("code", "123456"), csrfHeader(), d.csrf), 400, "", null);
    }

    @Test
    void anAcceptedCodeIsNotAcceptedAgain() {
        String email = newUser("replay");
        Totp totp = setUpAuthenticator(email);
        String code = totp.codeAt(CLOCK.instant());
        Client a = client();
        a.postJson("/login", creds(email, pw(email)));
        assertThat(a.postJson("/tf-validate", Map.of("code", code)).status()).isEqualTo(200);
        tick(Duration.ofSeconds(5));
        Client b = client();
        b.postJson("/login", creds(email, pw(email)));
        assertError(b.postJson("/tf-validate", Map.of("code", code)), 400, "code", "Invalid code");
        // An older code of the window is refused too; the next step's code works.
        assertError(b.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant().minusSeconds(30)))), 400, "code", null);
        assertThat(b.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant().plusSeconds(30)))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(60));
    }

    @Test
    void fiveWrongCodesVoidThePendingSignIn() {
        String email = newUser("guess");
        Totp totp = setUpAuthenticator(email);
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        for (int i = 1; i <= 4; i++) {
            Client.Res r = c.postJson("/tf-validate", Map.of("code", String.format("%06d", i)));
            assertError(r, 400, "code", "Invalid code");
            assertThat(r.response().path("field_errors").has("")).isFalse();
        }
        Client.Res fifth = c.postJson("/tf-validate", Map.of("code", "000005"));
        assertError(fifth, 400, "", "Too many invalid codes. Please sign in again.");
        assertThat(EVENTS).anyMatch(e -> e instanceof SecondFactorAttemptsExhausted x && x.user().email().equals(email));
        // Even the right code no longer helps: the client must start over.
        assertThat(c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))).status()).isEqualTo(400);
        assertThat(c.get("/api/me").status()).isEqualTo(401);
        c.postJson("/login", creds(email, pw(email)));
        assertThat(c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(60));
    }

    @Test
    void theVoidSurvivesAReplayedSessionCookieOrState() {
        String email = newUser("rollback");
        setUpAuthenticator(email);
        Client c = client();
        String state = c.postJson("/login", creds(email, pw(email))).response().path("tf_signin_state").asString();
        Map<String, String> cookiesAtStart = Map.copyOf(c.cookies);
        for (int i = 1; i <= 5; i++) {
            c.postJson("/tf-validate", Map.of("code", String.format("%06d", 100 + i)));
        }
        c.cookies.clear();
        c.cookies.putAll(cookiesAtStart);
        assertError(c.postJson("/tf-validate", Map.of("code", "999999")), 400, "", "Too many invalid codes. Please sign in again.");
        Client bare = client();
        assertError(bare.postJson("/tf-validate", Map.of("code", "999999", "tf_signin_state", state)), 400, "",
                "Too many invalid codes. Please sign in again.");
    }

    @Test
    void cookieLessClientsFinishWithTheSignedState() {
        String email = newUser("nocookie");
        Totp totp = setUpAuthenticator(email);
        Client.Res login = client().postJson("/login?include_auth_token", creds(email, pw(email)));
        String state = login.response().path("tf_signin_state").asString();
        assertError(client().postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))), 400, "",
                "You currently do not have permissions to access this page");
        assertError(client().postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()), "tf_signin_state", state + "x")),
                400, "", null);
        Client.Res done = client().postJson("/tf-validate?include_auth_token",
                Map.of("code", totp.codeAt(CLOCK.instant()), "tf_signin_state", state));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String token = done.response().path("user").path("authentication_token").asString();
        assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
        // Used once: the same state with a later code does not sign in again.
        assertError(client().postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()), "tf_signin_state", state)),
                400, "", null);
        tick(Duration.ofSeconds(30));

        // A state older than SECURITY_TWO_FACTOR_SETUP_WITHIN (30 min) is refused.
        String old = client().postJson("/login", creds(email, pw(email))).response().path("tf_signin_state").asString();
        tick(Duration.ofMinutes(31));
        assertError(client().postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()), "tf_signin_state", old)),
                400, "", "You currently do not have permissions to access this page");
    }

    @Test
    void changingTheMethodWithTheStateTokenNeedsNoSession() {
        String email = newUser("statetoken");
        Totp current = setUpAuthenticator(email);
        String tok = freshToken(email, current);
        assertThat(tok).isNotBlank();

        Client bare = client();
        Client.Res setup = bare.postJson("/tf-setup", Map.of("setup", "authenticator"), "Authentication-Token", tok);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        String state = setup.response().path("tf_state_token").asString();
        Totp next = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        assertError(bare.postJson("/tf-setup/" + state, Map.of("code", "000000"), "Authentication-Token", tok), 400, "code",
                "Invalid code");
        assertError(bare.postJson("/tf-setup/not-a-token", Map.of("code", "000000"), "Authentication-Token", tok), 400, "",
                "Input not appropriate for requested API");
        Client.Res done = bare.postJson("/tf-setup/" + state, Map.of("code", next.codeAt(CLOCK.instant())), "Authentication-Token", tok);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.response().path("tf_method").asString()).isEqualTo("authenticator");
        assertThat(done.response().path("tf_primary_method").asString()).isEqualTo("authenticator");
        assertThat(done.response().has("tf_phone")).isTrue();
        assertThat(server.user(email).tfTotpSecret()).isNotEqualTo(null);
        tick(Duration.ofSeconds(30));
        // The old key no longer works, the new one does.
        Client d = client();
        d.postJson("/login", creds(email, pw(email)));
        assertThat(d.postJson("/tf-validate", Map.of("code", current.codeAt(CLOCK.instant()))).status()).isEqualTo(400);
        assertThat(d.postJson("/tf-validate", Map.of("code", next.codeAt(CLOCK.instant()))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));

        // An expired state token.
        Client.Res again = bare.postJson("/tf-setup", Map.of("setup", "authenticator"), "Authentication-Token",
                freshToken(email, next));
        tick(Duration.ofMinutes(31));
        assertError(bare.postJson("/tf-setup/" + again.response().path("tf_state_token").asString(), Map.of("code", "123456"),
                "Authentication-Token", tok), 400, "", "Setup must be completed within 30 minutes. Please start over.");
    }

    private String freshToken(String email, Totp totp) {
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        String t = c.postJson("/tf-validate?include_auth_token", Map.of("code", totp.codeAt(CLOCK.instant())))
                .response().path("user").path("authentication_token").asString();
        tick(Duration.ofSeconds(30));
        return t;
    }

    @Test
    void emailCodesSignInAndExpire() {
        String email = newUser("mail");
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "email"), csrfHeader(), c.csrf);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        assertThat(setup.response().path("tf_primary_method").asString()).isEqualTo("email");
        assertThat(setup.response().has("tf_authr_key")).isFalse();
        String setupCode = mailedCode(email, 0);
        assertThat(setupCode).isEqualTo(lastCodeSentTo(email));
        assertThat(c.postJson("/tf-validate", Map.of("code", setupCode), csrfHeader(), c.csrf).status()).isEqualTo(200);
        assertThat(server.user(email).tfPrimaryMethod()).isEqualTo("email");

        // Right away (same 30 s step): the mailed code is a new one, never the one just used.
        Client d = client();
        Client.Res login = d.postJson("/login", creds(email, pw(email)));
        assertThat(login.response().path("tf_method").asString()).isEqualTo("email");
        String loginCode = mailedCode(email, 1);
        assertThat(loginCode).isNotEqualTo(setupCode);
        assertThat(d.postJson("/tf-validate", Map.of("code", loginCode)).status()).isEqualTo(200);
        assertThat(d.get("/api/me").status()).isEqualTo(200);

        // A mailed code expires SECURITY_TWO_FACTOR_MAIL_VALIDITY (300 s) after its 30 s step; a
        // code requested when this step's code was used already belongs to a later step.
        Client e = client();
        e.postJson("/login", creds(email, pw(email)));
        String late = mailedCode(email, 2);
        tick(Duration.ofMinutes(4));
        Client early = client();
        early.postJson("/login", creds(email, pw(email)));
        assertThat(early.postJson("/tf-validate", Map.of("code", mailedCode(email, 3))).status()).isEqualTo(200);
        tick(Duration.ofMinutes(3));
        assertError(e.postJson("/tf-validate", Map.of("code", late)), 400, "code", "Invalid code");
        // Rescue by mail sends a fresh one.
        Client.Res rescue = e.postJson("/tf-rescue", Map.of("help_setup", "email"));
        assertThat(rescue.status()).as(rescue.body()).isEqualTo(200);
        assertThat(rescue.response().path("recovery_options").path("help").asString()).isEqualTo("/tf-rescue");
        assertThat(e.postJson("/tf-validate", Map.of("code", mailedCode(email, 4))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));

        // Asking the administrator for help mails SECURITY_TWO_FACTOR_RESCUE_MAIL.
        Client f = client();
        f.postJson("/login", creds(email, pw(email)));
        int toAdmin = mail.mailsTo("no-reply@localhost").size();
        assertThat(f.postJson("/tf-rescue", Map.of("help_setup", "help")).status()).isEqualTo(200);
        MailCapture.Mail plea = mail.await("no-reply@localhost", toAdmin + 1).get(toAdmin);
        assertThat(plea.subject()).isEqualTo("Two-Factor Rescue");
        assertThat(plea.text()).contains(email);
    }

    @Test
    void smsNeedsAValidPhoneAndStoresItInE164() {
        String email = newUser("sms");
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        assertError(c.postJson("/tf-setup", Map.of("setup", "sms"), csrfHeader(), c.csrf), 400, "phone",
                "Phone number not valid e.g. missing country code");
        assertError(c.postJson("/tf-setup", Map.of("setup", "sms", "phone", "12"), csrfHeader(), c.csrf), 400, "phone", null);
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "sms", "phone", "(650) 253-0000"), csrfHeader(), c.csrf);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        // Nothing is stored before the code is entered (Flask-Security stores the phone at once).
        assertThat(server.user(email).tfPhoneNumber()).isNull();
        assertThat(EVENTS).anyMatch(e -> e instanceof TwoFactorCodeSent s && s.user().email().equals(email)
                && s.method().equals("sms") && "+16502530000".equals(s.phoneNumber()));
        assertThat(c.postJson("/tf-validate", Map.of("code", lastCodeSentTo(email)), csrfHeader(), c.csrf).status()).isEqualTo(200);
        assertThat(server.user(email).tfPhoneNumber()).isEqualTo("+16502530000");
        assertThat(server.user(email).tfPrimaryMethod()).isEqualTo("sms");
        tick(Duration.ofSeconds(30));

        Client.Res disable = c.postJson("/tf-setup", Map.of("setup", "disable"), csrfHeader(), c.csrf);
        assertThat(disable.status()).as(disable.body()).isEqualTo(200);
        assertThat(server.user(email).tfPrimaryMethod()).isNull();
        assertThat(server.user(email).tfPhoneNumber()).isNull();
        assertThat(EVENTS).anyMatch(e -> e instanceof TwoFactorDisabled x && x.user().email().equals(email));
        assertThat(client().postJson("/login", creds(email, pw(email))).response().path("tf_required").asBoolean(true)).isFalse();
    }

    @Test
    void malformedInputIs4xxNever500() {
        String email = newUser("garbage");
        Totp totp = setUpAuthenticator(email);
        Client c = client();
        assertError(c.postJson("/tf-validate", Map.of("code", "123456")), 400, "",
                "You currently do not have permissions to access this page");
        assertError(c.postJson("/tf-rescue", Map.of("help_setup", "help")), 400, "", null);
        assertError(c.postJson("/tf-setup", Map.of("setup", "authenticator")), 400, "", null);
        assertError(c.postJson("/tf-select", Map.of("which", "authenticator")), 400, "", null);
        c.postJson("/login", creds(email, pw(email)));
        assertError(c.postJson("/tf-validate", Map.of("code", Map.of("a", 1))), 400, "code", "Input not appropriate for requested API");
        assertError(c.postJson("/tf-validate", Map.of("code", List.of(1))), 400, "code", null);
        assertError(c.postJson("/tf-validate", Map.of("code", "")), 400, "code", "This field is required.");
        assertError(c.postJson("/tf-validate", Map.of()), 400, "code", "This field is required.");
        assertError(c.postJson("/tf-validate", Map.of("code", "x".repeat(5000))), 400, "code", "Invalid code");
        assertError(c.postJson("/tf-validate", Map.of("code", "1", "tf_signin_state", 42)), 400, "code", null);
        assertError(c.postJson("/tf-rescue", Map.of("help_setup", "lost_device")), 400, "help_setup", "Not a valid choice.");
        assertError(c.postJson("/tf-rescue", Map.of("help_setup", Map.of())), 400, "help_setup", "Not a valid choice.");
        for (String body : List.of("{not json", "[1]", "\"x\"")) {
            assertThat(c.send("POST", "/tf-validate", body, "application/json").status()).as(body).isEqualTo(400);
        }
        assertThat(c.send("POST", "/tf-validate", "code=%zz", "application/x-www-form-urlencoded").status()).isBetween(400, 499);
        Client.Res toMf = c.postJson("/tf-rescue", Map.of("help_setup", "recovery_code"));
        assertThat(toMf.status()).isEqualTo(400); // no recovery codes made: not a choice
        // Only wrong codes counted against the sign-in (two here): the right one still works.
        assertThat(c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
    }

    @Test
    void htmlLoginGoesToTheCodePage() {
        String email = newUser("html");
        Totp totp = setUpAuthenticator(email);
        Client c = client();
        Client.Res page = c.get("/login", "Accept", "text/html");
        String csrf = page.body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Client.Res login = c.postForm("/login?next=/api/me", "email=" + email.replace("@", "%40") + "&password=" + pw(email)
                + "&csrf_token=" + csrf, "Accept", "text/html");
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/tf-validate?next=%2Fapi%2Fme");
        Client.Res form = c.get("/tf-validate", "Accept", "text/html");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"code\"").contains("help_setup");
        String csrf2 = form.body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Client.Res wrong = c.postForm("/tf-validate", "code=000000&csrf_token=" + csrf2, "Accept", "text/html");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("Invalid code");
        Client.Res ok = c.postForm("/tf-validate", "code=" + totp.codeAt(CLOCK.instant()) + "&csrf_token=" + csrf2, "Accept", "text/html");
        assertThat(ok.status()).isEqualTo(302);
        assertThat(ok.header("Location")).isEqualTo("/api/me");
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
    }

    // ---------------------------------------------------------------- recovery codes

    @Test
    void recoveryCodesAreStoredHashedShownOnceAndWorkOnce() {
        String email = newUser("rcodes");
        Totp totp = setUpAuthenticator(email);
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        assertThat(c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))).status()).isEqualTo(200);
        tick(Duration.ofSeconds(30));
        Client.Res none = c.get("/mf-recovery-codes");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.response().path("recovery_codes").size()).isZero();
        assertThat(c.postJson("/mf-recovery-codes", null).status()).isEqualTo(400); // CSRF
        Client.Res made = c.postJson("/mf-recovery-codes", null, csrfHeader(), c.csrf);
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        List<String> codes = made.response().path("recovery_codes").valueStream().map(JsonNode::asString).toList();
        assertThat(codes).hasSize(5).allMatch(x -> x.matches("[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"));
        assertThat(server.user(email).mfRecoveryCodes()).hasSize(5).allMatch(x -> x.startsWith("$pbkdf2-sha256$29000$"))
                .noneMatch(codes::contains);
        assertThat(c.get("/mf-recovery-codes").response().path("recovery_codes").valueStream().map(JsonNode::asString).toList())
                .isEqualTo(codes);

        // Another session cannot see hashed codes, only how many there are.
        String token = freshToken(email, totp);
        Client.Res elsewhere = client().get("/mf-recovery-codes", "Authentication-Token", token);
        assertThat(elsewhere.response().path("recovery_codes").size()).isZero();
        assertThat(elsewhere.response().path("recovery_codes_count").asInt()).isEqualTo(5);

        Client d = client();
        Client.Res login = d.postJson("/login", creds(email, pw(email)));
        assertThat(d.get("/tf-validate").response().path("recovery_options").path("recovery_code").asString())
                .isEqualTo("/mf-recovery");
        assertError(d.postJson("/mf-recovery", Map.of("code", "0000-0000-0000")), 400, "code", "Recovery code invalid");
        Client.Res ok = d.postJson("/mf-recovery?include_auth_token", Map.of("code", codes.get(2).toUpperCase()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.response().path("user").has("authentication_token")).isFalse();
        assertThat(d.get("/api/me").status()).isEqualTo(200);
        assertThat(login.response().path("tf_required").asBoolean()).isTrue();
        assertThat(server.user(email).mfRecoveryCodes()).hasSize(4);
        assertThat(c.get("/mf-recovery-codes").response().path("recovery_codes").valueStream().map(JsonNode::asString).toList())
                .containsExactly(codes.get(0), codes.get(1), codes.get(3), codes.get(4));

        // Used once: the same code fails next time, even cookie-less.
        String state = client().postJson("/login", creds(email, pw(email))).response().path("tf_signin_state").asString();
        assertError(client().postJson("/mf-recovery", Map.of("code", codes.get(2), "tf_signin_state", state)), 400, "code",
                "Recovery code invalid");
        Client.Res other = client().postJson("/mf-recovery", Map.of("code", codes.get(0), "tf_signin_state", state));
        assertThat(other.status()).as(other.body()).isEqualTo(200);

        // Rescue with a recovery code points to /mf-recovery (a 302 even for JSON, as Flask-Security).
        Client e = client();
        e.postJson("/login", creds(email, pw(email)));
        Client.Res rescue = e.postJson("/tf-rescue", Map.of("help_setup", "recovery_code"));
        assertThat(rescue.status()).isEqualTo(302);
        assertThat(rescue.header("Location")).isEqualTo("/mf-recovery");
        assertError(e.postJson("/mf-recovery", Map.of("code", Map.of())), 400, "code", "Input not appropriate for requested API");
        assertError(e.postJson("/mf-recovery", Map.of()), 400, "code", "This field is required.");
        assertError(client().postJson("/mf-recovery", Map.of("code", codes.get(1))), 400, "", null);
    }

    @Test
    void recoveryCodesOfAFlaskSecurityDatabaseWorkOnceEach() {
        String email = newUser("legacy");
        setUpAuthenticator(email);
        server.datastore.mfSetRecoveryCodes(server.user(email), List.of("e6c4-faa7-07f5",
                "gAAAAABpVbkAWzKtLfvEid9Yy3pfzwd9cFwidX69WOWPj-KeKWmvBmvo_pXVmvw-zZT7vm7eD62HSyauTtdGLwUPl99iJkTmDg==",
                "9cad-db89-483a"));
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        assertThat(c.postJson("/mf-recovery", Map.of("code", "9cad-db89-483a")).status()).isEqualTo(200);
        assertThat(c.get("/mf-recovery-codes").response().path("recovery_codes").valueStream().map(JsonNode::asString).toList())
                .containsExactly("e6c4-faa7-07f5", "e6c4-faa7-07f5");
        Client d = client();
        d.postJson("/login", creds(email, pw(email)));
        assertThat(d.postJson("/mf-recovery", Map.of("code", "e6c4-faa7-07f5")).status()).isEqualTo(200);
        // The plaintext copy went first; the Fernet-encrypted one of the same code is next.
        assertThat(server.user(email).mfRecoveryCodes()).hasSize(1).allMatch(x -> x.startsWith("gAAAAA"));
        Client e = client();
        e.postJson("/login", creds(email, pw(email)));
        assertThat(e.postJson("/mf-recovery", Map.of("code", "e6c4faa707f5")).status()).isEqualTo(200);
        assertThat(server.user(email).mfRecoveryCodes()).isEmpty();
        Client f = client();
        f.postJson("/login", creds(email, pw(email)));
        assertError(f.postJson("/mf-recovery", Map.of("code", "e6c4-faa7-07f5")), 400, "code", "Recovery code invalid");
    }

    @Test
    void recoveryCodesNeedAFreshSignIn() {
        String email = newUser("rstale");
        Totp totp = setUpAuthenticator(email);
        Client c = client();
        c.postJson("/login", creds(email, pw(email)));
        c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())));
        tick(Duration.ofHours(25));
        Client.Res stale = c.get("/mf-recovery-codes");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.response().path("reauth_required").asBoolean()).isTrue();
        assertThat(client().get("/mf-recovery-codes").status()).isEqualTo(401);
    }
}

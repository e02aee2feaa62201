package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.totp.Totp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two-factor options over HTTP: {@code SECURITY_TWO_FACTOR_REQUIRED} (set-up during sign-in, by
 * session, by page and cookie-less), the {@code tf_validity} cookie with
 * {@code SECURITY_TWO_FACTOR_ALWAYS_VALIDATE} off, and no way around the second factor through a
 * password reset that logs in.
 */
class TfOptionsOverHttpTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    static MailCapture mail;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_TWO_FACTOR", "true",
                "SECURITY_TWO_FACTOR_REQUIRED", "true",
                "SECURITY_TWO_FACTOR_ALWAYS_VALIDATE", "false",
                "SECURITY_TWO_FACTOR_ENABLED_METHODS", "authenticator,email",
                "SECURITY_TOTP_ISSUER", "Gatehouse Test",
                "SECURITY_TOTP_SECRETS", "{\"1\":\"test-totp-secret-0123456789\"}",
                "SECURITY_RECOVERABLE", "true",
                "SECURITY_AUTO_LOGIN_AFTER_RESET", "true"));
        server = new TestServer(settings, CLOCK, b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        mail.close();
    }

    private Client client() {
        return new Client(server.base);
    }

    private String newUser(String tag) {
        String email = tag + "-" + System.nanoTime() + "@example.com";
        server.createUser(email, "Passw0rd-" + tag, true, null);
        return email;
    }

    private static Map<String, Object> creds(String email) {
        return Map.of("email", email, "password", "Passw0rd-" + email.substring(0, email.indexOf('-')));
    }

    @Test
    void requiredSetUpDuringSignInWithoutCookies() {
        String email = newUser("required");
        Client.Res login = client().postJson("/login?include_auth_token", creds(email));
        assertThat(login.response().path("tf_required").asBoolean()).isTrue();
        assertThat(login.response().path("tf_state").asString()).isEqualTo("setup_from_login");
        String state = login.response().path("tf_signin_state").asString();
        // Outside the step the endpoints refuse; inside, GET tells what may be chosen (no "disable").
        Client.Res setup = client().postJson("/tf-setup", Map.of("setup", "authenticator", "tf_signin_state", state));
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        assertThat(setup.response().path("tf_state_token").isNull()).isTrue();
        assertThat(setup.response().path("tf_signin_state").asString()).isNotEqualTo(state);
        Totp totp = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        // The old state (before the method was chosen) cannot validate the new key's code.
        assertThat(client().postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()), "tf_signin_state", state))
                .status()).isEqualTo(400);
        assertThat(server.user(email).tfPrimaryMethod()).isNull();
        Client.Res done = client().postJson("/tf-validate?include_auth_token", Map.of("code", totp.codeAt(CLOCK.instant()),
                "tf_signin_state", setup.response().path("tf_signin_state").asString()));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(client().get("/api/me", "Authentication-Token", done.response().path("user").path("authentication_token")
                .asString()).status()).isEqualTo(200);
        assertThat(server.user(email).tfPrimaryMethod()).isEqualTo("authenticator");
        CLOCK.advance(Duration.ofSeconds(30));
    }

    @Test
    void requiredSetUpDuringSignInWithTheSession() {
        String email = newUser("reqsession");
        Client c = client();
        c.postJson("/login", creds(email));
        Client.Res info = c.get("/tf-setup");
        assertThat(info.response().path("tf_required").asBoolean()).isTrue();
        assertThat(info.response().path("tf_available_methods").valueStream().map(JsonNode::asString).toList())
                .containsExactly("authenticator", "email");
        assertThat(c.postJson("/tf-setup", Map.of("setup", "sms", "phone", "+16502530000")).status()).isEqualTo(400);
        int before = mail.mailsTo(email).size();
        assertThat(c.postJson("/tf-setup", Map.of("setup", "mail")).status()).isEqualTo(200);
        String code = mail.await(email, before + 1).get(before).text().replaceAll("(?s).*Your sign-in code: (\\d{6}).*", "$1");
        assertThat(c.postJson("/tf-validate", Map.of("code", code)).status()).isEqualTo(200);
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        assertThat(server.user(email).tfPrimaryMethod()).isEqualTo("email");
    }

    @Test
    void requiredSetUpDuringSignInInTheBrowser() {
        String email = newUser("reqhtml");
        Client c = client();
        String csrf = c.get("/login", "Accept", "text/html").body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Client.Res login = c.postForm("/login", "email=" + email.replace("@", "%40") + "&password=Passw0rd-reqhtml&csrf_token=" + csrf,
                "Accept", "text/html");
        assertThat(login.header("Location")).isEqualTo("/tf-setup");
        Client.Res page = c.get("/tf-setup", "Accept", "text/html");
        assertThat(page.body()).contains("id=\"setup-authenticator\"").doesNotContain("value=\"disable\"");
        Client.Res chosen = c.postForm("/tf-setup", "setup=authenticator&csrf_token=" + csrf, "Accept", "text/html");
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.body()).contains("data:image/svg+xml;base64,").contains("action=\"/tf-validate\"");
        String key = chosen.body().replaceAll("(?s).*id=\"authr-key\">([A-Z2-7-]+)<.*", "$1");
        Client.Res ok = c.postForm("/tf-validate", "code=" + Totp.fromBase32(key).codeAt(CLOCK.instant()) + "&csrf_token=" + csrf,
                "Accept", "text/html");
        assertThat(ok.status()).isEqualTo(302);
        assertThat(ok.header("Location")).isEqualTo("/");
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(30));
    }

    @Test
    void rememberedDevicesSkipTheSecondFactorForAWhile() {
        String email = newUser("validity");
        Client c = client();
        String state = c.postJson("/login", creds(email)).response().path("tf_signin_state").asString();
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "authenticator", "tf_signin_state", state));
        Totp totp = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())));
        CLOCK.advance(Duration.ofSeconds(30));

        // "remember" at the first step: the completed sign-in leaves a tf_validity cookie.
        Client device = client();
        Map<String, Object> remember = new HashMap<>(creds(email));
        remember.put("remember", true);
        assertThat(device.postJson("/login", remember).response().path("tf_required").asBoolean()).isTrue();
        Client.Res done = device.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())));
        String cookie = done.headers("Set-Cookie").stream().filter(h -> h.startsWith("tf_validity=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Max-Age=2592000").contains("HttpOnly").contains("Secure").contains("SameSite=Strict");
        CLOCK.advance(Duration.ofSeconds(30));

        device.postJson("/logout", null);
        Client.Res again = device.postJson("/login", creds(email));
        assertThat(again.response().path("tf_required").asBoolean(true)).isFalse();
        assertThat(device.get("/api/me").status()).isEqualTo(200);
        // Another user's sign-in on that device still needs its own second factor.
        String other = newUser("validity2");
        Client shared = client();
        shared.cookies.put("tf_validity", device.cookies.get("tf_validity"));
        assertThat(shared.postJson("/login", creds(other)).response().path("tf_required").asBoolean()).isTrue();
        // The cookie lasts SECURITY_TWO_FACTOR_LOGIN_VALIDITY (30 days).
        CLOCK.advance(Duration.ofDays(31));
        Client later = client();
        later.cookies.put("tf_validity", device.cookies.get("tf_validity"));
        assertThat(later.postJson("/login", creds(email)).response().path("tf_required").asBoolean()).isTrue();
        // Without "remember" no cookie is given.
        Client plain = client();
        plain.postJson("/login", creds(email));
        Client.Res noCookie = plain.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())));
        assertThat(noCookie.status()).isEqualTo(200);
        assertThat(noCookie.headers("Set-Cookie")).noneMatch(h -> h.startsWith("tf_validity="));
        CLOCK.advance(Duration.ofSeconds(30));
    }

    @Test
    void aPasswordResetThatLogsInStillNeedsTheSecondFactor() {
        String email = newUser("reset");
        Client c = client();
        String state = c.postJson("/login", creds(email)).response().path("tf_signin_state").asString();
        Client.Res setup = c.postJson("/tf-setup", Map.of("setup", "authenticator", "tf_signin_state", state));
        Totp totp = Totp.fromBase32(setup.response().path("tf_authr_key").asString());
        c.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant())));
        CLOCK.advance(Duration.ofSeconds(30));

        int before = mail.mailsTo(email).size();
        assertThat(client().postJson("/reset", Map.of("email", email)).status()).isEqualTo(200);
        String link = mail.await(email, before + 1).get(before).linkPath("/reset/");
        Client r = client();
        Client.Res reset = r.postJson(link, Map.of("password", "New-Passw0rd-1", "password_confirm", "New-Passw0rd-1"));
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.response().path("tf_required").asBoolean()).isTrue();
        assertThat(reset.response().has("user")).isFalse();
        assertThat(r.get("/api/me").status()).isEqualTo(401);
        assertThat(r.postJson("/tf-validate", Map.of("code", totp.codeAt(CLOCK.instant()))).status()).isEqualTo(200);
        assertThat(r.get("/api/me").status()).isEqualTo(200);
        assertThat(List.of(r.get("/api/me").body())).allMatch(b -> b.contains(email));
        CLOCK.advance(Duration.ofSeconds(30));
    }
}

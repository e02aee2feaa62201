package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.TestServer.ADMIN;
import static dev.gatehouse.servlet.TestServer.ADMIN_PW;
import static dev.gatehouse.servlet.TestServer.USER;
import static dev.gatehouse.servlet.TestServer.USER_PW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sign-in over real HTTP against Jetty with the SPA recipe of the conformance contract
 * (unauthenticated endpoints and token calls exempt from CSRF, XSRF-TOKEN cookie).
 */
class SignInOverHttpTest {
    static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.parse("2026-11-25T12:00:00Z"));
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return NOW.get();
            }
        };
        server = new TestServer(Map.of(
                "SECURITY_TRACKABLE", "true",
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_CSRF_PROTECT_MECHANISMS", "[\"session\",\"basic\"]",
                "SECURITY_CSRF_COOKIE_NAME", "XSRF-TOKEN",
                "SECURITY_TOKEN_MAX_AGE", "3600",
                "SECURITY_CONFIRMABLE", "true"), clock, b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private Client client() {
        return new Client(server.base);
    }

    private static Map<String, Object> creds(String email, String pw) {
        return Map.of("email", email, "password", pw);
    }

    private static void assertError(Client.Res r, int status, String field, String msg) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("meta").path("code").asInt()).isEqualTo(status);
        JsonNode resp = body.path("response");
        assertThat(resp.path("errors").isArray()).isTrue();
        assertThat(resp.has("csrf_token")).isFalse();
        if (field != null) {
            assertThat(resp.path("field_errors").path(field).isArray()).as(r.body()).isTrue();
            if (msg != null) {
                assertThat(resp.path("field_errors").path(field).get(0).asString()).isEqualTo(msg);
            }
        }
    }

    @Test
    void getLoginGivesEnvelopeCsrfTokenAndCacheControl() {
        Client.Res r = client().get("/login");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(r.response().path("csrf_token").asString()).isNotBlank();
        assertThat(r.response().path("identity_attributes").get(0).asString()).isEqualTo("email");
        assertThat(r.header("Cache-Control")).contains("no-store").contains("private");
        assertThat(r.headers("Set-Cookie")).anyMatch(c -> c.startsWith("XSRF-TOKEN="));
    }

    @Test
    void wrongPasswordUnknownUserAndMissingFields() {
        Client c = client();
        assertError(c.postJson("/login", creds(USER, "wrong-password")), 400, "password", "Invalid password");
        assertError(c.postJson("/login", creds("nobody@example.com", "whatever-123")), 400, "email",
                "Specified user does not exist");
        assertError(c.postJson("/login", Map.of()), 400, "password", "Password not provided");
        assertError(c.postJson("/login", Map.of("password", "x")), 400, "email", "Email not provided");
        assertError(c.postJson("/login", Map.of("email", "not-an-email", "password", "x")), 400, "email",
                "Invalid email address");
        Client.Res r = c.postJson("/login", creds(USER, "wrong-password"));
        List<String> flat = r.response().path("field_errors").path("password").valueStream().map(JsonNode::asString).toList();
        assertThat(r.response().path("errors").valueStream().map(JsonNode::asString).toList()).isEqualTo(flat);
    }

    @Test
    void nonStringValuesAndGarbageAre4xxNever500() {
        Client c = client();
        assertError(c.postJson("/login", Map.of("email", Map.of("a", 1), "password", "x")), 400, "email",
                "Input not appropriate for requested API");
        assertError(c.postJson("/login", Map.of("email", USER, "password", 12345678)), 400, "password",
                "Input not appropriate for requested API");
        assertError(c.postJson("/login", Map.of("email", true, "password", "x")), 400, "email", null);
        for (String body : List.of("{not json", "[1,2]", "42", "\"str\"", "{\"email\": ")) {
            Client.Res r = c.send("POST", "/login", body, "application/json");
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().path("response").path("errors").isArray()).isTrue();
        }
        Client.Res bad = c.send("POST", "/login", new String(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41},
                java.nio.charset.StandardCharsets.ISO_8859_1), "application/json");
        assertThat(bad.status()).isBetween(400, 499);
        Client.Res huge = c.send("POST", "/login", "{\"email\":\"" + "a".repeat(200_000) + "\"}", "application/json");
        assertThat(huge.status()).isEqualTo(413);
        Client.Res text = c.send("POST", "/login", "hello", "text/plain");
        assertThat(text.status()).isBetween(200, 499);
        assertThat(c.send("PUT", "/login", "{}", "application/json").status()).isEqualTo(405);
        assertThat(c.send("DELETE", "/login", null, null).status()).isEqualTo(405);
        assertThat(c.get("/logout").status()).isEqualTo(405);
    }

    @Test
    void completeJsonSession() {
        Client c = client();
        Client.Res login = c.postJson("/login", creds(USER, USER_PW));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.response().path("user").isObject()).isTrue();
        assertThat(login.response().path("user").has("authentication_token")).isFalse();
        assertThat(login.response().path("tf_required").asBoolean(true)).isFalse();
        assertThat(c.cookies).containsKey("session");

        Client.Res me = c.get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asString()).isEqualTo(USER);

        String token = client().postJson("/login?include_auth_token", creds(USER, USER_PW))
                .response().path("user").path("authentication_token").asString();
        assertThat(token).isNotBlank();
        Client bare = client();
        assertThat(bare.get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(bare.get("/api/me?auth_token=" + token).status()).isEqualTo(200);
        assertThat(bare.get("/api/admin", "Authentication-Token", token).status()).isEqualTo(403);
        assertThat(bare.get("/api/admin", "Authentication-Token", token).response().path("errors").get(0).asString())
                .isEqualTo("You do not have permission to view this resource.");
        assertThat(bare.get("/api/me", "Authentication-Token", "garbage.token.x").status()).isEqualTo(401);

        String adminToken = client().postJson("/login?include_auth_token", creds(ADMIN, ADMIN_PW))
                .response().path("user").path("authentication_token").asString();
        assertThat(bare.get("/api/admin", "Authentication-Token", adminToken).status()).isEqualTo(200);
        assertThat(bare.get("/api/perm", "Authentication-Token", adminToken).status()).isEqualTo(200);
        assertThat(bare.get("/api/perm", "Authentication-Token", token).status()).isEqualTo(403);

        Map<String, String> before = Map.copyOf(c.cookies);
        Client.Res out = c.postJson("/logout", null);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.response().size()).isZero();
        assertThat(c.get("/api/me").status()).isEqualTo(401);
        assertThat(c.get("/api/me").response().path("errors").get(0).asString())
                .isEqualTo("You must sign in to view this resource.");
        // As in Flask-Security, logout does not revoke auth tokens; rotating the uniquifier does.
        assertThat(bare.get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(before).containsKey("session");
    }

    @Test
    void bodyFlagDoesNotGiveAToken() {
        Client.Res r = client().postJson("/login", Map.of("email", USER, "password", USER_PW, "include_auth_token", true));
        assertThat(r.response().path("user").has("authentication_token")).isFalse();
    }

    @Test
    void rotatingTheUniquifierEndsSessionsAndTokens() {
        server.createUser("rotate@example.com", "Rotate-Passw0rd", true, null);
        Client c = client();
        String token = c.postJson("/login?include_auth_token", creds("rotate@example.com", "Rotate-Passw0rd"))
                .response().path("user").path("authentication_token").asString();
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        server.datastore.setUniquifier(server.user("rotate@example.com"), null);
        assertThat(c.get("/api/me").status()).isEqualTo(401);
        assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
    }

    @Test
    void deactivationEndsSessionsAndTokensAndLoginIsRefused() {
        server.createUser("inactive@example.com", "Inactive-Passw0rd", true, null);
        Client c = client();
        String token = c.postJson("/login?include_auth_token", creds("inactive@example.com", "Inactive-Passw0rd"))
                .response().path("user").path("authentication_token").asString();
        server.datastore.deactivateUser(server.user("inactive@example.com"));
        assertThat(c.get("/api/me").status()).isEqualTo(401);
        assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        assertError(client().postJson("/login", creds("inactive@example.com", "Inactive-Passw0rd")), 400, "email",
                "Account is disabled.");
        // Wrong password first: nothing about the account is revealed before the password is proven.
        assertError(client().postJson("/login", creds("inactive@example.com", "wrong")), 400, "password", "Invalid password");
    }

    @Test
    void unconfirmedUsersAreRefusedAfterThePassword() {
        server.createUser("unconfirmed@example.com", "Unconf-Passw0rd", false, null);
        assertError(client().postJson("/login", creds("unconfirmed@example.com", "Unconf-Passw0rd")), 400, "email",
                "Email requires confirmation.");
    }

    @Test
    void tokensExpireAfterTokenMaxAge() {
        server.createUser("expire@example.com", "Expire-Passw0rd", true, null);
        String token = client().postJson("/login?include_auth_token", creds("expire@example.com", "Expire-Passw0rd"))
                .response().path("user").path("authentication_token").asString();
        Instant start = NOW.get();
        try {
            NOW.set(start.plusSeconds(3599));
            assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
            NOW.set(start.plusSeconds(3601));
            assertThat(client().get("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        } finally {
            NOW.set(start);
        }
    }

    @Test
    void trackableFieldsUpdateOnLogin() {
        server.createUser("track@example.com", "Track-Passw0rd", true, null);
        client().postJson("/login", creds("track@example.com", "Track-Passw0rd"));
        client().postJson("/login", creds("track@example.com", "Track-Passw0rd"));
        var u = server.user("track@example.com");
        assertThat(u.loginCount()).isEqualTo(2);
        assertThat(u.currentLoginIp()).isEqualTo("127.0.0.1");
        assertThat(u.currentLoginAt()).isNotNull();
        assertThat(u.lastLoginAt()).isNotNull();
    }

    @Test
    void csrfSessionPostNeedsTokenTokenPostDoesNot() {
        Client c = client();
        c.postJson("/login", creds(USER, USER_PW));
        Client.Res missing = c.postJson("/verify", Map.of("password", USER_PW));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.response().path("errors").get(0).asString()).isEqualTo("The CSRF token is missing.");
        assertThat(c.postJson("/verify", Map.of("password", USER_PW), "X-XSRF-Token", "forged").status()).isEqualTo(400);
        assertThat(c.postJson("/verify", Map.of("password", USER_PW), "X-XSRF-Token", c.csrf).status()).isEqualTo(200);
        assertThat(c.postJson("/verify", Map.of("password", USER_PW), "X-CSRFToken", c.csrf).status()).isEqualTo(200);
        assertThat(c.postJson("/verify", Map.of("password", USER_PW, "csrf_token", c.csrf)).status()).isEqualTo(200);
        assertThat(c.postJson("/verify", Map.of("password", USER_PW), "X-XSRF-Token", c.cookies.get("XSRF-TOKEN")).status())
                .isEqualTo(200);

        String token = client().postJson("/login?include_auth_token", creds(USER, USER_PW))
                .response().path("user").path("authentication_token").asString();
        Client.Res verify = client().postJson("/verify?include_auth_token", Map.of("password", USER_PW),
                "Authentication-Token", token);
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.response().path("user").path("authentication_token").asString()).isNotBlank();
        assertError(client().postJson("/verify", Map.of("password", "wrong"), "Authentication-Token", token), 400,
                "password", "Invalid password");
    }

    @Test
    void loggedInUsersCannotPostLogin() {
        Client c = client();
        c.postJson("/login", creds(USER, USER_PW));
        Client.Res again = c.postJson("/login", creds(USER, USER_PW));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.response().path("errors").get(0).asString())
                .isEqualTo("You can only access this endpoint when not logged in.");
        Client.Res get = c.get("/login");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.response().path("user").isObject()).isTrue();
    }

    @Test
    void htmlClientsAreRedirected() {
        Client c = client();
        Client.Res r = c.get("/api/me", "Accept", "text/html");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/login?next=%2Fapi%2Fme");
        Client.Res page = c.get("/login", "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("name=\"csrf_token\"").contains("<label for=\"email\"");
        Client.Res login = c.postForm("/login", "email=" + USER + "&password=" + USER_PW + "&next=/api/me",
                "Accept", "text/html");
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/api/me");
    }

    @Test
    void openRedirectsAreDropped() {
        for (String next : List.of("https://evil.com/x", "//evil.com", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)",
                "http://evil.com@127.0.0.1/", "/%0d%0aevil")) {
            Client c = client();
            Client.Res r = c.postForm("/login", "email=" + USER + "&password=" + USER_PW + "&next="
                    + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8), "Accept", "text/html");
            assertThat(r.status()).isEqualTo(302);
            String loc = r.header("Location");
            assertThat(loc).as(next).doesNotContain("evil.com").doesNotStartWith("//").doesNotStartWith("javascript");
        }
        Client c = client();
        Client.Res ok = c.postForm("/login", "email=" + USER + "&password=" + USER_PW + "&next="
                + java.net.URLEncoder.encode(server.base + "/api/me?x=1", java.nio.charset.StandardCharsets.UTF_8),
                "Accept", "text/html");
        assertThat(ok.header("Location")).isEqualTo(server.base + "/api/me?x=1");
    }

    @Test
    void rememberMeRestoresTheSession() {
        Client c = client();
        c.postJson("/login", Map.of("email", USER, "password", USER_PW, "remember", true));
        assertThat(c.cookies).containsKey("remember_token");
        c.cookies.remove("session");
        assertThat(c.get("/api/me").status()).isEqualTo(200);
        assertThat(c.cookies).containsKey("session");
    }

    @Test
    void httpBasicOnlyWhereAllowed() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + USER_PW).getBytes());
        String wrong = "Basic " + Base64.getEncoder().encodeToString((USER + ":nope").getBytes());
        Client c = client();
        Client.Res ok = c.get("/api/basic", "Authorization", basic);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("email").asString()).isEqualTo(USER);
        Client.Res refused = c.get("/api/basic", "Authorization", wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login Required\"");
        // Basic is not among the API methods of /api/me.
        assertThat(c.get("/api/me", "Authorization", basic).status()).isEqualTo(401);
    }

    @Test
    void freshnessIsKeptInSessionAndToken() {
        Client c = client();
        c.postJson("/login", creds(USER, USER_PW));
        Client.Res get = c.get("/verify");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.response().has("has_webauthn_verify_credential")).isTrue();
        assertThat(client().get("/verify").status()).isEqualTo(401);
        Duration.ofHours(1);
    }

    @Test
    void anonymousOnlyGuard() {
        Client c = client();
        assertThat(c.get("/api/anonymous").status()).isEqualTo(200);
        c.postJson("/login", creds(USER, USER_PW));
        assertThat(c.get("/api/anonymous").status()).isEqualTo(400);
    }
}

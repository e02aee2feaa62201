package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testkit.MailCapture;
import dev.gatehouse.totp.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Flask-Security fixture database's multi-factor users on the demo app, with what they had:
 * tom signs in with his password and a code of his authenticator key, rita with a mailed code
 * and with one of her (plaintext) recovery codes, ulla by unified sign-in with a mailed code and
 * with her authenticator. Their secrets were encrypted by passlib under the fixture's
 * {@code SECURITY_TOTP_SECRETS}.
 */
class FlaskSecurityMfaUsersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static DemoApp app;
    private static MailCapture mail;
    private static String base;
    private static JsonNode users;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-fixture-mfa");
        Path db = dir.resolve("app.db");
        Path fixtures = FlaskSecurityDatabaseTest.fixtures();
        Files.copy(fixtures.resolve("app.db"), db, StandardCopyOption.REPLACE_EXISTING);
        users = JSON.readTree(Files.readString(fixtures.resolve("users.json")));
        JsonNode totp = JSON.readTree(Files.readString(fixtures.resolve("totp.json")));
        JsonNode tokens = JSON.readTree(Files.readString(fixtures.resolve("tokens.json")));
        mail = MailCapture.start();
        Map<String, String> env = new HashMap<>(mail.settings());
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", dir.toString());
        env.put("DATABASE_URL", "jdbc:sqlite:" + db);
        env.put("SECRET_KEY", tokens.path("config").path("SECRET_KEY").asString());
        env.put("SECURITY_PASSWORD_SALT", "gatehouse-public-fixture-password-salt-3d8f");
        env.put("SECURITY_CONFIRMABLE", "true");
        env.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        env.put("SECURITY_TWO_FACTOR", "true");
        env.put("SECURITY_TWO_FACTOR_ENABLED_METHODS", "authenticator,email");
        env.put("SECURITY_TOTP_SECRETS", totp.path("config").path("SECURITY_TOTP_SECRETS").toString());
        env.put("SECURITY_TOTP_ISSUER", totp.path("config").path("SECURITY_TOTP_ISSUER").asString());
        env.put("SECURITY_MULTI_FACTOR_RECOVERY_CODES", "true");
        env.put("SECURITY_UNIFIED_SIGNIN", "true");
        env.put("SECURITY_US_ENABLED_METHODS", "password,email,authenticator");
        app = DemoApp.start(env);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (mail != null) {
            mail.close();
        }
    }

    private static JsonNode user(String key) {
        for (JsonNode u : users.path("users")) {
            if (u.path("key").asString().equals(key)) {
                return u;
            }
        }
        throw new IllegalArgumentException(key);
    }

    /** A JSON client with its own cookies. */
    private static final class Agent {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final List<String> cookies = new ArrayList<>();

        JsonNode post(String path, Object body, int status) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return send(b, status);
        }

        JsonNode get(String path, int status) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET(), status);
        }

        private JsonNode send(HttpRequest.Builder b, int status) throws Exception {
            if (!cookies.isEmpty()) {
                b.header("Cookie", String.join("; ", cookies));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String sc : r.headers().allValues("Set-Cookie")) {
                String nv = sc.split(";", 2)[0];
                cookies.removeIf(c -> c.startsWith(nv.substring(0, nv.indexOf('=') + 1)));
                if (!sc.contains("Max-Age=0")) {
                    cookies.add(nv);
                }
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
            JsonNode n = JSON.readTree(r.body());
            return n.has("response") ? n.path("response") : n;
        }
    }

    private static Map<String, Object> creds(JsonNode u) {
        return Map.of("email", u.path("email").asString(), "password", u.path("password").asString());
    }

    private static String mailedCode(String email, int before) {
        MailCapture.Mail m = mail.await(email, before + 1).get(before);
        Matcher code = Pattern.compile("Your sign-in code: (\\d{6})").matcher(m.text());
        assertThat(code.find()).as(m.text()).isTrue();
        return code.group(1);
    }

    @Test
    void tomSignsInWithHisAuthenticator() throws Exception {
        JsonNode tom = user("totp");
        Agent a = new Agent();
        JsonNode first = a.post("/login?include_auth_token", creds(tom), 200);
        JsonNode expected = tom.path("reference_app_login").get(0).path("response");
        for (String k : List.of("tf_required", "tf_state", "tf_method", "tf_primary_method")) {
            assertThat(first.path(k)).as(k).isEqualTo(expected.path(k));
        }
        a.get("/api/me", 401);
        assertThat(a.post("/tf-validate", Map.of("code", "000000"), 400).path("field_errors"))
                .isEqualTo(tom.path("reference_app_login").get(1).path("response").path("field_errors"));
        Totp key = Totp.fromBase32(tom.path("tf_totp_base32").asString());
        JsonNode done = a.post("/tf-validate?include_auth_token", Map.of("code", key.codeAt(Instant.now())), 200);
        assertThat(done.path("user").path("authentication_token").asString()).isNotBlank();
        assertThat(a.get("/api/me", 200).path("email").asString()).isEqualTo(tom.path("email").asString());
    }

    @Test
    void ritaSignsInWithAMailedCodeAndWithARecoveryCode() throws Exception {
        JsonNode rita = user("recovery");
        String email = rita.path("email").asString();
        int before = mail.mailsTo(email).size();
        Agent a = new Agent();
        assertThat(a.post("/login", creds(rita), 200).path("tf_method").asString()).isEqualTo("email");
        a.post("/tf-validate", Map.of("code", mailedCode(email, before)), 200);
        a.get("/api/me", 200);

        List<String> codes = new ArrayList<>();
        rita.path("recovery_codes").forEach(c -> codes.add(c.asString()));
        Agent b = new Agent();
        b.post("/login", creds(rita), 200);
        b.post("/mf-recovery", Map.of("code", codes.get(0)), 200);
        b.get("/api/me", 200);
        // Flask-Security stored them in plaintext: they can still be shown, minus the used one.
        List<String> shown = new ArrayList<>();
        b.get("/mf-recovery-codes", 200).path("recovery_codes").forEach(c -> shown.add(c.asString()));
        assertThat(shown).isEqualTo(codes.subList(1, codes.size()));
        Agent c = new Agent();
        c.post("/login", creds(rita), 200);
        c.post("/mf-recovery", Map.of("code", codes.get(0)), 400);
    }

    @Test
    void ullaSignsInByUnifiedSigninWithMailAndAuthenticator() throws Exception {
        JsonNode ulla = user("unified");
        String email = ulla.path("email").asString();
        int before = mail.mailsTo(email).size();
        new Agent().post("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email"), 200);
        JsonNode byMail = new Agent().post("/us-signin?include_auth_token",
                Map.of("identity", email, "passcode", mailedCode(email, before)), 200);
        assertThat(byMail.path("user").path("authentication_token").asString()).isNotBlank();
        Totp authr = Totp.fromBase32(ulla.path("us_totp_base32").path("authenticator").asString());
        JsonNode byApp = new Agent().post("/us-signin?include_auth_token",
                Map.of("identity", email, "passcode", authr.codeAt(Instant.now())), 200);
        assertThat(byApp.path("user").path("authentication_token").asString()).isNotBlank();
    }
}

package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo app taking over a database written by the real Flask-Security 5.1.2: pointed at a copy
 * of the fixture's app.db with the fixture's secrets, its users sign in with their passwords and
 * get the answers the Python app gave; its tokens and remember cookie authenticate.
 */
class FlaskSecurityDatabaseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static DemoApp app;
    private static String base;
    private static JsonNode users;
    private static JsonNode tokens;
    private final HttpClient http = HttpClient.newHttpClient();

    static Path fixtures() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/fixtures/flask-security");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/fixtures/flask-security not found");
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-fixture-db");
        Path db = dir.resolve("app.db");
        Files.copy(fixtures().resolve("app.db"), db, StandardCopyOption.REPLACE_EXISTING);
        users = JSON.readTree(Files.readString(fixtures().resolve("users.json")));
        tokens = JSON.readTree(Files.readString(fixtures().resolve("tokens.json")));
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", dir.toString());
        env.put("DATABASE_URL", "jdbc:sqlite:" + db);
        env.put("SECRET_KEY", tokens.path("config").path("SECRET_KEY").asString());
        env.put("SECURITY_PASSWORD_SALT", "gatehouse-public-fixture-password-salt-3d8f");
        env.put("SECURITY_CONFIRMABLE", "true");
        env.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        // The fixture's tokens were signed on 2026-01-01 by an app without a token age limit.
        env.put("SECURITY_TOKEN_MAX_AGE", "0");
        app = DemoApp.start(env);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private HttpResponse<String> login(String email, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("email", email, "password", password));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login?include_auth_token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int me(String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/me")).header("Accept", "application/json")
                .header(header, value).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode user(String key) {
        for (JsonNode u : users.path("users")) {
            if (u.path("key").asString().equals(key)) {
                return u;
            }
        }
        throw new IllegalArgumentException(key);
    }

    private JsonNode token(String id) {
        for (JsonNode t : tokens.path("tokens")) {
            if (t.path("id").asString().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException(id);
    }

    @Test
    void usersSignInAsTheyDidInFlaskSecurity() throws Exception {
        for (String key : new String[] {"admin", "editor", "inactive", "unconfirmed"}) {
            JsonNode u = user(key);
            JsonNode expected = u.path("reference_app_login").get(0);
            HttpResponse<String> r = login(u.path("email").asString(), u.path("password").asString());
            assertThat(r.statusCode()).as(key + ": " + r.body()).isEqualTo(expected.path("status").asInt());
            JsonNode resp = JSON.readTree(r.body()).path("response");
            if (r.statusCode() == 200) {
                assertThat(resp.path("user").path("authentication_token").asString()).isNotBlank();
            } else {
                assertThat(resp.path("field_errors")).isEqualTo(expected.path("response").path("field_errors"));
            }
        }
        JsonNode alice = user("admin");
        assertThat(login(alice.path("email").asString(), "wrong").statusCode()).isEqualTo(400);
    }

    @Test
    void passwordsAreNormalizedAsFlaskSecurityForms() throws Exception {
        JsonNode eddie = user("editor");
        String nfd = Normalizer.normalize(eddie.path("password").asString(), Normalizer.Form.NFD);
        assertThat(login(eddie.path("email").asString(), nfd).statusCode()).isEqualTo(200);
    }

    @Test
    void bcryptUserIsRehashedToArgon2OnLogin() throws Exception {
        JsonNode ulla = null;
        for (JsonNode u : users.path("users")) {
            if (u.path("password_scheme").asString().equals("bcrypt")) {
                ulla = u;
            }
        }
        assertThat(ulla).isNotNull();
        String email = ulla.path("email").asString();
        assertThat(app.gatehouse().datastore().findUserByIdentity("email", email).orElseThrow().password()).startsWith("$2");
        assertThat(login(email, ulla.path("password").asString()).statusCode()).isEqualTo(200);
        assertThat(app.gatehouse().datastore().findUserByIdentity("email", email).orElseThrow().password())
                .startsWith("$argon2id$");
        assertThat(login(email, ulla.path("password").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensAndRememberCookieFromThePythonAppAuthenticate() throws Exception {
        assertThat(me("Authentication-Token", token("auth/admin").path("token").asString())).isEqualTo(200);
        assertThat(me("Authentication-Token", token("auth/editor").path("token").asString())).isEqualTo(200);
        assertThat(me("Authentication-Token", token("auth/inactive").path("token").asString())).isEqualTo(401);
        assertThat(me("Authentication-Token", token("negative/other-secret-key").path("token").asString())).isEqualTo(401);
        assertThat(me("Authentication-Token", token("negative/signature-changed").path("token").asString())).isEqualTo(401);
        assertThat(me("Cookie", "remember_token=" + token("cookie/remember-admin").path("token").asString())).isEqualTo(200);
    }
}

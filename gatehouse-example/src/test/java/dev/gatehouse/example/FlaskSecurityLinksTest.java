package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Confirmation and reset links mailed by the real Flask-Security 5.1.2 (the fixture's
 * tokens.json), followed against the demo app on a copy of the same database: accepted within
 * their lifetime with the outcome the Python app gave, refused one second after it.
 */
class FlaskSecurityLinksTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicReference<Instant> NOW = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private DemoApp app;
    private String base;

    private static final Clock CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return NOW.get();
        }
    };

    private JsonNode token(String id) throws Exception {
        for (JsonNode t : JSON.readTree(Files.readString(FlaskSecurityDatabaseTest.fixtures().resolve("tokens.json")))
                .path("tokens")) {
            if (t.path("id").asString().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException(id);
    }

    private void start(long epochSecond) throws Exception {
        NOW.set(Instant.ofEpochSecond(epochSecond));
        Path dir = Files.createTempDirectory("gatehouse-fixture-links");
        Path db = dir.resolve("app.db");
        Files.copy(FlaskSecurityDatabaseTest.fixtures().resolve("app.db"), db, StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", dir.toString());
        env.put("DATABASE_URL", "jdbc:sqlite:" + db);
        env.put("SECRET_KEY", "gatehouse-public-fixture-secret-key-7c1e5b9a2f");
        env.put("SECURITY_PASSWORD_SALT", "gatehouse-public-fixture-password-salt-3d8f");
        env.put("SECURITY_CONFIRMABLE", "true");
        env.put("SECURITY_RECOVERABLE", "true");
        env.put("SECURITY_CONFIRM_EMAIL_WITHIN", "5 days");
        env.put("SECURITY_RESET_PASSWORD_WITHIN", "5 days");
        env.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        env.put("SECURITY_TOKEN_MAX_AGE", "0");
        app = DemoApp.start(env, CLOCK);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, Object body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int login(String email, String password) throws Exception {
        return send("POST", "/login", Map.of("email", email, "password", password)).statusCode();
    }

    /** One app on one copy of the database; time moves, so the refusals come before the uses. */
    @Test
    void linksMadeByFlaskSecurityWorkWithinTheirLifetimeAndOnce() throws Exception {
        String confirm = "/confirm/" + token("confirm/unconfirmed").path("token").asString();
        String reset = "/reset/" + token("reset/editor").path("token").asString();
        String oldAuth = token("auth/editor").path("token").asString();
        Map<String, Object> pw = Map.of("password", "Eddie-After-Reset-1", "password_confirm", "Eddie-After-Reset-1");
        start(1767657601);

        // One second too old: refused, and nothing changes.
        assertThat(send("GET", confirm, null).headers().firstValue("Location")).hasValue("/confirm");
        HttpResponse<String> expired = send("POST", reset, pw);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("You did not reset your password within 5 days.");
        assertThat(login("uma.unconfirmed@example.com", "Unconfirmed-Uma-7")).isEqualTo(400);

        // Within their lifetime (the last second of it for the reset link).
        NOW.set(Instant.ofEpochSecond(1767226200));
        HttpResponse<String> confirmed = send("GET", confirm, null);
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(confirmed.headers().firstValue("Location")).hasValue("/login");
        assertThat(login("uma.unconfirmed@example.com", "Unconfirmed-Uma-7")).isEqualTo(200);

        NOW.set(Instant.ofEpochSecond(1767657600));
        assertThat(send("GET", "/api/me", null, "Authentication-Token", oldAuth).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("POST", reset, pw);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(send("GET", "/api/me", null, "Authentication-Token", oldAuth).statusCode()).isEqualTo(401);
        assertThat(login("eddie.editor@example.com", "Eddie-After-Reset-1")).isEqualTo(200);
        HttpResponse<String> again = send("POST", reset, pw);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("Invalid reset password token.");
    }
}

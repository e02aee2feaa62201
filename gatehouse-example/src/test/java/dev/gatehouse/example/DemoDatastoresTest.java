package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo app answers sign-in the same way whichever datastore GATEHOUSE_DATASTORE picks. */
class DemoDatastoresTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @ParameterizedTest(name = "GATEHOUSE_DATASTORE={0}")
    @ValueSource(strings = {"jdbc", "jpa", "mongo"})
    void signInAndTokensWorkOnEveryDatastore(String kind) throws Exception {
        Path data = Files.createTempDirectory("gatehouse-demo-" + kind);
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_DATASTORE", kind);
        env.put("SECURITY_TRACKABLE", "true");
        env.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        MongoServer mongo = null;
        if (kind.equals("mongo")) {
            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
            env.put("DATABASE_URL", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/demo");
        }
        DemoApp app = DemoApp.start(env);
        try {
            String base = "http://127.0.0.1:" + app.port();
            HttpResponse<String> wrong = post(base + "/login", "{\"email\":\"USER@example.com\",\"password\":\"nope\"}");
            assertThat(wrong.statusCode()).isEqualTo(400);

            HttpResponse<String> login = post(base + "/login?include_auth_token",
                    "{\"email\":\"USER@example.com\",\"password\":\"UserPassw0rd!\"}");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String token = JSON.readTree(login.body()).path("response").path("user").path("authentication_token").asString();
            JsonNode me = JSON.readTree(get(base + "/api/me", token).body());
            assertThat(me.path("email").asString()).isEqualTo("user@example.com");
            assertThat(me.path("login_count").asInt()).isEqualTo(1);
            assertThat(get(base + "/api/admin", token).statusCode()).isEqualTo(403);

            String adminToken = JSON.readTree(post(base + "/login?include_auth_token",
                    "{\"email\":\"admin@example.com\",\"password\":\"AdminPassw0rd!\"}").body())
                    .path("response").path("user").path("authentication_token").asString();
            assertThat(get(base + "/api/admin", adminToken).statusCode()).isEqualTo(200);
        } finally {
            app.stop();
            if (mongo != null) {
                mongo.shutdownNow();
            }
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .header("Authentication-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

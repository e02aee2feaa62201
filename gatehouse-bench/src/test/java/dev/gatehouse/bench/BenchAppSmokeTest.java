package dev.gatehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.User;
import dev.gatehouse.session.SessionData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bench harness starts and answers; the benchmarks themselves never run in the build. */
class BenchAppSmokeTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(BenchApp app, String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Accept", "application/json");
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheBaselineOutsideTheFilterAndAuthenticatesThroughIt() throws Exception {
        try (BenchApp app = BenchApp.start("jdbc:h2:mem:smoke-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            User user = User.builder(UserSeeder.email(1), UserSeeder.uniquifier(1)).build();
            app.datastore().createUser(user);

            HttpResponse<String> bare = get(app, "/bare/ping", null, null);
            HttpResponse<String> filtered = get(app, "/api/ping", null, null);
            assertThat(bare.statusCode()).isEqualTo(200);
            assertThat(filtered.statusCode()).isEqualTo(200);
            // Gatehouse adds Vary: Cookie to whatever passes through it; the baseline never meets it.
            assertThat(bare.headers().allValues("Vary")).doesNotContain("Cookie");
            assertThat(filtered.headers().allValues("Vary")).contains("Cookie");

            assertThat(get(app, "/api/me", null, null).statusCode()).isEqualTo(401);
            String token = app.gatehouse().issueAuthToken(user, Instant.now());
            assertThat(get(app, "/api/me", "Authentication-Token", token).body()).contains(UserSeeder.email(1));
            Instant now = Instant.now();
            String cookie = app.gatehouse().sessionCodec().encode(SessionData.loggedIn(user.fsUniquifier(), now, false, now));
            assertThat(get(app, "/api/me", "Cookie", "session=" + cookie).body()).contains(UserSeeder.email(1));
        }
    }

    @Test
    void writesAWrkScriptThatSendsEveryRequestInTurn() {
        String lua = Wrk.lua(List.of(Wrk.Request.get("/a", Map.of("X-A", "1")),
                new Wrk.Request("POST", "/login", Map.of("Content-Type", "application/json"), "{\"a\":\"b\"}")));
        assertThat(lua).contains("{ [==[GET]==], [==[/a]==], { [ [==[X-A]==] ] = [==[1]==], }, nil },")
                .contains("[==[{\"a\":\"b\"}]==]").contains("done = function(summary, latency, requests)");
    }

    @Test
    void tellsIndexedPlansFromScans() {
        assertThat(QueryPlans.indexed("SELECT \"U\".\"ID\" FROM \"PUBLIC\".\"user\" \"U\" /* PUBLIC.UX_USER_EMAIL_LOWER: "
                + "EMAIL_LOWER = LOWER(?1) */ WHERE \"EMAIL_LOWER\" = LOWER(?1)")).isTrue();
        assertThat(QueryPlans.indexed("SELECT \"U\".\"ID\" FROM \"PUBLIC\".\"user\" \"U\" /* PUBLIC.\"user\".tableScan */"
                + " WHERE \"EMAIL\" = ?1")).isFalse();
        assertThat(QueryPlans.indexed("SELECT \"U\".\"ID\" FROM \"PUBLIC\".\"user\" \"U\" /* PUBLIC.PRIMARY_KEY_13 */"))
                .isFalse();
    }
}

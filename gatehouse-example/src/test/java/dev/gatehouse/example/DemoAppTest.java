package dev.gatehouse.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo app as a client sees it: a JSON session over real HTTP, and the login page in Chromium. */
class DemoAppTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static DemoApp app;
    private static Path data;
    private static String base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("gatehouse-demo");
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("SECURITY_TRACKABLE", "true");
        env.put("SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true");
        env.put("SECURITY_CSRF_PROTECT_MECHANISMS", "session,basic");
        app = DemoApp.start(env);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void secretsAreGeneratedAndKept() throws Exception {
        Path secrets = data.resolve("secrets.properties");
        assertThat(secrets).exists();
        assertThat(Files.getPosixFilePermissions(secrets)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void jsonClientSession() throws Exception {
        assertThat(send("GET", "/api/ping", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/me", null).statusCode()).isEqualTo(401);

        HttpResponse<String> login = send("POST", "/login?include_auth_token",
                "{\"email\":\"user@example.com\",\"password\":\"UserPassw0rd!\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = JSON.readTree(login.body()).path("response").path("user").path("authentication_token").asString();
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("session="))
                .findFirst().orElseThrow().split(";")[0];

        JsonNode meByCookie = JSON.readTree(send("GET", "/api/me", null, "Cookie", cookie).body());
        assertThat(meByCookie.path("email").asString()).isEqualTo("user@example.com");
        assertThat(meByCookie.path("login_count").asInt()).isPositive();
        JsonNode meByToken = JSON.readTree(send("GET", "/api/me", null, "Authentication-Token", token).body());
        assertThat(meByToken.path("email").asString()).isEqualTo("user@example.com");
        assertThat(send("GET", "/api/admin", null, "Authentication-Token", token).statusCode()).isEqualTo(403);

        String adminToken = JSON.readTree(send("POST", "/login?include_auth_token",
                "{\"email\":\"admin@example.com\",\"password\":\"AdminPassw0rd!\"}").body())
                .path("response").path("user").path("authentication_token").asString();
        assertThat(send("GET", "/api/admin", null, "Authentication-Token", adminToken).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = send("POST", "/logout", "{}", "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(200);
        String cleared = logout.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("session="))
                .findFirst().orElseThrow();
        assertThat(cleared).contains("Max-Age=0");
    }

    @Test
    void loginPageInABrowser() {
        ChromeDriver browser = Browser.start();
        try {
            browser.get(base + "/api/me");
            assertThat(browser.getCurrentUrl()).contains("/login?next=");
            browser.findElement(By.id("email")).sendKeys("admin@example.com");
            browser.findElement(By.id("password")).sendKeys("wrong-password");
            Browser.clickAndWait(browser, By.id("submit"));
            assertThat(browser.findElement(By.id("password-error")).getText()).contains("Invalid password");
            browser.findElement(By.id("password")).sendKeys("AdminPassw0rd!");
            Browser.clickAndWait(browser, By.id("submit"));
            assertThat(browser.getPageSource()).contains("admin@example.com");
            browser.get(base + "/");
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin@example.com");
            Browser.clickAndWait(browser, By.cssSelector("form[action='/logout'] button"));
            browser.get(base + "/");
            assertThat(browser.findElements(By.id("who"))).isEmpty();
        } finally {
            browser.quit();
        }
    }
}

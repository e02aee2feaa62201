package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.i18n.Messages;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password rules in Flask-Security's order, with the breached check against a real local
 * HTTP server that answers the Pwned Passwords range format, and zxcvbn for complexity.
 */
class PasswordRulesTest {
    private static final Messages MSG = Messages.english();
    private static final String BREACHED = "Password on breached list";
    private static final String SITE_ERROR = "Failed to contact breached passwords site";
    private static final String LENGTH = "Password must be at least 8 characters";

    /** What the range server answers: a status and a body, settable per test. */
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final AtomicReference<String> BODY_OVERRIDE = new AtomicReference<>();
    private static final AtomicInteger DELAY_MS = new AtomicInteger();
    private static final List<String> PATHS = new CopyOnWriteArrayList<>();
    private static final Map<String, Integer> CORPUS = new HashMap<>();
    private static HttpServer range;
    private static String rangeUrl;

    @BeforeAll
    static void startRangeServer() throws IOException {
        CORPUS.put(BreachedPasswords.sha1Hex("Summer-2019!"), 3);
        CORPUS.put(BreachedPasswords.sha1Hex("Once-Leaked-Pw"), 1);
        range = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        range.createContext("/range/", exchange -> {
            PATHS.add(exchange.getRequestURI().getPath());
            String prefix = exchange.getRequestURI().getPath().substring("/range/".length());
            StringBuilder body = new StringBuilder();
            // Padding as the real service sends it: suffixes with a count of 0.
            body.append("0000000000000000000000000000000000A:0\r\n");
            CORPUS.forEach((hash, count) -> {
                if (hash.startsWith(prefix)) {
                    body.append(hash.substring(5)).append(':').append(count).append("\r\n");
                }
            });
            body.append("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:12");
            try {
                Thread.sleep(DELAY_MS.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = (BODY_OVERRIDE.get() != null ? BODY_OVERRIDE.get() : body.toString()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(STATUS.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        range.start();
        rangeUrl = "http://127.0.0.1:" + range.getAddress().getPort() + "/range/";
    }

    @AfterAll
    static void stopRangeServer() {
        range.stop(0);
    }

    private static void serve(int status, String body, int delayMs) {
        STATUS.set(status);
        BODY_OVERRIDE.set(body);
        DELAY_MS.set(delayMs);
    }

    private static PasswordRules rules(Map<String, String> settings) {
        GatehouseConfig c = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s")
                .set("GATEHOUSE_PASSWORD_BREACHED_URL", rangeUrl).set("GATEHOUSE_PASSWORD_BREACHED_TIMEOUT", "1")
                .putAll(settings).build();
        return new PasswordRules(c, MSG);
    }

    private static Map<String, String> own() {
        return Map.of("email", "alice@example.com", "username", "alice");
    }

    @Test
    void lengthIsCountedInCharactersAfterNormalization() {
        PasswordRules r = rules(Map.of());
        assertThat(r.validate("short", own())).containsExactly(LENGTH);
        assertThat(r.validate("x".repeat(129), own())).containsExactly(LENGTH);
        assertThat(r.validate("x".repeat(128), own())).isEmpty();
        // Eight characters outside the BMP are eight, not sixteen UTF-16 units.
        assertThat(r.validate("😀".repeat(7), own())).containsExactly(LENGTH);
        assertThat(r.validate("😀".repeat(8), own())).isEmpty();
        // NFKD turns the ligature "ﬃ" into three letters: "aﬃbc12" is 8 characters once normalized.
        assertThat(r.validate("aﬃbc1", own())).containsExactly(LENGTH);
        assertThat(r.validate("aﬃbc12", own())).isEmpty();
        assertThat(rules(Map.of("SECURITY_PASSWORD_LENGTH_MIN", "12")).validate("Elevenchars", own()))
                .containsExactly("Password must be at least 12 characters");
    }

    @Test
    void breachedPasswordsAreRefusedFromTheCountOn() {
        serve(200, null, 0);
        PasswordRules r = rules(Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "strict"));
        assertThat(r.validate("Summer-2019!", own())).containsExactly(BREACHED);
        assertThat(r.validate("Once-Leaked-Pw", own())).containsExactly(BREACHED);
        assertThat(r.validate("Never-Seen-Passw0rd", own())).isEmpty();
        PasswordRules three = rules(Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "strict", "SECURITY_PASSWORD_BREACHED_COUNT", "3"));
        assertThat(three.validate("Summer-2019!", own())).containsExactly(BREACHED);
        assertThat(three.validate("Once-Leaked-Pw", own())).isEmpty();
    }

    @Test
    void onlyFiveHexDigitsOfTheHashLeaveTheMachine() {
        serve(200, null, 0);
        PATHS.clear();
        rules(Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "best-effort")).validate("Summer-2019!", own());
        assertThat(PATHS).containsExactly("/range/" + BreachedPasswords.sha1Hex("Summer-2019!").substring(0, 5));
    }

    @Test
    void aFailingServiceRefusesWhenStrictAndPassesWhenBestEffort() throws IOException {
        PasswordRules strict = rules(Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "strict"));
        PasswordRules lenient = rules(Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "best-effort"));
        try {
            for (Runnable failure : List.<Runnable>of(
                    () -> serve(503, "busy", 0),
                    () -> serve(200, "<html>captive portal</html>", 0),
                    () -> serve(200, null, 1500))) {
                failure.run();
                assertThat(strict.validate("Summer-2019!", own())).containsExactly(SITE_ERROR);
                assertThat(lenient.validate("Summer-2019!", own())).isEmpty();
            }
        } finally {
            serve(200, null, 0);
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> nowhere = Map.of("GATEHOUSE_PASSWORD_BREACHED_URL", "http://127.0.0.1:" + closedPort + "/range/");
        Map<String, String> s1 = new HashMap<>(nowhere);
        s1.put("SECURITY_PASSWORD_CHECK_BREACHED", "strict");
        assertThat(rules(s1).validate("Summer-2019!", own())).containsExactly(SITE_ERROR);
        s1.put("SECURITY_PASSWORD_CHECK_BREACHED", "best-effort");
        assertThat(rules(s1).validate("Summer-2019!", own())).isEmpty();
    }

    @Test
    void rangeLinesAreReadCaseInsensitivelyWithOrWithoutABom() throws IOException {
        String hash = BreachedPasswords.sha1Hex("x");
        String suffix = hash.substring(5);
        assertThat(PwnedPasswordsRange.find("\uFEFF" + suffix.toLowerCase(Locale.ROOT) + ":7\n", suffix)).isEqualTo(7);
        assertThat(PwnedPasswordsRange.find("", suffix)).isZero();
        assertThat(PwnedPasswordsRange.find(suffix + ":99999999999\r\n", suffix)).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> PwnedPasswordsRange.find(suffix + ":-1", suffix)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PwnedPasswordsRange.find(hash + ":1", suffix)).isInstanceOf(IOException.class);
    }

    @Test
    void aLocalListOfHashesAndPlainPasswordsStandsInForTheService(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("breached.txt");
        Files.writeString(file, "\uFEFF# common passwords and Pwned Passwords lines\n"
                + BreachedPasswords.sha1Hex("Summer-2019!") + ":3\n"
                + BreachedPasswords.sha1Hex("Once-Leaked-Pw").toLowerCase(Locale.ROOT) + ":1\n"
                + "\n"
                + "Company-Name-2026\n"
                // A plain entry is normalized like the passwords: NFKD of the ligature is "ffi".
                + "Oﬃce-Passw0rd\n", StandardCharsets.UTF_8);
        Map<String, String> s = Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "strict",
                "GATEHOUSE_PASSWORD_BREACHED_FILE", file.toString(), "SECURITY_PASSWORD_BREACHED_COUNT", "2",
                // The list wins: this URL is never asked.
                "GATEHOUSE_PASSWORD_BREACHED_URL", "http://127.0.0.1:1/never/");
        PasswordRules r = rules(s);
        assertThat(r.validate("Summer-2019!", own())).containsExactly(BREACHED);
        assertThat(r.validate("Once-Leaked-Pw", own())).as("count 1 < 2").isEmpty();
        assertThat(r.validate("Company-Name-2026", own())).as("listed without a count").containsExactly(BREACHED);
        assertThat(r.validate("Office-Passw0rd", own())).containsExactly(BREACHED);
        assertThat(r.validate("Never-Seen-Passw0rd", own())).isEmpty();
        assertThat(BreachedPasswordList.load(file, "NFKD").size()).isEqualTo(4);

        Map<String, String> missing = new HashMap<>(s);
        missing.put("GATEHOUSE_PASSWORD_BREACHED_FILE", dir.resolve("absent.txt").toString());
        assertThatThrownBy(() -> rules(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GATEHOUSE_PASSWORD_BREACHED_FILE").hasMessageContaining("absent.txt");
    }

    @Test
    void zxcvbnScoresWithTheUsersOwnFields() {
        PasswordRules r = rules(Map.of("SECURITY_PASSWORD_COMPLEXITY_CHECKER", "zxcvbn"));
        assertThat(r.validate("password", own())).containsExactly("This is a top-10 common password.");
        assertThat(r.validate("Password1", own())).containsExactly("This is a very common password.");
        // No warning from zxcvbn: Flask-Security's own message.
        assertThat(r.validate("Xk7pQ2mz", own())).containsExactly("Password not complex enough");
        assertThat(r.validate("correct horse battery staple", own())).isEmpty();
        // The user's own name makes a password guessable; the email's local part counts too.
        assertThat(r.validate("zorblax2024", Map.of())).isEmpty();
        assertThat(r.validate("zorblax2024", Map.of("username", "zorblax"))).containsExactly("Password not complex enough");
        assertThat(r.validate("zorblax2024", Map.of("email", "zorblax@example.com"))).containsExactly("Password not complex enough");
        PasswordRules lenient = rules(Map.of("SECURITY_PASSWORD_COMPLEXITY_CHECKER", "zxcvbn", "SECURITY_ZXCVBN_MINIMUM_SCORE", "2"));
        assertThat(lenient.validate("Xk7pQ2mz", own())).isEmpty();
    }

    @Test
    void eachRuleStopsTheCheck() {
        serve(200, null, 0);
        PasswordRules r = rules(Map.of("SECURITY_PASSWORD_COMPLEXITY_CHECKER", "zxcvbn", "SECURITY_PASSWORD_CHECK_BREACHED", "strict"));
        PATHS.clear();
        assertThat(r.validate("pass", own())).containsExactly(LENGTH);
        assertThat(PATHS).as("a too short password is never sent").isEmpty();
        CORPUS.put(BreachedPasswords.sha1Hex("password"), 10_000_000);
        assertThat(r.validate("password", own())).containsExactly(BREACHED);
        assertThat(r.validate("Password1", own())).containsExactly("This is a very common password.");
    }

    @Test
    void theConfigurationIsCheckedWhenBuilt() {
        Map<String, Map<String, String>> bad = Map.of(
                "SECURITY_PASSWORD_COMPLEXITY_CHECKER", Map.of("SECURITY_PASSWORD_COMPLEXITY_CHECKER", "strong"),
                "SECURITY_ZXCVBN_MINIMUM_SCORE", Map.of("SECURITY_ZXCVBN_MINIMUM_SCORE", "5"),
                "SECURITY_PASSWORD_BREACHED_COUNT", Map.of("SECURITY_PASSWORD_BREACHED_COUNT", "0"),
                "SECURITY_PASSWORD_CHECK_BREACHED", Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "always"),
                "GATEHOUSE_PASSWORD_BREACHED_URL", Map.of("SECURITY_PASSWORD_CHECK_BREACHED", "strict",
                        "GATEHOUSE_PASSWORD_BREACHED_URL", "ftp://x/"),
                "GATEHOUSE_PASSWORD_BREACHED_TIMEOUT", Map.of("GATEHOUSE_PASSWORD_BREACHED_TIMEOUT", "0"));
        bad.forEach((key, settings) -> assertThatThrownBy(() -> GatehouseConfig.builder().set("SECRET_KEY", "k")
                .set("SECURITY_PASSWORD_SALT", "s").putAll(settings).build()).as(key)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key));
    }

    @Test
    void anApplicationMayBringItsOwnSource() {
        GatehouseConfig c = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s")
                .set("SECURITY_PASSWORD_CHECK_BREACHED", "best-effort").build();
        PasswordRules r = new PasswordRules(c, MSG, pw -> pw.startsWith("Corp") ? 1 : 0, Locale.ROOT);
        assertThat(r.validate("Corp-Passw0rd-1", own())).containsExactly(BREACHED);
        assertThat(r.validate("Other-Passw0rd-1", own())).isEmpty();
        PasswordRules failing = new PasswordRules(c, MSG, pw -> {
            throw new IOException("down");
        }, Locale.ROOT);
        assertThat(failing.validate("Other-Passw0rd-1", own())).isEmpty();
        assertThat(Duration.ofSeconds(3)).isEqualTo(c.get(dev.gatehouse.ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_TIMEOUT));
    }
}

package dev.gatehouse.servlet;

import static dev.gatehouse.servlet.HttpAsserts.assertError;
import static dev.gatehouse.servlet.HttpAsserts.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.UserNotRegistered;
import dev.gatehouse.testkit.MailCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code SECURITY_RETURN_GENERIC_RESPONSES} on the lifecycle endpoints: whether an address has an
 * account must not show in the status or the shape of any answer; the owner learns by mail.
 */
class GenericLifecycleResponsesOverHttpTest {
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    static MailCapture mail;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        mail = MailCapture.start();
        Map<String, String> settings = new HashMap<>(mail.settings());
        settings.putAll(Map.of(
                "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS", "true",
                "SECURITY_RETURN_GENERIC_RESPONSES", "true",
                "SECURITY_REGISTERABLE", "true",
                "SECURITY_CONFIRMABLE", "true",
                "SECURITY_RECOVERABLE", "true",
                "SECURITY_USERNAME_ENABLE", "true"));
        server = new TestServer(settings, new TestClock(Instant.parse("2026-11-25T12:00:00Z")),
                b -> b.on(UserNotRegistered.class, EVENTS::add));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        mail.close();
    }

    private Client client() {
        return new Client(server.base);
    }

    /** The keys of the response, the way a client could tell answers apart. */
    private static List<String> shape(Client.Res r) {
        List<String> keys = new ArrayList<>();
        r.response().propertyNames().forEach(keys::add);
        return keys.stream().sorted().toList();
    }

    @Test
    void registeringATakenAddressLooksLikeANewRegistrationAndMailsTheOwner() {
        Client.Res fresh = client().postJson("/register", Map.of("email", "gen-new@example.com", "password", "Gen-Passw0rd-1",
                "password_confirm", "Gen-Passw0rd-1"));
        Client.Res taken = client().postJson("/register", Map.of("email", TestServer.USER, "password", "Gen-Passw0rd-1",
                "password_confirm", "Gen-Passw0rd-1"));
        assertOk(fresh);
        assertOk(taken);
        assertThat(shape(taken)).isEqualTo(shape(fresh)).containsExactly("csrf_token");
        MailCapture.Mail owner = mail.await(TestServer.USER, 1).get(0);
        assertThat(owner.text()).contains("already has one");
        assertThat(owner.link("/reset/")).startsWith(server.base + "/reset/");
        assertThat(EVENTS).anyMatch(e -> e instanceof UserNotRegistered n && n.existingEmail()
                && n.existingUser().email().equals(TestServer.USER) && !n.formData().containsKey("password"));
        // The reset link in that mail works.
        assertOk(client().postJson(owner.linkPath("/reset/"), Map.of("password", "Brand-New-Passw0rd",
                "password_confirm", "Brand-New-Passw0rd")));
        assertOk(client().postJson("/login", Map.of("email", TestServer.USER, "password", "Brand-New-Passw0rd")));
    }

    @Test
    void aTakenUsernameWithANewAddressMailsTheNewAddress() {
        assertOk(client().postJson("/register", Map.of("email", "gen-first@example.com", "username", "takenname",
                "password", "Gen-Passw0rd-1", "password_confirm", "Gen-Passw0rd-1")));
        Client.Res r = client().postJson("/register", Map.of("email", "gen-second@example.com", "username", "TakenName",
                "password", "Gen-Passw0rd-1", "password_confirm", "Gen-Passw0rd-1"));
        assertOk(r);
        assertThat(shape(r)).containsExactly("csrf_token");
        assertThat(mail.await("gen-second@example.com", 1).get(0).text()).contains("username \"TakenName\"");
        assertThat(server.datastore.findUserByIdentity("email", "gen-second@example.com")).isEmpty();
    }

    @Test
    void otherProblemsAreStillReportedButNeverTheTakenAddress() {
        JsonNode r = assertError(client().postJson("/register", Map.of("email", TestServer.ADMIN, "password", "short",
                "password_confirm", "short")), 400, "password", "Password must be at least 8 characters");
        assertThat(r.path("field_errors").has("email")).isFalse();
        assertError(client().postJson("/register", Map.of("email", "not-an-email", "password", "Gen-Passw0rd-1",
                "password_confirm", "Gen-Passw0rd-1")), 400, "email", "Invalid email address");
    }

    @Test
    void forgotPasswordAndResendAnswerTheSameForEveryone() {
        String unconfirmed = "gen-unconfirmed@example.com";
        server.createUser(unconfirmed, "Unconf-Passw0rd", false, null);
        for (String path : List.of("/reset", "/confirm")) {
            Client.Res known = client().postJson(path, Map.of("email", path.equals("/reset") ? TestServer.ADMIN : unconfirmed));
            Client.Res unknown = client().postJson(path, Map.of("email", "gen-nobody@example.com"));
            Client.Res wrongState = client().postJson(path, Map.of("email", path.equals("/reset") ? unconfirmed : TestServer.ADMIN));
            for (Client.Res r : List.of(known, unknown, wrongState)) {
                assertOk(r);
                assertThat(shape(r)).as(path).containsExactly("csrf_token");
            }
            assertError(client().postJson(path, Map.of("email", "malformed")), 400, "email", "Invalid email address");
        }
        assertThat(mail.await(TestServer.ADMIN, 1).get(0).subject()).isEqualTo("Password reset instructions");
        assertThat(mail.await(unconfirmed, 1).get(0).subject()).isEqualTo("Please confirm your email");
        assertThat(mail.mailsTo("gen-nobody@example.com")).isEmpty();
    }
}

package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.gatehouse.Fixtures;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every entry of the Flask-Security 5.1.2 {@code tokens.json} fixture, decoded and judged at each
 * of its check times exactly as the library judged it; and our signing reproduces its bytes.
 */
class TokenFixturesTest {
    private static final JsonNode FIXTURE = Fixtures.json("tokens.json");
    private static final String SECRET = FIXTURE.get("config").get("SECRET_KEY").stringValue();
    private static final String OTHER_SECRET =
            FIXTURE.get("config").get("OTHER_SECRET_KEY (only for negative/other-secret-key)").stringValue();
    private static final JsonNode USERS = Fixtures.json("users.json").get("users");

    static Clock at(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    static Duration maxAge(JsonNode check) {
        JsonNode m = check.get("max_age");
        return m == null || m.isNull() ? null : Duration.ofSeconds(m.longValue());
    }

    static String verdict(TokenResult<?> r) {
        if (r instanceof TokenResult.Valid) {
            return "valid";
        }
        return r instanceof TokenResult.Expired ? "expired" : "invalid";
    }

    private static List<JsonNode> entries() {
        List<JsonNode> list = new ArrayList<>();
        FIXTURE.get("tokens").forEach(list::add);
        return list;
    }

    @Test
    void fixtureHasTheExpectedEntries() {
        assertThat(entries()).hasSize(23);
        assertThat(entries()).extracting(e -> e.get("kind").stringValue()).containsOnly(
                "auth_token", "confirm", "reset", "passwordless_login", "tf_validity", "us_setup_state",
                "flask_session_cookie", "remember_cookie");
    }

    /** The core verdict: the itsdangerous-level serializer, every entry, every check. */
    @TestFactory
    Stream<DynamicTest> everyCheckOfEveryEntry() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : entries()) {
            String id = entry.get("id").stringValue();
            String kind = entry.get("kind").stringValue();
            String token = entry.get("token").stringValue();
            for (JsonNode check : entry.get("checks")) {
                long now = check.get("now").longValue();
                String expected = check.get("expected").stringValue();
                boolean quirk = entry.path("quirk").asBoolean(false);
                tests.add(dynamicTest(id + " @" + now + " -> " + expected, () -> {
                    if (kind.equals("remember_cookie")) {
                        Optional<String> uid = new RememberCookie(List.of(SECRET)).verify(token);
                        assertThat(uid).contains(entry.get("payload").stringValue());
                        assertThat(expected).isEqualTo("valid");
                        return;
                    }
                    String salt = check.has("checked_with_salt")
                            ? check.get("checked_with_salt").stringValue() : entry.get("salt").stringValue();
                    TimedSerializer s = kind.equals("flask_session_cookie")
                            ? TimedSerializer.flaskSessionCookie(List.of(SECRET), at(now))
                            : new TimedSerializer(List.of(SECRET), salt, at(now));
                    TokenResult<JsonNode> r = s.loads(token, maxAge(check));
                    if (quirk) {
                        // QUIRK DECISION: itsdangerous accepts this token because it decodes the
                        // signature leniently: the last base64 character differs only in its two
                        // unused low bits, so it decodes to the same 20 MAC bytes. We compare the
                        // canonical encoding instead and REJECT it. Flask-Security (itsdangerous)
                        // only ever emits the canonical form, so no genuine token is lost, and a
                        // token keeps exactly one spelling: a denylist, replay cache or log keyed on
                        // the token text cannot be bypassed by re-spelling it. This is no forgery
                        // risk either way; it is about malleability.
                        assertThat(expected).isEqualTo("valid"); // what the library said...
                        assertThat(verdict(r)).isEqualTo("invalid"); // ...and what we deliberately say
                        return;
                    }
                    assertThat(verdict(r)).isEqualTo(expected);
                    if (!(r instanceof TokenResult.Invalid)) {
                        JsonNode payload = r instanceof TokenResult.Valid<JsonNode> v ? v.payload()
                                : ((TokenResult.Expired<JsonNode>) r).payload();
                        Instant signedAt = r instanceof TokenResult.Valid<JsonNode> v ? v.signedAt()
                                : ((TokenResult.Expired<JsonNode>) r).signedAt();
                        assertThat(payload).isEqualTo(entry.get("payload"));
                        assertThat(signedAt).isEqualTo(Instant.ofEpochSecond(entry.get("signed_at").longValue()));
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Our signing gives the very bytes Flask-Security gave, for the same payload, time and key. */
    @TestFactory
    Stream<DynamicTest> dumpsReproducesEveryGenuineToken() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : entries()) {
            if (!entry.has("anatomy") || !entry.has("signed_at") || entry.get("kind").stringValue().equals("remember_cookie")) {
                continue; // derived negatives have no payload of their own; the cookie has its own test
            }
            String id = entry.get("id").stringValue();
            tests.add(dynamicTest(id, () -> {
                String key = entry.has("signed_with_secret_key") ? entry.get("signed_with_secret_key").stringValue() : SECRET;
                Clock clock = at(entry.get("signed_at").longValue());
                TimedSerializer s = entry.get("kind").stringValue().equals("flask_session_cookie")
                        ? TimedSerializer.flaskSessionCookie(List.of(key), clock)
                        : new TimedSerializer(List.of(key), entry.get("salt").stringValue(), clock);
                assertThat(s.dumps(entry.get("payload"))).isEqualTo(entry.get("token").stringValue());
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(14);
        return tests.stream();
    }

    @Test
    void otherSecretKeyTokenIsGenuineUnderItsOwnKeyOnly() {
        JsonNode entry = entry("negative/other-secret-key");
        String token = entry.get("token").stringValue();
        assertThat(verdict(new TimedSerializer(List.of(OTHER_SECRET), "remember-salt", at(1767225600)).loads(token, null)))
                .isEqualTo("valid");
        // With the app key as current and the other one as a fallback, it is accepted (rotation)...
        assertThat(verdict(new TimedSerializer(List.of(SECRET, OTHER_SECRET), "remember-salt", at(1767225600))
                .loads(token, null))).isEqualTo("valid");
        // ...and without it, not.
        assertThat(verdict(new TimedSerializer(List.of(SECRET), "remember-salt", at(1767225600)).loads(token, null)))
                .isEqualTo("invalid");
    }

    @Test
    void rememberCookieIsReproducedAndChecked() {
        JsonNode entry = entry("cookie/remember-admin");
        RememberCookie cookie = new RememberCookie(List.of(SECRET));
        assertThat(cookie.create(entry.get("payload").stringValue())).isEqualTo(entry.get("token").stringValue());
        assertThat(new RememberCookie(List.of(OTHER_SECRET)).verify(entry.get("token").stringValue())).isEmpty();
        assertThat(new RememberCookie(List.of(OTHER_SECRET, SECRET)).verify(entry.get("token").stringValue()))
                .contains(entry.get("payload").stringValue());
    }

    /** The typed services give the same verdicts as the serializer on every fixture they handle. */
    @TestFactory
    Stream<DynamicTest> typedServicesAgreeWithTheFixture() {
        SecureRandom random = new SecureRandom();
        Map<String, Function<Long, Function<JsonNode, Function<String, String>>>> byKind = Map.of(
                "auth_token", now -> check -> token -> new AuthTokens(List.of(SECRET), "remember-salt", maxAge(check), at(now))
                        .verify(token).map(t -> "valid").orElse("rejected"),
                "confirm", now -> check -> token -> verdict(new ConfirmTokens(List.of(SECRET), "confirm-salt",
                        maxAge(check), at(now), random).check(token)),
                "reset", now -> check -> token -> verdict(new ResetTokens(List.of(SECRET), "reset-salt",
                        maxAge(check), at(now), random).check(token)),
                "passwordless_login", now -> check -> token -> verdict(new LoginTokens(List.of(SECRET), "login-salt",
                        maxAge(check), at(now)).check(token)),
                "tf_validity", now -> check -> token -> verdict(new TfValidityTokens(List.of(SECRET), "tf-validity-salt",
                        maxAge(check), at(now)).check(token)));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : entries()) {
            var service = byKind.get(entry.get("kind").stringValue());
            if (service == null) {
                continue;
            }
            for (JsonNode check : entry.get("checks")) {
                if (check.has("checked_with_salt")) {
                    continue; // the wrong-salt entry is covered by the serializer test and below
                }
                long now = check.get("now").longValue();
                String expected = check.get("expected").stringValue();
                String id = entry.get("id").stringValue();
                tests.add(dynamicTest(id + " @" + now, () -> {
                    String got = service.apply(now).apply(check).apply(entry.get("token").stringValue());
                    if (entry.get("kind").stringValue().equals("auth_token")) {
                        boolean accept = expected.equals("valid") && !entry.path("quirk").asBoolean(false);
                        assertThat(got).isEqualTo(accept ? "valid" : "rejected");
                    } else {
                        assertThat(got).isEqualTo(expected);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void authTokensReadThe512ListFormat() {
        JsonNode entry = entry("auth/admin");
        AuthTokens tokens = new AuthTokens(List.of(SECRET), "remember-salt", null, at(1767226200));
        AuthTokens.AuthToken t = tokens.verify(entry.get("token").stringValue()).orElseThrow();
        assertThat(t.uid()).isEqualTo(entry.get("user_fs_uniquifier").stringValue());
        assertThat(t.version()).isEqualTo("4");
        assertThat(t.primaryAuthAt()).isNull();
        assertThat(t.expiresAt()).isNull();
        assertThat(t.signedAt()).isEqualTo(Instant.ofEpochSecond(1767225600));
    }

    @Test
    void confirmationTokenIsTypedBoundToTheEmailAndReproducible() {
        JsonNode entry = entry("confirm/unconfirmed");
        String hash = entry.get("payload").get(1).stringValue();
        String salt = hash.split("\\$")[3];
        ConfirmTokens tokens = new ConfirmTokens(List.of(SECRET), "confirm-salt", Duration.ofDays(5),
                at(1767225600), new ScriptedRandom(salt));
        // Same uniquifier, e-mail, hash salt and time: the very token Flask-Security mailed.
        assertThat(tokens.generate(entry.get("user_fs_uniquifier").stringValue(), entry.get("user_email").stringValue()))
                .isEqualTo(entry.get("token").stringValue());
        ConfirmTokens.Confirmation c = tokens.check(entry.get("token").stringValue()).validPayload().orElseThrow();
        assertThat(c.uniquifier()).isEqualTo(entry.get("user_fs_uniquifier").stringValue());
        assertThat(c.emailHash()).isEqualTo(hash);
        assertThat(c.emailMatches(entry.get("user_email").stringValue())).isTrue();
        assertThat(c.emailMatches("someone.else@example.com")).isFalse();
    }

    @Test
    void resetTokenIsTypedBoundToThePasswordHashAndReproducible() {
        JsonNode entry = entry("reset/editor");
        String passwordColumn = user(entry.get("user_email").stringValue()).get("db_row").get("password").stringValue();
        String hash = entry.get("payload").get(1).stringValue();
        ResetTokens tokens = new ResetTokens(List.of(SECRET), "reset-salt", Duration.ofDays(5),
                at(1767225600), new ScriptedRandom(hash.split("\\$")[3]));
        assertThat(tokens.generate(entry.get("user_fs_uniquifier").stringValue(), passwordColumn))
                .isEqualTo(entry.get("token").stringValue());
        ResetTokens.Reset r = tokens.check(entry.get("token").stringValue()).validPayload().orElseThrow();
        assertThat(r.uniquifier()).isEqualTo(entry.get("user_fs_uniquifier").stringValue());
        assertThat(r.passwordMatches(passwordColumn)).isTrue();
        assertThat(r.passwordMatches(passwordColumn + "x")).isFalse();
    }

    @Test
    void expiredLinksStillNameTheirUser() {
        JsonNode entry = entry("login/admin");
        TokenResult<String> r = new LoginTokens(List.of(SECRET), "login-salt", Duration.ofDays(1), at(1767312001))
                .check(entry.get("token").stringValue());
        assertThat(r).isEqualTo(new TokenResult.Expired<>(entry.get("user_fs_uniquifier").stringValue(),
                Instant.ofEpochSecond(1767225600)));
        assertThat(r.validPayload()).isEmpty();
    }

    @Test
    void tfValidityPayloadIsTheBareUniquifier() {
        JsonNode entry = entry("tf_validity/totp");
        TfValidityTokens tokens = new TfValidityTokens(List.of(SECRET), "tf-validity-salt", Duration.ofDays(30), at(1767225600));
        assertThat(tokens.check(entry.get("token").stringValue()).validPayload())
                .contains(entry.get("user_fs_uniquifier").stringValue());
        assertThat(tokens.generate(entry.get("user_fs_uniquifier").stringValue())).isEqualTo(entry.get("token").stringValue());
    }

    @Test
    void linkKindsDoNotCrossOver() {
        JsonNode confirm = entry("confirm/unconfirmed");
        Clock clock = at(1767225600);
        SecureRandom random = new SecureRandom();
        String token = confirm.get("token").stringValue();
        assertThat(new ResetTokens(List.of(SECRET), "reset-salt", Duration.ofDays(5), clock, random).check(token))
                .isInstanceOf(TokenResult.Invalid.class);
        assertThat(new AuthTokens(List.of(SECRET), "remember-salt", null, clock).verify(token)).isEmpty();
        // Right salt, wrong shape: a login token read as a confirmation is invalid, not a crash.
        assertThat(new ConfirmTokens(List.of(SECRET), "login-salt", Duration.ofDays(5), clock, random)
                .check(entry("login/admin").get("token").stringValue())).isInstanceOf(TokenResult.Invalid.class);
    }

    private static JsonNode entry(String id) {
        for (JsonNode e : entries()) {
            if (e.get("id").stringValue().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no fixture entry " + id);
    }

    private static JsonNode user(String email) {
        for (JsonNode u : USERS) {
            if (u.get("email").stringValue().equals(email)) {
                return u;
            }
        }
        throw new AssertionError("no user " + email);
    }
}

package dev.gatehouse.token;

import static dev.gatehouse.token.TokenFixturesTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuthTokensTest {
    private static final String KEY = "gatehouse-public-fixture-secret-key-7c1e5b9a2f";
    private static final String UID = "ab0963361d0e4d86b53d518f283425d2";
    private static final long T = 1767225600L;

    private static AuthTokens tokens(long now, Duration maxAge) {
        return new AuthTokens(List.of(KEY), "remember-salt", maxAge, at(now));
    }

    /** Expected values computed with Python's json/hmac/zlib as Flask-Security 5.5+ would sign them. */
    @Test
    void version5TokensAreByteIdenticalToFlaskSecurity() {
        Instant paa = Instant.ofEpochSecond(T, 123_456_000);
        assertThat(tokens(T, null).issue(UID, paa)).isEqualTo(
                "eyJ2ZXIiOiI1IiwidWlkIjoiYWIwOTYzMzYxZDBlNGQ4NmI1M2Q1MThmMjgzNDI1ZDIiLCJmc19wYWEiOjE3NjcyMjU2MDAuMTIzNDU2LCJleHAiOjB9"
                        + ".aVW5AA.B3lDVfp7hlCOj4zekCNlSjYEkLs");
        assertThat(tokens(T, null).issue(UID, Instant.ofEpochSecond(T - 600, 500_000_000), Duration.ofHours(1))).isEqualTo(
                ".eJw1yk0KgCAQQOG7zFpiHJ3x5zKhjEI7KYoguntu2j0-3gNX2yEDg4Fz01mlYhLnxCo2r1EqO2UbO0XniZXm2I91lALZBglEjIgLG2j3-CkR4vsBQbgXCw"
                        + ".aVW5AA.5owS723Ogj_6kf5zChbOHRuETZ4");
    }

    @Test
    void version5RoundTrip() {
        Instant paa = Instant.ofEpochSecond(T - 600, 123_456_000);
        String token = tokens(T, null).issue(UID, paa, Duration.ofHours(1));
        AuthTokens.AuthToken t = tokens(T + 10, Duration.ofMinutes(15)).verify(token).orElseThrow();
        assertThat(t.version()).isEqualTo("5");
        assertThat(t.uid()).isEqualTo(UID);
        assertThat(t.primaryAuthAt()).isEqualTo(paa);
        assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(T + 3600));
        assertThat(t.signedAt()).isEqualTo(Instant.ofEpochSecond(T));
        assertThat(t.payload().get("ver").stringValue()).isEqualTo("5");
        assertThat(t.payload().get("exp").isIntegralNumber()).isTrue();
        assertThat(t.payload().get("fs_paa").isFloatingPointNumber()).isTrue();
    }

    @Test
    void tokenMaxAgeApplies() {
        String token = tokens(T, null).issue(UID, Instant.ofEpochSecond(T));
        assertThat(tokens(T + 900, Duration.ofMinutes(15)).verify(token)).isPresent();
        assertThat(tokens(T + 901, Duration.ofMinutes(15)).verify(token)).isEmpty();
        assertThat(tokens(T - 1, Duration.ofMinutes(15)).verify(token)).isEmpty();
        assertThat(tokens(T + 100_000_000, null).verify(token)).isPresent();
        assertThat(tokens(T + 100_000_000, Duration.ZERO).verify(token)).isPresent();
    }

    @Test
    void expClaimApplies() {
        String token = tokens(T, null).issue(UID, Instant.ofEpochSecond(T), Duration.ofSeconds(60));
        // Flask-Security: expired when exp < int(now), so still good during second exp itself.
        assertThat(tokens(T + 60, null).verify(token)).isPresent();
        assertThat(tokens(T + 61, null).verify(token)).isEmpty();
        // The shorter of max age and exp wins.
        assertThat(tokens(T + 30, Duration.ofSeconds(10)).verify(token)).isEmpty();
        String noExp = tokens(T, null).issue(UID, Instant.ofEpochSecond(T), Duration.ZERO);
        assertThat(tokens(T, null).verify(noExp).orElseThrow().expiresAt()).isNull();
    }

    @Test
    void olderListFormatsAreAccepted() {
        TimedSerializer s = new TimedSerializer(List.of(KEY), "remember-salt", at(T));
        AuthTokens.AuthToken v3 = tokens(T, null).verify(s.dumps(List.of("7", "$5$rounds=535000$x$y", UID))).orElseThrow();
        assertThat(v3.version()).isEqualTo("3");
        assertThat(v3.uid()).isEqualTo(UID);
        AuthTokens.AuthToken v4 = tokens(T, null).verify(s.dumps(List.of(UID))).orElseThrow();
        assertThat(v4.version()).isEqualTo("4");
        assertThat(v4.uid()).isEqualTo(UID);
    }

    @Test
    void malformedPayloadsAreRejected() {
        TimedSerializer s = new TimedSerializer(List.of(KEY), "remember-salt", at(T));
        List<Object> bad = List.of(
                List.of(), List.of(UID, "x"), List.of("1", "2", "3", "4"), List.of(1), List.of(""),
                UID, 5, Map.of("uid", UID, "exp", 0), Map.of("ver", "5", "exp", 0), Map.of("ver", "5", "uid", UID),
                Map.of("ver", "5", "uid", 5, "exp", 0), Map.of("ver", "5", "uid", UID, "exp", "soon"),
                Map.of("ver", "5", "uid", "", "exp", 0));
        for (Object payload : bad) {
            assertThat(tokens(T, null).verify(s.dumps(payload))).as(String.valueOf(payload)).isEmpty();
        }
        assertThat(tokens(T, null).verify(null)).isEmpty();
        assertThat(tokens(T, null).verify("")).isEmpty();
    }

    @Test
    void primaryAuthTimeIsReadLeniently() {
        TimedSerializer s = new TimedSerializer(List.of(KEY), "remember-salt", at(T));
        JsonNode noPaa = PythonJson.MAPPER.readTree("{\"ver\":\"5\",\"uid\":\"" + UID + "\",\"exp\":0}");
        assertThat(tokens(T, null).verify(s.dumps(noPaa)).orElseThrow().primaryAuthAt()).isNull();
        JsonNode intPaa = PythonJson.MAPPER.readTree("{\"ver\":\"5\",\"uid\":\"" + UID + "\",\"fs_paa\":1767225000,\"exp\":0}");
        assertThat(tokens(T, null).verify(s.dumps(intPaa)).orElseThrow().primaryAuthAt()).isEqualTo(Instant.ofEpochSecond(1767225000));
        JsonNode zeroPaa = PythonJson.MAPPER.readTree("{\"ver\":\"5\",\"uid\":\"" + UID + "\",\"fs_paa\":0,\"exp\":null}");
        AuthTokens.AuthToken t = tokens(T, null).verify(s.dumps(zeroPaa)).orElseThrow();
        assertThat(t.primaryAuthAt()).isNull();
        assertThat(t.expiresAt()).isNull();
    }
}

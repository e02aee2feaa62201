package dev.gatehouse.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Fixtures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TotpTest {
    private static final JsonNode FIXTURE = Fixtures.json("totp.json");

    private static byte[] seed(int length) {
        byte[] ascii = "1234567890".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = ascii[i % 10];
        }
        return out;
    }

    /** RFC 6238 Appendix B (seeds per algorithm length, as the RFC's reference code uses them). */
    @Test
    void rfc6238Vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[][] codes = {
                {"94287082", "46119246", "90693936"},
                {"07081804", "68084774", "25091201"},
                {"14050471", "67062674", "99943326"},
                {"89005924", "91819424", "93441116"},
                {"69279037", "90698825", "38618901"},
                {"65353130", "77737706", "47863826"},
        };
        Totp sha1 = new Totp(seed(20), Totp.Algorithm.SHA1, 8, 30);
        Totp sha256 = new Totp(seed(32), Totp.Algorithm.SHA256, 8, 30);
        Totp sha512 = new Totp(seed(64), Totp.Algorithm.SHA512, 8, 30);
        for (int i = 0; i < times.length; i++) {
            Instant t = Instant.ofEpochSecond(times[i]);
            assertThat(sha1.codeAt(t)).as("SHA1 @%d", times[i]).isEqualTo(codes[i][0]);
            assertThat(sha256.codeAt(t)).as("SHA256 @%d", times[i]).isEqualTo(codes[i][1]);
            assertThat(sha512.codeAt(t)).as("SHA512 @%d", times[i]).isEqualTo(codes[i][2]);
            assertThat(sha1.verify(codes[i][0], t, Duration.ZERO)).hasValue(times[i] / 30);
        }
    }

    /** RFC 4226 Appendix D. */
    @Test
    void rfc4226Vectors() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
        Totp hotp = new Totp("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        for (int c = 0; c < expected.length; c++) {
            assertThat(hotp.codeForCounter(c)).isEqualTo(expected[c]);
        }
    }

    /** Every key of the fixture: codes, URI and pretty key as Flask-Security / passlib made them. */
    @Test
    void fixtureCodesUrisAndPrettyKeys() {
        String issuer = FIXTURE.get("config").get("SECURITY_TOTP_ISSUER").stringValue();
        int checked = 0;
        JsonNode rotation = FIXTURE.get("key_rotation").get("new_secret_encrypted_with_tag_2");
        for (JsonNode e : iterable(FIXTURE.get("entries"), rotation)) {
            Totp totp = Totp.fromBase32(e.get("base32_key").stringValue());
            assertThat(java.util.HexFormat.of().formatHex(totp.key())).isEqualTo(e.get("key_hex").stringValue());
            assertThat(totp.base32Key()).isEqualTo(e.get("base32_key").stringValue());
            assertThat(totp.prettyKey()).isEqualTo(e.get("pretty_key").stringValue());
            assertThat(totp.uri(e.get("user_email").stringValue(), issuer)).isEqualTo(e.get("otpauth_uri").stringValue());
            for (JsonNode c : e.get("codes")) {
                Instant t = Instant.ofEpochSecond(c.get("time").longValue());
                assertThat(totp.counterAt(t)).isEqualTo(c.get("counter").longValue());
                assertThat(totp.codeAt(t)).isEqualTo(c.get("code").stringValue());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(15);
    }

    private static java.util.List<JsonNode> iterable(JsonNode array, JsonNode extra) {
        java.util.List<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        list.add(extra);
        return list;
    }

    /** The window is ± seconds around now, in whole steps, exactly as the fixture records. */
    @Test
    void fixtureWindowChecks() {
        JsonNode tom = FIXTURE.get("entries").get(0);
        Totp totp = Totp.fromBase32(tom.get("base32_key").stringValue());
        int n = 0;
        for (JsonNode c : FIXTURE.get("window_checks").get("checks")) {
            Instant now = Instant.ofEpochSecond(c.get("now").longValue());
            OptionalLong match = totp.verify(c.get("code").stringValue(), now, Duration.ofSeconds(c.get("window_seconds").longValue()));
            assertThat(match.isPresent()).as(c.toString()).isEqualTo(c.get("expected").booleanValue());
            if (match.isPresent()) {
                assertThat(match.getAsLong()).isEqualTo(c.get("code_time").longValue() / 30);
            }
            n++;
        }
        assertThat(n).isEqualTo(10);
    }

    @Test
    void windowEdgesAndReplay() {
        Totp totp = Totp.fromBase32("LHV73P6XLLF5SW4LOEHCCJGEXBLSVRJY");
        Instant t = Instant.ofEpochSecond(1767225600L);
        String previous = totp.codeAt(t.minusSeconds(30));
        String current = totp.codeAt(t);
        String next = totp.codeAt(t.plusSeconds(30));
        Duration oneStep = Duration.ofSeconds(30);
        assertThat(totp.verify(previous, t, oneStep)).hasValue(58907519);
        assertThat(totp.verify(next, t, oneStep)).hasValue(58907521);
        assertThat(totp.verify(totp.codeAt(t.minusSeconds(60)), t, oneStep)).isEmpty();
        assertThat(totp.verify(totp.codeAt(t.plusSeconds(60)), t, oneStep)).isEmpty();
        // Replay: once counter 58907520 was used, neither it nor an older code passes again...
        assertThat(totp.verify(current, t, oneStep, 58907520)).isEmpty();
        assertThat(totp.verify(previous, t, oneStep, 58907520)).isEmpty();
        // ...but a later one does.
        assertThat(totp.verify(next, t, oneStep, 58907520)).hasValue(58907521);
        assertThat(totp.verify(current, t, oneStep, 58907519)).hasValue(58907520);
    }

    @Test
    void codesAreNormalizedAsPasslibDoes() {
        Totp totp = Totp.fromBase32("LHV73P6XLLF5SW4LOEHCCJGEXBLSVRJY");
        Instant t = Instant.ofEpochSecond(1767225600L);
        assertThat(totp.verify("197 081", t, Duration.ZERO)).isPresent();
        assertThat(totp.verify(" 197-081 ", t, Duration.ZERO)).isPresent();
        for (String bad : new String[] {null, "", "19708", "1970811", "19708a", "١٩٧٠٨١", "197081\u0000", "+197081"}) {
            assertThat(totp.verify(bad, t, Duration.ofSeconds(120))).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void base32KeysWithOrWithoutPaddingCaseAndGrouping() {
        Totp plain = Totp.fromBase32("JBSWY3DPEHPK3PXP");
        assertThat(Totp.fromBase32("jbswy3dpehpk3pxp")).isEqualTo(plain);
        assertThat(Totp.fromBase32("JBSW-Y3DP-EHPK-3PXP")).isEqualTo(plain);
        assertThat(Totp.fromBase32("JBSW Y3DP EHPK 3PXP")).isEqualTo(plain);
        // 10 bytes -> 16 characters, no padding; 11 bytes -> 18 characters + 6 '='.
        Totp odd = new Totp("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(odd.base32Key()).isEqualTo("NBSWY3DPEB3W64TMMQ");
        assertThat(Totp.fromBase32("NBSWY3DPEB3W64TMMQ======")).isEqualTo(odd);
        assertThat(Totp.fromBase32("NBSWY3DPEB3W64TMMQ")).isEqualTo(odd);
        // passlib's typo corrections: 0 -> O, 8 -> B
        assertThat(Totp.fromBase32("JBSWY3DPEHPK3PXP".replace('O', '0').replace('B', '8'))).isEqualTo(plain);
        for (String bad : new String[] {"", "A", "ABC", "ABCDEF", "JBSWY3DPEHPK3PX1", "JBSWY3DPEHPK3PXé"}) {
            assertThatThrownBy(() -> Totp.fromBase32(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void newKeysAreTwentyRandomBytes() {
        Totp a = Totp.random(new SecureRandom());
        Totp b = Totp.random(new SecureRandom());
        assertThat(a.key()).hasSize(20);
        assertThat(a.base32Key()).hasSize(32);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.toString()).doesNotContain(a.base32Key());
    }

    @Test
    void uriEncodingMatchesPasslib() {
        Totp totp = Totp.fromBase32("JBSWY3DPEHPK3PXP");
        assertThat(totp.uri("Zoë Doe@example.com", "My Co"))
                .isEqualTo("otpauth://totp/My%20Co:Zo%C3%AB%20Doe@example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Co");
        assertThat(totp.uri("a@b", "x@y/z")).isEqualTo("otpauth://totp/x@y%2Fz:a@b?secret=JBSWY3DPEHPK3PXP&issuer=x%40y%2Fz");
        assertThat(totp.uri("a@b", null)).isEqualTo("otpauth://totp/a@b?secret=JBSWY3DPEHPK3PXP");
        assertThat(new Totp(totp.key(), Totp.Algorithm.SHA256, 8, 60).uri("a", "i"))
                .isEqualTo("otpauth://totp/i:a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&period=60&issuer=i");
        assertThatThrownBy(() -> totp.uri("a:b", "i")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> totp.uri("a", "i:j")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class RememberCookieAndHashDataTest {

    @Test
    void rememberCookieRoundTripAndRotation() {
        RememberCookie current = new RememberCookie(List.of("new", "old"));
        String value = current.create("uid-1");
        assertThat(value).startsWith("uid-1|").hasSize("uid-1|".length() + 128);
        assertThat(current.verify(value)).contains("uid-1");
        assertThat(new RememberCookie(List.of("new")).verify(value)).contains("uid-1");
        assertThat(new RememberCookie(List.of("old")).verify(value)).isEmpty();
        assertThat(current.verify(new RememberCookie(List.of("old")).create("uid-1"))).contains("uid-1");
    }

    @Test
    void rememberCookieRefusesTamperingAndGarbage() {
        RememberCookie cookie = new RememberCookie(List.of("k"));
        String value = cookie.create("uid-1");
        String digest = value.substring(value.indexOf('|') + 1);
        assertThat(cookie.verify("uid-2|" + digest)).isEmpty();
        assertThat(cookie.verify("uid-1|" + digest.toUpperCase())).isEmpty(); // Flask-Login compares the lower-case hex
        assertThat(cookie.verify(value.substring(0, value.length() - 1))).isEmpty();
        for (String g : new String[] {null, "", "|", "uid-1", "|" + digest, "uid-1|", "uid-1||" + digest, "é|é"}) {
            assertThat(cookie.verify(g)).as(String.valueOf(g)).isEmpty();
        }
    }

    @Test
    void rememberCookieUsesLatin1KeysAsFlaskLogin() {
        // Flask-Login encodes a text SECRET_KEY as Latin-1, so "é" is one byte, not two.
        assertThat(new RememberCookie(List.of("clé")).create("u")).isEqualTo("u|" + PythonVectors.LATIN1_REMEMBER_DIGEST);
    }

    @Test
    void hashDataMakesPasslibSha256Crypt() {
        HashData h = new HashData(new SecureRandom());
        String hash = h.hashData("uma.unconfirmed@example.com");
        assertThat(hash).matches("\\$5\\$rounds=535000\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{43}");
        assertThat(HashData.verifyHashData("uma.unconfirmed@example.com", hash)).isTrue();
        assertThat(HashData.verifyHashData("Uma.unconfirmed@example.com", hash)).isFalse();
    }

    @Test
    void hashDataVerifiesOldFormatsAndRefusesJunk() {
        // passlib hex_md5 (deprecated, still verified by Flask-Security): md5("a@b.c")
        assertThat(HashData.verifyHashData("a@b.c", PythonVectors.MD5_OF_A_B_C)).isTrue();
        assertThat(HashData.verifyHashData("a@b.c", PythonVectors.MD5_OF_A_B_C.toUpperCase())).isTrue();
        assertThat(HashData.verifyHashData("a@b.d", PythonVectors.MD5_OF_A_B_C)).isFalse();
        // passlib sha256_crypt with implicit 5000 rounds
        assertThat(HashData.verifyHashData("a@b.c", PythonVectors.SHA256_CRYPT_5000)).isTrue();
        assertThat(HashData.verifyHashData("a@b.c", PythonVectors.SHA256_CRYPT_1000)).isTrue();
        assertThat(HashData.verifyHashData("a@b.C", PythonVectors.SHA256_CRYPT_1000)).isFalse();
        for (String junk : new String[] {null, "", "$5$", "$5$rounds=999999999$abc$" + "x".repeat(43), "$6$abc$def",
                "$5$rounds=535000$bad salt!$" + "x".repeat(43), "zz" + PythonVectors.MD5_OF_A_B_C.substring(2) + "g"}) {
            assertThat(HashData.verifyHashData("a@b.c", junk)).as(String.valueOf(junk)).isFalse();
        }
        assertThat(HashData.verifyHashData(null, PythonVectors.MD5_OF_A_B_C)).isFalse();
    }
}

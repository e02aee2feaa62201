package dev.gatehouse.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Fixtures;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TotpSecretsTest {
    private static final JsonNode FIXTURE = Fixtures.json("totp.json");
    private static final JsonNode TOKENS = Fixtures.json("tokens.json");

    private static Map<String, String> secrets(JsonNode config) {
        Map<String, String> m = new LinkedHashMap<>();
        config.properties().forEach(e -> m.put(e.getKey(), e.getValue().stringValue()));
        return m;
    }

    private static final Map<String, String> TAG_1 = secrets(FIXTURE.get("config").get("SECURITY_TOTP_SECRETS"));
    private static final Map<String, String> TAGS_1_2 = secrets(FIXTURE.get("key_rotation").get("config").get("SECURITY_TOTP_SECRETS"));

    /** Replays fixed bytes, to reproduce a salt passlib drew. */
    private static SecureRandom replaying(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] out) {
                if (out.length != bytes.length) {
                    throw new IllegalStateException("unexpected request for " + out.length + " bytes");
                }
                System.arraycopy(bytes, 0, out, 0, out.length);
            }
        };
    }

    private static List<JsonNode> entries() {
        List<JsonNode> list = new ArrayList<>();
        FIXTURE.get("entries").forEach(list::add);
        return list;
    }

    @Test
    void everyStoredSecretDecryptsToItsKey() {
        TotpSecrets secrets = new TotpSecrets(TAG_1, new SecureRandom());
        for (JsonNode e : entries()) {
            String stored = e.get("secret_json").stringValue();
            Totp totp = secrets.decrypt(stored);
            assertThat(totp.base32Key()).isEqualTo(e.get("base32_key").stringValue());
            assertThat(HexFormat.of().formatHex(totp.key())).isEqualTo(e.get("key_hex").stringValue());
            assertThat(secrets.needsRecrypt(stored)).isEqualTo(e.get("needs_recrypt").booleanValue());
            for (JsonNode c : e.get("codes")) {
                assertThat(totp.codeAt(java.time.Instant.ofEpochSecond(c.get("time").longValue())))
                        .isEqualTo(c.get("code").stringValue());
            }
        }
    }

    @Test
    void storedColumnValuesAsTheDatabaseHoldsThem() throws Exception {
        TotpSecrets secrets = new TotpSecrets(TAG_1, new SecureRandom());
        JsonMapper mapper = JsonMapper.builder().build();
        for (JsonNode e : entries()) {
            String column = e.get("stored_column_value").stringValue();
            String stored = e.get("column").stringValue().equals("us_totp_secrets")
                    // us_totp_secrets: a JSON object of method -> passlib JSON text
                    ? mapper.readTree(column).get(e.get("method").stringValue()).stringValue()
                    : column;
            assertThat(secrets.decrypt(stored).base32Key()).isEqualTo(e.get("base32_key").stringValue());
        }
    }

    @Test
    void encryptionIsByteIdenticalToPasslibForTheSameSalt() {
        for (JsonNode e : entries()) {
            byte[] salt = HexFormat.of().parseHex(e.get("encryption_debug").get("salt_hex").stringValue());
            TotpSecrets secrets = new TotpSecrets(TAG_1, replaying(salt));
            assertThat(secrets.encrypt(Totp.fromBase32(e.get("base32_key").stringValue())))
                    .isEqualTo(e.get("secret_json").stringValue());
        }
        JsonNode debug = entries().get(0).get("encryption_debug");
        assertThat(debug.get("pbkdf2_sha256_iterations").intValue()).isEqualTo(1 << TotpSecrets.DEFAULT_COST);
        byte[] cipher = TotpSecrets.aesCtr(HexFormat.of().parseHex(entries().get(0).get("key_hex").stringValue()),
                debug.get("pbkdf2_password_utf8").stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                HexFormat.of().parseHex(debug.get("salt_hex").stringValue()), TotpSecrets.DEFAULT_COST);
        assertThat(HexFormat.of().formatHex(cipher)).isEqualTo(debug.get("ciphertext_hex").stringValue());
    }

    @Test
    void keyRotation() {
        JsonNode rotation = FIXTURE.get("key_rotation");
        JsonNode fresh = rotation.get("new_secret_encrypted_with_tag_2");
        byte[] salt = HexFormat.of().parseHex(fresh.get("encryption_debug").get("salt_hex").stringValue());
        TotpSecrets rotated = new TotpSecrets(TAGS_1_2, replaying(salt));
        assertThat(rotated.defaultTag()).isEqualTo("2");
        // New secrets are written with the highest tag...
        String stored = rotated.encrypt(Totp.fromBase32(fresh.get("base32_key").stringValue()));
        assertThat(stored).isEqualTo(fresh.get("secret_json").stringValue());
        assertThat(rotated.decrypt(stored).base32Key()).isEqualTo(fresh.get("base32_key").stringValue());
        assertThat(rotated.needsRecrypt(stored)).isFalse();
        // ...while an old tag-1 secret still decrypts, flagged for re-encryption.
        JsonNode old = rotation.get("old_tag_1_secret");
        assertThat(rotated.decrypt(old.get("secret_json").stringValue()).base32Key())
                .isEqualTo(old.get("decrypts_to_base32").stringValue());
        assertThat(rotated.needsRecrypt(old.get("secret_json").stringValue())).isEqualTo(old.get("needs_recrypt").booleanValue());
        // Without tag 2 the new secret cannot be read.
        assertThatThrownBy(() -> new TotpSecrets(TAG_1, new SecureRandom()).decrypt(stored))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown TOTP secret tag");
    }

    @Test
    void defaultTagIsNumericMaxOrLexicalMax() {
        SecureRandom r = new SecureRandom();
        assertThat(new TotpSecrets(Map.of("9", "a", "10", "b", "2", "c"), r).defaultTag()).isEqualTo("10");
        assertThat(new TotpSecrets(Map.of("9", "a", "10", "b", "x", "c"), r).defaultTag()).isEqualTo("x");
        assertThat(new TotpSecrets(Map.of("2024-01", "a", "2025-01", "b"), r).defaultTag()).isEqualTo("2025-01");
        assertThatThrownBy(() -> new TotpSecrets(Map.of(), r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpSecrets(Map.of("bad tag", "x"), r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TotpSecrets(Map.of("1", ""), r)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newSecretsRoundTrip() {
        TotpSecrets secrets = new TotpSecrets(TAGS_1_2, new SecureRandom());
        String stored = secrets.newSecret();
        assertThat(stored).matches("\\{\"enckey\":\\{\"c\":14,\"k\":\"[A-Z2-7]{32}\",\"s\":\"[A-Z2-7]{20}\",\"t\":\"2\",\"v\":1},"
                + "\"type\":\"totp\",\"v\":1}");
        assertThat(secrets.decrypt(stored).key()).hasSize(20);
        assertThat(secrets.newSecret()).isNotEqualTo(stored);
        Totp custom = new Totp(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Totp.Algorithm.SHA256, 8, 60);
        String customStored = secrets.encrypt(custom);
        assertThat(customStored).startsWith("{\"alg\":\"sha256\",\"digits\":8,\"enckey\":").contains(",\"period\":60,\"type\"");
        assertThat(secrets.decrypt(customStored)).isEqualTo(custom);
    }

    /** The secrets inside the us-setup state token and the session cookie decrypt too. */
    @Test
    void secretsInsideStateTokensAndSessionDecrypt() {
        TotpSecrets secrets = new TotpSecrets(TAG_1, new SecureRandom());
        int n = 0;
        for (JsonNode t : TOKENS.get("tokens")) {
            if (t.has("totp_secret_base32")) {
                assertThat(secrets.decrypt(t.get("payload").get("totp_secret").stringValue()).base32Key())
                        .isEqualTo(t.get("totp_secret_base32").stringValue());
                n++;
            }
            if (t.has("tf_totp_secret_base32")) {
                assertThat(secrets.decrypt(t.get("payload").get("tf_totp_secret").stringValue()).base32Key())
                        .isEqualTo(t.get("tf_totp_secret_base32").stringValue());
                n++;
            }
        }
        assertThat(n).isEqualTo(3);
    }

    @Test
    void plaintextAndMalformedValues() {
        TotpSecrets secrets = new TotpSecrets(TAG_1, new SecureRandom());
        String plain = "{\"key\":\"JBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}";
        assertThat(secrets.decrypt(plain).base32Key()).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(secrets.needsRecrypt(plain)).isTrue();
        String[] bad = {null, "", "nope", "[]", "{}", "{\"type\":\"hotp\",\"v\":1,\"key\":\"JBSWY3DPEHPK3PXP\"}",
                "{\"type\":\"totp\",\"v\":2,\"key\":\"JBSWY3DPEHPK3PXP\"}", "{\"type\":\"totp\",\"v\":1}",
                "{\"enckey\":{\"c\":14,\"k\":\"AAAA\",\"s\":\"AAAA\",\"t\":\"1\",\"v\":2},\"type\":\"totp\",\"v\":1}",
                "{\"enckey\":{\"c\":99,\"k\":\"AAAA\",\"s\":\"AAAA\",\"t\":\"1\",\"v\":1},\"type\":\"totp\",\"v\":1}",
                "{\"enckey\":{\"c\":14,\"k\":\"!!\",\"s\":\"AAAA\",\"t\":\"1\",\"v\":1},\"type\":\"totp\",\"v\":1}",
                "{\"enckey\":{\"c\":14,\"k\":\"AAAA\",\"s\":\"AAAA\",\"t\":1,\"v\":1},\"type\":\"totp\",\"v\":1}",
                "{\"alg\":\"md5\",\"key\":\"JBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}"};
        for (String b : bad) {
            assertThatThrownBy(() -> secrets.decrypt(b)).as(String.valueOf(b)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

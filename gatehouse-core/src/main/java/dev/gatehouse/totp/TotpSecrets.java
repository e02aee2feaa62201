package dev.gatehouse.totp;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes TOTP secrets as Flask-Security stores them ({@code tf_totp_secret}, the values
 * of {@code us_totp_secrets}, setup state): passlib's TOTP JSON with the key encrypted under one of
 * the application secrets {@code SECURITY_TOTP_SECRETS},
 * {@code {"enckey":{"c":14,"k":<base32 ciphertext>,"s":<base32 salt>,"t":<tag>,"v":1},"type":"totp","v":1}}.
 *
 * <p>Encryption: PBKDF2-HMAC-SHA256(secret[tag], salt, 2^c iterations, 48 bytes) gives an
 * AES-256 key (first 32 bytes) and a CTR initial counter block (last 16); the key is AES-CTR
 * encrypted. New values use the default tag (the highest, numerically when all tags are
 * numbers, as passlib chooses it), cost 14 and a random 12-byte salt. passlib writes no
 * {@code issuer} or {@code label} here: Flask-Security's issuer is the class default, which
 * passlib omits. Derived keys are not cached: one derivation costs milliseconds, and caching
 * would keep per-user key material in memory for no real gain.
 *
 * <p>Immutable and thread-safe.
 */
public final class TotpSecrets {
    /** passlib's default cost: 2^14 PBKDF2 iterations. */
    public static final int DEFAULT_COST = 14;
    /** Above this a stored cost is refused rather than spending minutes on it. */
    static final int MAX_COST = 22;

    private static final int SALT_BYTES = 12;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Map<String, byte[]> secrets;
    private final String defaultTag;
    private final SecureRandom random;

    /**
     * @param secrets {@code SECURITY_TOTP_SECRETS}: tag to secret, at least one entry
     * @param random  the source of new keys and salts
     * @throws IllegalArgumentException when empty, or a tag or secret is malformed
     */
    public TotpSecrets(Map<String, String> secrets, SecureRandom random) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("SECURITY_TOTP_SECRETS needs at least one entry");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            if (e.getKey() == null || !TAG.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("TOTP secret tag must match [A-Za-z0-9][A-Za-z0-9_.-]*: " + e.getKey());
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("empty TOTP secret for tag " + e.getKey());
            }
            copy.put(e.getKey(), e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        this.secrets = Map.copyOf(copy);
        this.defaultTag = chooseDefaultTag(copy);
        this.random = Objects.requireNonNull(random, "random");
    }

    private static String chooseDefaultTag(Map<String, byte[]> secrets) {
        boolean allNumeric = secrets.keySet().stream().allMatch(t -> t.chars().allMatch(c -> c >= '0' && c <= '9'));
        String best = null;
        for (String tag : secrets.keySet()) {
            if (best == null || (allNumeric ? compareNumeric(tag, best) : tag.compareTo(best)) > 0) {
                best = tag;
            }
        }
        return best;
    }

    private static int compareNumeric(String a, String b) {
        return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
    }

    /** @return the tag new secrets are encrypted with */
    public String defaultTag() {
        return defaultTag;
    }

    /**
     * A new random key, encrypted for storage (Flask-Security's {@code generate_totp_secret}).
     *
     * @return the stored form
     */
    public String newSecret() {
        return encrypt(Totp.random(random));
    }

    /**
     * Encrypts a key for storage, under the default tag with a fresh salt.
     *
     * @param totp the generator whose key (and non-default parameters) to store
     * @return passlib's TOTP JSON, keys sorted, compact
     */
    public String encrypt(Totp totp) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] ciphertext = aesCtr(totp.key(), secrets.get(defaultTag), salt, DEFAULT_COST);
        StringBuilder json = new StringBuilder("{");
        if (totp.algorithm() != Totp.Algorithm.SHA1) {
            json.append("\"alg\":\"").append(totp.algorithm().passlibName).append("\",");
        }
        if (totp.digits() != Totp.DEFAULT_DIGITS) {
            json.append("\"digits\":").append(totp.digits()).append(',');
        }
        // Tags are restricted to [A-Za-z0-9_.-] and base32 needs no escaping, so no JSON writer is needed.
        json.append("\"enckey\":{\"c\":").append(DEFAULT_COST)
                .append(",\"k\":\"").append(Base32.encode(ciphertext))
                .append("\",\"s\":\"").append(Base32.encode(salt))
                .append("\",\"t\":\"").append(defaultTag)
                .append("\",\"v\":1},");
        if (totp.periodSeconds() != Totp.DEFAULT_PERIOD_SECONDS) {
            json.append("\"period\":").append(totp.periodSeconds()).append(',');
        }
        return json.append("\"type\":\"totp\",\"v\":1}").toString();
    }

    /**
     * Decrypts a stored secret. Also reads passlib's unencrypted form ({@code "key"} instead of
     * {@code "enckey"}). Note that AES-CTR has no integrity check: a wrong secret under the right
     * tag yields a wrong key, not an error.
     *
     * @param stored the stored JSON text
     * @return the generator
     * @throws IllegalArgumentException when the text is not a TOTP secret or names an unknown tag
     *                                  (the message never contains secret material)
     */
    public Totp decrypt(String stored) {
        JsonNode root = parse(stored);
        Totp.Algorithm algorithm = Totp.Algorithm.SHA1;
        JsonNode alg = root.get("alg");
        if (alg != null) {
            algorithm = null;
            for (Totp.Algorithm a : Totp.Algorithm.values()) {
                if (alg.isString() && a.passlibName.equals(alg.stringValue())) {
                    algorithm = a;
                }
            }
            if (algorithm == null) {
                throw new IllegalArgumentException("unsupported TOTP algorithm");
            }
        }
        int digits = intField(root, "digits", Totp.DEFAULT_DIGITS);
        int period = intField(root, "period", Totp.DEFAULT_PERIOD_SECONDS);
        byte[] key;
        JsonNode enckey = root.get("enckey");
        if (enckey != null) {
            EncKey e = encKey(enckey);
            key = aesCtr(Base32.decode(e.k), secret(e.tag), Base32.decode(e.s), e.cost);
        } else if (root.get("key") != null && root.get("key").isString()) {
            key = Base32.decode(root.get("key").stringValue());
        } else {
            throw new IllegalArgumentException("TOTP secret has neither 'enckey' nor 'key'");
        }
        return new Totp(key, algorithm, digits, period);
    }

    /**
     * Whether a stored secret should be re-encrypted and saved (passlib's {@code needs_recrypt}):
     * it was encrypted under another tag than the default or at another cost, or not at all.
     *
     * @param stored the stored JSON text
     * @return whether to re-encrypt
     * @throws IllegalArgumentException when the text is not a TOTP secret
     */
    public boolean needsRecrypt(String stored) {
        JsonNode enckey = parse(stored).get("enckey");
        if (enckey == null) {
            return true;
        }
        EncKey e = encKey(enckey);
        return e.cost != DEFAULT_COST || !e.tag.equals(defaultTag);
    }

    private record EncKey(int cost, String k, String s, String tag) {
    }

    private static JsonNode parse(String stored) {
        if (stored == null) {
            throw new IllegalArgumentException("no TOTP secret");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(stored);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("TOTP secret is not JSON");
        }
        if (root == null || !root.isObject() || !"totp".equals(text(root.get("type"))) || !isOne(root.get("v"))) {
            throw new IllegalArgumentException("not a passlib TOTP secret (type totp, v 1)");
        }
        return root;
    }

    private static EncKey encKey(JsonNode n) {
        if (!n.isObject() || !isOne(n.get("v"))) {
            throw new IllegalArgumentException("unsupported 'enckey' version");
        }
        JsonNode c = n.get("c");
        String k = text(n.get("k"));
        String s = text(n.get("s"));
        String t = text(n.get("t"));
        if (c == null || !c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 0 || c.intValue() > MAX_COST
                || k == null || s == null || t == null) {
            throw new IllegalArgumentException("malformed 'enckey'");
        }
        return new EncKey(c.intValue(), k, s, t);
    }

    private byte[] secret(String tag) {
        byte[] secret = secrets.get(tag);
        if (secret == null) {
            throw new IllegalArgumentException("unknown TOTP secret tag: " + (TAG.matcher(tag).matches() ? tag : "?"));
        }
        return secret;
    }

    private static int intField(JsonNode root, String name, int dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("malformed '" + name + "'");
        }
        return n.intValue();
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : null;
    }

    private static boolean isOne(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToInt() && n.intValue() == 1;
    }

    /** AES-256-CTR under PBKDF2-HMAC-SHA256(secret, salt, 2^cost, 48); the same call decrypts. */
    static byte[] aesCtr(byte[] data, byte[] secret, byte[] salt, int cost) {
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA256Digest());
        pbkdf2.init(secret, salt, 1 << cost);
        byte[] keyIv = ((KeyParameter) pbkdf2.generateDerivedParameters(48 * 8)).getKey();
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyIv, 0, 32, "AES"), new IvParameterSpec(keyIv, 32, 16));
            return aes.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        } finally {
            java.util.Arrays.fill(keyIv, (byte) 0);
        }
    }
}

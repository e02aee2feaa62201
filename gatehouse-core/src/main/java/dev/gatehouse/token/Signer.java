package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * itsdangerous' {@code Signer} with HMAC-SHA1: signs with the current key (the first one) and
 * accepts a signature made with any of the keys.
 */
final class Signer {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[][] keys;
    // One keyed Mac per key, cloned for each use (a Mac is not thread-safe): looking up the provider
    // and keying a new Mac cost more than the HMAC of a token itself.
    private final Mac[] keyed;

    private Signer(byte[][] keys) {
        this.keys = keys;
        this.keyed = new Mac[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keyed[i] = newMac(keys[i]);
        }
    }

    /** itsdangerous' default "django-concat" derivation: SHA1(salt + "signer" + secret). */
    static Signer djangoConcat(List<String> secretKeys, String salt) {
        byte[][] derived = new byte[checked(secretKeys).size()][];
        for (int i = 0; i < derived.length; i++) {
            MessageDigest sha1 = sha1();
            sha1.update(utf8(salt));
            sha1.update("signer".getBytes(StandardCharsets.US_ASCII));
            sha1.update(utf8(secretKeys.get(i)));
            derived[i] = sha1.digest();
        }
        return new Signer(derived);
    }

    /** The "hmac" derivation Flask uses for its session cookie: HMAC-SHA1(key=secret, msg=salt). */
    static Signer hmac(List<String> secretKeys, String salt) {
        byte[][] derived = new byte[checked(secretKeys).size()][];
        for (int i = 0; i < derived.length; i++) {
            derived[i] = mac(utf8(secretKeys.get(i)), utf8(salt));
        }
        return new Signer(derived);
    }

    /** base64url (no padding) of the MAC of {@code value} under the current key. */
    String sign(byte[] value) {
        return B64.encodeToString(mac(0, value));
    }

    /**
     * Whether {@code signature} is the canonical encoding of the MAC of {@code value} under one of
     * the keys. Comparing the encoded text (not decoded bytes) rejects encodings that differ only
     * in the unused low bits of the last character, so every signed value has exactly one form.
     */
    boolean verify(byte[] value, byte[] signature) {
        boolean ok = false;
        for (int i = 0; i < keys.length; i++) {
            byte[] expected = B64.encode(mac(i, value));
            ok |= MessageDigest.isEqual(expected, signature); // no early exit: equal work per key
        }
        return ok;
    }

    static List<String> checked(List<String> secretKeys) {
        if (secretKeys == null || secretKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret key is required");
        }
        for (String k : secretKeys) {
            if (k == null || k.isEmpty()) {
                throw new IllegalArgumentException("secret keys must not be null or empty");
            }
        }
        return List.copyOf(secretKeys);
    }

    /** The MAC of {@code value} under key {@code i}. */
    private byte[] mac(int i, byte[] value) {
        Mac mac;
        try {
            mac = (Mac) keyed[i].clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac(keys[i]); // a provider whose Mac cannot be cloned
        }
        return mac.doFinal(value);
    }

    static byte[] mac(byte[] key, byte[] value) {
        return newMac(key).doFinal(value);
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    private static byte[] utf8(String s) {
        if (s == null) {
            throw new IllegalArgumentException("salt must not be null");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.gatehouse.recovery;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads Fernet tokens (the {@code cryptography} package's format, as Flask-Security's
 * {@code MultiFernet} writes recovery codes when {@code MULTI_FACTOR_RECOVERY_CODES_KEYS} is set):
 * {@code 0x80 | time(8) | iv(16) | AES-128-CBC ciphertext | HMAC-SHA256(32)}, base64url. Each key
 * is 32 url-safe base64 bytes: signing key, then encryption key. Only decryption is needed:
 * Gatehouse stores new codes hashed.
 */
final class Fernet {
    private record Key(byte[] signing, byte[] encryption) {
    }

    private final List<Key> keys;

    /** @throws IllegalArgumentException when a key is not 32 url-safe base64 bytes */
    Fernet(List<String> keys) {
        List<Key> k = new ArrayList<>();
        for (String key : keys) {
            byte[] raw;
            try {
                raw = Base64.getUrlDecoder().decode(key.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS: a key is not base64url");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException("SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS: a key must be 32 bytes");
            }
            k.add(new Key(java.util.Arrays.copyOfRange(raw, 0, 16), java.util.Arrays.copyOfRange(raw, 16, 32)));
        }
        this.keys = List.copyOf(k);
    }

    /** Whether a stored value looks like a Fernet token (version byte 0x80). */
    static boolean looksLikeToken(String s) {
        return s.startsWith("gAAAAA");
    }

    /** The plaintext when some key opens the token and it is not older than {@code ttl} (null: no limit). */
    Optional<String> decrypt(String token, Duration ttl, Instant now) {
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (data.length < 1 + 8 + 16 + 16 + 32 || data[0] != (byte) 0x80 || (data.length - 57) % 16 != 0) {
            return Optional.empty();
        }
        long issued = ByteBuffer.wrap(data, 1, 8).getLong();
        if (ttl != null && Instant.ofEpochSecond(issued).plus(ttl).isBefore(now)) {
            return Optional.empty();
        }
        for (Key key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.signing(), "HmacSHA256"));
                mac.update(data, 0, data.length - 32);
                byte[] expected = mac.doFinal();
                byte[] given = java.util.Arrays.copyOfRange(data, data.length - 32, data.length);
                if (!MessageDigest.isEqual(expected, given)) {
                    continue;
                }
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.encryption(), "AES"), new IvParameterSpec(data, 9, 16));
                byte[] plain = aes.doFinal(data, 25, data.length - 25 - 32);
                return Optional.of(new String(plain, java.nio.charset.StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                // authentic but undecryptable cannot happen with a matching HMAC; try the next key
            }
        }
        return Optional.empty();
    }
}

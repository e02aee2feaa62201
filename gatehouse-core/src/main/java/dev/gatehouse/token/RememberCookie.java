package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The value of Flask-Login's remember-me cookie ({@code remember_token}):
 * {@code <uniquifier>|<hex HMAC-SHA512(SECRET_KEY, uniquifier)>}. It carries no timestamp; only
 * the cookie's own expiry and rotating the uniquifier end it.
 *
 * <p>Flask-Login encodes a text secret as Latin-1, so we do too; a key with characters outside
 * Latin-1 (which Flask-Login cannot use at all) is encoded as UTF-8. Creates with the first key,
 * accepts any. Immutable and thread-safe.
 */
public final class RememberCookie {
    private final byte[][] keys;

    /**
     * @param secretKeys the current secret first, then fallbacks
     */
    public RememberCookie(List<String> secretKeys) {
        List<String> checked = Signer.checked(secretKeys);
        keys = new byte[checked.size()][];
        for (int i = 0; i < keys.length; i++) {
            String k = checked.get(i);
            keys[i] = StandardCharsets.ISO_8859_1.newEncoder().canEncode(k)
                    ? k.getBytes(StandardCharsets.ISO_8859_1)
                    : k.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param uniquifier the user's {@code fs_uniquifier}
     * @return the cookie value
     */
    public String create(String uniquifier) {
        if (uniquifier == null || uniquifier.isEmpty()) {
            throw new IllegalArgumentException("uniquifier must not be empty");
        }
        return uniquifier + "|" + HexFormat.of().formatHex(digest(keys[0], uniquifier));
    }

    /**
     * Checks a cookie value in constant time.
     *
     * @param cookieValue the value, possibly {@code null}
     * @return the uniquifier when the digest matches under one of the keys, otherwise empty
     */
    public Optional<String> verify(String cookieValue) {
        if (cookieValue == null) {
            return Optional.empty();
        }
        int bar = cookieValue.lastIndexOf('|');
        if (bar <= 0) {
            return Optional.empty();
        }
        String uniquifier = cookieValue.substring(0, bar);
        byte[] given = cookieValue.substring(bar + 1).getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            byte[] expected = HexFormat.of().formatHex(digest(key, uniquifier)).getBytes(StandardCharsets.US_ASCII);
            ok |= MessageDigest.isEqual(expected, given);
        }
        return ok ? Optional.of(uniquifier) : Optional.empty();
    }

    private static byte[] digest(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }
}

package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.UnixCrypt;

/**
 * passlib's {@code des_crypt}, traditional Unix crypt: 2 salt characters and 11 hash characters. Only the first
 * 8 bytes of the secret count (7 bits each), so with the pre-hash only its first 8 characters matter.
 */
final class DesCryptScheme implements Scheme {
    private static final Pattern FORMAT = Pattern.compile("[./A-Za-z0-9]{2}(?:[./A-Za-z0-9]{11})?");

    private final SecureRandom random;

    DesCryptScheme(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String name() {
        return "des_crypt";
    }

    @Override
    public boolean identifies(String hash) {
        return FORMAT.matcher(hash).matches();
    }

    @Override
    public String hash(byte[] secret) {
        if (Scheme.containsNul(secret)) {
            throw new IllegalArgumentException("des_crypt cannot hash a password containing a NUL character");
        }
        return UnixCrypt.crypt(firstEight(secret), HashEncodings.randomHash64(random, 2));
    }

    private static byte[] firstEight(byte[] secret) {
        return secret.length > 8 ? Arrays.copyOf(secret, 8) : secret;
    }

    @Override
    public StoredHash parse(String hash) {
        if (hash.length() != 13) {
            return null; // a bare 2-character salt is a configuration string, not a hash
        }
        String salt = hash.substring(0, 2);
        byte[] checksum = hash.substring(2).getBytes(StandardCharsets.US_ASCII);
        return new StoredHash() {
            @Override
            public boolean matches(byte[] secret) {
                if (Scheme.containsNul(secret)) {
                    return false;
                }
                byte[] computed = UnixCrypt.crypt(firstEight(secret), salt).substring(2)
                        .getBytes(StandardCharsets.US_ASCII);
                return MessageDigest.isEqual(computed, checksum);
            }

            @Override
            public boolean outdated() {
                return false;
            }
        };
    }
}

package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * passlib's {@code plaintext}: the stored value is the password itself. passlib claims every string for it;
 * here a value shaped like a modular-crypt hash ({@code $name$...}) is never claimed, so a hash of a scheme
 * that is not configured cannot be "verified" by submitting the hash text itself.
 */
final class PlaintextScheme implements Scheme {
    private static final Pattern MODULAR_CRYPT = Pattern.compile("^\\$[A-Za-z0-9._-]+\\$");

    @Override
    public String name() {
        return "plaintext";
    }

    @Override
    public boolean identifies(String hash) {
        return !MODULAR_CRYPT.matcher(hash).find();
    }

    @Override
    public String hash(byte[] secret) {
        return new String(secret, StandardCharsets.UTF_8);
    }

    @Override
    public StoredHash parse(String hash) {
        byte[] stored = hash.getBytes(StandardCharsets.UTF_8);
        return new StoredHash() {
            @Override
            public boolean matches(byte[] secret) {
                return MessageDigest.isEqual(secret, stored);
            }

            @Override
            public boolean outdated() {
                return false;
            }
        };
    }
}

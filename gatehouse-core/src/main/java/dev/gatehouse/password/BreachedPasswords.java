package dev.gatehouse.password;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where the breached-password check ({@code SECURITY_PASSWORD_CHECK_BREACHED}) learns how often a
 * password has shown up in known breaches: the Pwned Passwords range API or a mirror of it
 * ({@link PwnedPasswordsRange}), a local list ({@link BreachedPasswordList}), or the
 * application's own source. Implementations must be thread-safe.
 */
public interface BreachedPasswords {

    /**
     * How often the password appears in breaches.
     *
     * @param password the password, already normalized as it will be hashed
     * @return the count; 0 when it was never seen
     * @throws IOException when the source cannot be asked or answers nonsense; the check then
     *                     passes or refuses the password per {@code strict} / {@code best-effort}
     */
    int count(String password) throws IOException;

    /**
     * The upper-case hex SHA-1 of the password's UTF-8 bytes, the key of the Pwned Passwords corpus.
     *
     * @param password the password
     * @return 40 upper-case hex digits
     */
    static String sha1Hex(String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

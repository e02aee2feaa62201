package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * passlib's {@code bcrypt}: {@code $2b$12$<22 salt chars><31 hash chars>}. BouncyCastle's OpenBSD bcrypt
 * appends the terminating NUL and reads at most 72 bytes, as the C library does; a pre-hash (88 characters)
 * is therefore cut to its first 72, as Flask-Security does explicitly.
 */
final class BcryptScheme implements Scheme {
    static final int DEFAULT_ROUNDS = 12;

    private static final Pattern FORMAT =
            Pattern.compile("\\$(2a|2b|2y)\\$(\\d\\d)\\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})");
    /** Characters whose low 4 (padding) bits are zero, the only valid last salt characters (passlib issue 25). */
    private static final String CLEAN_LAST_SALT_CHARS = ".Oeu";

    private final SecureRandom random;
    private final PasslibOptions.Rounds rounds;
    private final String ident;

    BcryptScheme(PasslibOptions options, SecureRandom random) {
        this.random = random;
        this.rounds = options.rounds("bcrypt");
        this.ident = options.text("bcrypt", "ident", "2b");
    }

    @Override
    public String name() {
        return "bcrypt";
    }

    @Override
    public boolean identifies(String hash) {
        // passlib identifies all of these; 2 and 2x are then refused as unsupported
        return hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")
                || hash.startsWith("$2$") || hash.startsWith("$2x$");
    }

    @Override
    public String hash(byte[] secret) {
        if (Scheme.containsNul(secret)) {
            throw new IllegalArgumentException("bcrypt cannot hash a password containing a NUL character");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate(ident, secret, salt, rounds.defaultRounds());
    }

    @Override
    public StoredHash parse(String hash) {
        Matcher m = FORMAT.matcher(hash);
        if (!m.matches()) {
            return null;
        }
        int cost = Integer.parseInt(m.group(2));
        byte[] salt = HashEncodings.fromBcrypt64Salt(m.group(3));
        if (cost < 4 || cost > 31 || salt == null) {
            return null;
        }
        String version = m.group(1);
        boolean dirtySalt = version.equals("2a")
                && CLEAN_LAST_SALT_CHARS.indexOf(m.group(3).charAt(21)) < 0;
        byte[] checksum = m.group(4).getBytes(StandardCharsets.US_ASCII);
        return new StoredHash() {
            @Override
            public boolean matches(byte[] secret) {
                if (Scheme.containsNul(secret)) {
                    return false;
                }
                String computed = OpenBSDBCrypt.generate(version, secret, salt, cost);
                byte[] computedChecksum = computed.substring(computed.length() - 31)
                        .getBytes(StandardCharsets.US_ASCII);
                return MessageDigest.isEqual(computedChecksum, checksum);
            }

            @Override
            public boolean outdated() {
                return dirtySalt || !rounds.accepts(cost);
            }
        };
    }
}

package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * passlib's {@code sha256_crypt} and {@code sha512_crypt} (Drepper's SHA-crypt):
 * {@code $5$rounds=535000$<salt>$<hash>}; the {@code rounds=} part is left out when it is the implicit 5000.
 * Computed by Commons Codec.
 */
final class ShaCryptScheme implements Scheme {
    static final int MIN_ROUNDS = 1000;
    static final int MAX_ROUNDS = 999_999_999;
    static final int SHA256_DEFAULT_ROUNDS = 535_000;
    static final int SHA512_DEFAULT_ROUNDS = 656_000;
    private static final int IMPLICIT_ROUNDS = 5000;

    private final String name;
    private final String ident;
    private final int checksumLength;
    private final Pattern format;
    private final SecureRandom random;
    private final PasslibOptions.Rounds rounds;
    private final int saltSize;

    private ShaCryptScheme(String name, String ident, int checksumLength, PasslibOptions options,
                           SecureRandom random) {
        this.name = name;
        this.ident = ident;
        this.checksumLength = checksumLength;
        this.format = Pattern.compile(Pattern.quote(ident) + "(?:rounds=([1-9][0-9]{0,9})\\$)?([./0-9A-Za-z]{1,16})\\$"
                + "([./0-9A-Za-z]{" + checksumLength + "})");
        this.random = random;
        this.rounds = options.rounds(name);
        this.saltSize = options.integer(name, "salt_size", 16);
    }

    static ShaCryptScheme sha256(PasslibOptions options, SecureRandom random) {
        return new ShaCryptScheme("sha256_crypt", "$5$", 43, options, random);
    }

    static ShaCryptScheme sha512(PasslibOptions options, SecureRandom random) {
        return new ShaCryptScheme("sha512_crypt", "$6$", 86, options, random);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean identifies(String hash) {
        return hash.startsWith(ident);
    }

    @Override
    public String hash(byte[] secret) {
        if (Scheme.containsNul(secret)) {
            throw new IllegalArgumentException(name + " cannot hash a password containing a NUL character");
        }
        return compute(secret, rounds.defaultRounds(), HashEncodings.randomHash64(random, saltSize));
    }

    private String compute(byte[] secret, int iterations, String salt) {
        String setting = iterations == IMPLICIT_ROUNDS ? ident + salt : ident + "rounds=" + iterations + "$" + salt;
        // Commons Codec may wipe the key array it is given.
        byte[] key = secret.clone();
        return ident.equals("$5$") ? Sha2Crypt.sha256Crypt(key, setting) : Sha2Crypt.sha512Crypt(key, setting);
    }

    @Override
    public StoredHash parse(String hash) {
        Matcher m = format.matcher(hash);
        if (!m.matches()) {
            return null;
        }
        long storedRounds = m.group(1) == null ? IMPLICIT_ROUNDS : Long.parseLong(m.group(1));
        if (storedRounds < MIN_ROUNDS || storedRounds > MAX_ROUNDS) {
            return null;
        }
        int iterations = (int) storedRounds;
        String salt = m.group(2);
        byte[] checksum = m.group(3).getBytes(StandardCharsets.US_ASCII);
        return new StoredHash() {
            @Override
            public boolean matches(byte[] secret) {
                if (Scheme.containsNul(secret)) {
                    return false;
                }
                String computed = compute(secret, iterations, salt);
                byte[] computedChecksum = computed.substring(computed.length() - checksumLength)
                        .getBytes(StandardCharsets.US_ASCII);
                return MessageDigest.isEqual(computedChecksum, checksum);
            }

            @Override
            public boolean outdated() {
                return !rounds.accepts(iterations);
            }
        };
    }
}

package dev.gatehouse.password;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * passlib's {@code pbkdf2_sha256} and {@code pbkdf2_sha512}: {@code $pbkdf2-sha512$<rounds>$<salt>$<hash>} in
 * passlib's adapted base64, the derived key as long as the digest. PBKDF2 runs over the JDK's HMAC on the raw
 * secret bytes.
 */
final class Pbkdf2Scheme implements Scheme {
    private static final Pattern ROUNDS = Pattern.compile("[1-9][0-9]{0,9}");

    private final String name;
    private final String ident;
    private final String macAlgorithm;
    private final int digestSize;
    private final SecureRandom random;
    private final PasslibOptions.Rounds rounds;
    private final int saltSize;

    static final int SHA256_DEFAULT_ROUNDS = 29000;
    static final int SHA512_DEFAULT_ROUNDS = 25000;

    private Pbkdf2Scheme(String name, String macAlgorithm, int digestSize, PasslibOptions options,
                         SecureRandom random) {
        this.name = name;
        this.ident = "$" + name.replace('_', '-') + "$";
        this.macAlgorithm = macAlgorithm;
        this.digestSize = digestSize;
        this.random = random;
        this.rounds = options.rounds(name);
        this.saltSize = options.integer(name, "salt_size", 16);
    }

    static Pbkdf2Scheme sha256(PasslibOptions options, SecureRandom random) {
        return new Pbkdf2Scheme("pbkdf2_sha256", "HmacSHA256", 32, options, random);
    }

    static Pbkdf2Scheme sha512(PasslibOptions options, SecureRandom random) {
        return new Pbkdf2Scheme("pbkdf2_sha512", "HmacSHA512", 64, options, random);
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
        byte[] salt = new byte[saltSize];
        random.nextBytes(salt);
        int iterations = rounds.defaultRounds();
        return ident + iterations + "$" + HashEncodings.ab64(salt) + "$"
                + HashEncodings.ab64(derive(secret, salt, iterations));
    }

    @Override
    public StoredHash parse(String hash) {
        String[] parts = hash.substring(ident.length()).split("\\$", -1);
        if (parts.length != 3 || !ROUNDS.matcher(parts[0]).matches()) {
            return null;
        }
        long storedRounds = Long.parseLong(parts[0]);
        byte[] salt = HashEncodings.fromAb64(parts[1]);
        byte[] checksum = HashEncodings.fromAb64(parts[2]);
        if (storedRounds > Integer.MAX_VALUE || salt == null || checksum == null || checksum.length != digestSize) {
            return null;
        }
        int iterations = (int) storedRounds;
        return new StoredHash() {
            @Override
            public boolean matches(byte[] secret) {
                return MessageDigest.isEqual(derive(secret, salt, iterations), checksum);
            }

            @Override
            public boolean outdated() {
                return !rounds.accepts(iterations);
            }
        };
    }

    /** PBKDF2 (RFC 8018) with a derived key of one digest length. */
    private byte[] derive(byte[] secret, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            // HMAC pads short keys with zeros, so an empty password is the same key as a single zero byte;
            // SecretKeySpec refuses empty keys.
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, macAlgorithm));
            byte[] u = new byte[digestSize];
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            mac.doFinal(u, 0);
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                mac.doFinal(u, 0);
                for (int j = 0; j < digestSize; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is not available", e);
        }
    }
}

package dev.gatehouse.password;

/**
 * One passlib hash format. Implementations are immutable and thread-safe. The secret they get is already
 * normalized and, where configured, pre-hashed; the scheme applies its own limits (bcrypt's 72 bytes,
 * des_crypt's 8).
 */
sealed interface Scheme
        permits Argon2Scheme, BcryptScheme, DesCryptScheme, Pbkdf2Scheme, PlaintextScheme, ShaCryptScheme {

    /** The passlib name, e.g. {@code argon2}. */
    String name();

    /** passlib's {@code identify}: whether a stored value has this scheme's shape (it may still be malformed). */
    boolean identifies(String hash);

    /**
     * A new hash of the secret with the configured parameters and a fresh salt.
     *
     * @throws IllegalArgumentException when the scheme cannot take the secret (a NUL byte for the C-string schemes)
     */
    String hash(byte[] secret);

    /** The parsed hash, or {@code null} when it is malformed. */
    StoredHash parse(String hash);

    /** A well-formed stored hash of one scheme. */
    interface StoredHash {

        /** Whether the secret produces this hash; compares in constant time. */
        boolean matches(byte[] secret);

        /**
         * passlib's {@code needs_update} for the hash's own parameters (not deprecation): whether they fall short
         * of the configured ones by passlib's rules.
         */
        boolean outdated();
    }

    /** Whether the bytes contain a NUL, which passlib refuses for schemes built on C strings. */
    static boolean containsNul(byte[] secret) {
        for (byte b : secret) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}

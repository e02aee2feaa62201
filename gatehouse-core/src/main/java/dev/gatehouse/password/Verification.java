package dev.gatehouse.password;

/**
 * The outcome of checking a password against a stored hash.
 *
 * @param valid       the password matches the stored hash
 * @param needsRehash the password matched, and the stored hash should be replaced by
 *                    {@link PasswordHasher#hash(String) a new hash} of it: its scheme is deprecated, or its
 *                    parameters fall short of the configured ones. Never {@code true} when {@code valid} is
 *                    false (the constructor throws {@link IllegalArgumentException}).
 */
public record Verification(boolean valid, boolean needsRehash) {

    /** A failed verification. */
    public static final Verification INVALID = new Verification(false, false);

    /**
     * A result.
     *
     * @param valid       the password matched
     * @param needsRehash the stored hash should be replaced
     * @throws IllegalArgumentException when {@code needsRehash} is set on an invalid result
     */
    public Verification {
        if (needsRehash && !valid) {
            throw new IllegalArgumentException("only a valid password can need a rehash");
        }
    }
}

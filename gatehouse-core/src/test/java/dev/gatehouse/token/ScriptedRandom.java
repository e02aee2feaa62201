package dev.gatehouse.token;

import java.security.SecureRandom;

/**
 * A "SecureRandom" that replays chosen values, so that a test can reproduce a salt the Python
 * library drew: {@code nextInt(bound)} returns the positions of the given characters in a
 * passlib salt alphabet.
 */
final class ScriptedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private static final String HASH64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private final String chars;
    private int next;

    ScriptedRandom(String saltChars) {
        this.chars = saltChars;
    }

    @Override
    public int nextInt(int bound) {
        if (bound != HASH64.length()) {
            throw new IllegalStateException("unexpected bound " + bound);
        }
        return HASH64.indexOf(chars.charAt(next++));
    }
}

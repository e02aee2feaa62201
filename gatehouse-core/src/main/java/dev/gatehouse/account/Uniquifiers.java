package dev.gatehouse.account;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh random values for {@code fs_uniquifier} and similar columns (uuid4 hex in Flask-Security). */
public final class Uniquifiers {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uniquifiers() {
    }

    /** 128 random bits as 32 lower-case hex characters, the shape of Python's {@code uuid4().hex}. */
    public static String newUniquifier() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        // Set the version and variant bits so the value is a real uuid4, as Flask-Security writes it.
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        return HexFormat.of().formatHex(b);
    }
}

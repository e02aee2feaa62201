package dev.gatehouse.password;

import java.security.SecureRandom;
import java.util.Base64;

/** The base64 dialects of passlib's hash formats. Decoders return {@code null} for bad input. */
final class HashEncodings {
    /** passlib's {@code HASH64_CHARS}, the salt alphabet of the crypt(3) family. */
    static final String HASH64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** bcrypt's own order of the same 64 characters. */
    private static final String BCRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final Base64.Encoder B64_UNPADDED = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64 = Base64.getDecoder();

    private HashEncodings() {
    }

    /** Standard base64 without padding (passlib's {@code b64s_encode}, used by argon2). */
    static String b64s(byte[] data) {
        return B64_UNPADDED.encodeToString(data);
    }

    /** Decodes standard base64 with or without padding. */
    static byte[] fromB64s(String text) {
        if (text.isEmpty() || text.indexOf('=') >= 0 || text.length() % 4 == 1) {
            return null;
        }
        try {
            return B64.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** passlib's "adapted base64": standard base64, {@code .} for {@code +}, no padding (pbkdf2 hashes). */
    static String ab64(byte[] data) {
        return B64_UNPADDED.encodeToString(data).replace('+', '.');
    }

    /** Decodes adapted base64. */
    static byte[] fromAb64(String text) {
        if (text.indexOf('+') >= 0) {
            return null;
        }
        if (text.isEmpty()) {
            return new byte[0];
        }
        return fromB64s(text.replace('.', '+'));
    }

    /** Decodes the 22-character bcrypt salt into its 16 bytes; the last character's low 4 bits are padding. */
    static byte[] fromBcrypt64Salt(String salt) {
        if (salt.length() != 22) {
            return null;
        }
        byte[] out = new byte[16];
        int acc = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < 22; i++) {
            int v = BCRYPT64.indexOf(salt.charAt(i));
            if (v < 0) {
                return null;
            }
            acc = ((acc << 6) | v) & 0xffff;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (n < 16) {
                    out[n++] = (byte) (acc >>> bits);
                }
            }
        }
        return out;
    }

    /** Random characters from {@link #HASH64}, the way passlib makes crypt salts. */
    static String randomHash64(SecureRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = HASH64.charAt(random.nextInt(64));
        }
        return new String(chars);
    }

    /** Whether every character is in {@link #HASH64}. */
    static boolean isHash64(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (HASH64.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}

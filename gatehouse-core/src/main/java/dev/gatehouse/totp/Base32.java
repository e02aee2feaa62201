package dev.gatehouse.totp;

/** RFC 4648 base32 as passlib reads and writes it for TOTP keys. */
final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    /** Upper case, without '=' padding (passlib's {@code b32encode}). */
    static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /**
     * Decodes as passlib does: case-insensitive, padding optional, spaces, hyphens and '=' ignored,
     * the common typos '0' for 'O' and '8' for 'B' corrected.
     *
     * @throws IllegalArgumentException when the text is not base32
     */
    static byte[] decode(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-' || c == '=' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            clean.append(c == '0' ? 'O' : c == '8' ? 'B' : (c >= 'a' && c <= 'z') ? (char) (c - 32) : c);
        }
        int rem = clean.length() % 8;
        // A final group of 1, 3 or 6 characters cannot come from whole bytes.
        if (rem == 1 || rem == 3 || rem == 6) {
            throw new IllegalArgumentException("not base32: wrong length");
        }
        byte[] out = new byte[clean.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < clean.length(); i++) {
            int v = ALPHABET.indexOf(clean.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not base32: unexpected character");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}

package dev.gatehouse.totp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TOTP generator (RFC 6238 over RFC 4226 HOTP) for one key, with passlib's conventions as
 * Flask-Security uses them: SHA-1, 6 digits, 30-second steps, counter = floor(unix time / 30),
 * and a verification window given as ± seconds. Immutable and thread-safe; {@link #toString}
 * never shows the key.
 */
public final class Totp {
    /** Digits of a code unless stated otherwise. */
    public static final int DEFAULT_DIGITS = 6;
    /** Seconds per step unless stated otherwise. */
    public static final int DEFAULT_PERIOD_SECONDS = 30;
    /** Size of a new key: the SHA-1 digest size, as passlib makes them (32 base32 characters). */
    public static final int NEW_KEY_BYTES = 20;

    /** The HMAC used for codes. Authenticator apps generally only support {@link #SHA1}. */
    public enum Algorithm {
        /** HMAC-SHA1, the default and what Flask-Security uses. */
        SHA1("HmacSHA1", "sha1"),
        /** HMAC-SHA256. */
        SHA256("HmacSHA256", "sha256"),
        /** HMAC-SHA512. */
        SHA512("HmacSHA512", "sha512");

        final String jca;
        final String passlibName;

        Algorithm(String jca, String passlibName) {
            this.jca = jca;
            this.passlibName = passlibName;
        }
    }

    private final byte[] key;
    private final Algorithm algorithm;
    private final int digits;
    private final int periodSeconds;

    /**
     * A SHA-1, 6-digit, 30-second generator.
     *
     * @param key the shared secret (raw bytes)
     */
    public Totp(byte[] key) {
        this(key, Algorithm.SHA1, DEFAULT_DIGITS, DEFAULT_PERIOD_SECONDS);
    }

    /**
     * @param key           the shared secret (raw bytes, not empty)
     * @param algorithm     the HMAC
     * @param digits        code length, 6 to 10 (passlib's range)
     * @param periodSeconds step length in seconds, at least 1
     */
    public Totp(byte[] key, Algorithm algorithm, int digits, int periodSeconds) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (digits < 6 || digits > 10) {
            throw new IllegalArgumentException("digits must be between 6 and 10");
        }
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("period must be at least one second");
        }
        this.key = key.clone();
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.digits = digits;
        this.periodSeconds = periodSeconds;
    }

    /**
     * A SHA-1, 6-digit, 30-second generator for a base32 key, with or without padding; case,
     * spaces and hyphens are ignored (so a "pretty" key works too).
     *
     * @param base32Key the key
     * @return the generator
     * @throws IllegalArgumentException when the text is not base32
     */
    public static Totp fromBase32(String base32Key) {
        return new Totp(Base32.decode(Objects.requireNonNull(base32Key, "base32Key")));
    }

    /**
     * A generator for a fresh random key of {@value #NEW_KEY_BYTES} bytes.
     *
     * @param random the source of randomness
     * @return the generator
     */
    public static Totp random(SecureRandom random) {
        byte[] key = new byte[NEW_KEY_BYTES];
        random.nextBytes(key);
        return new Totp(key);
    }

    /** @return a copy of the raw key */
    public byte[] key() {
        return key.clone();
    }

    /** @return the HMAC */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** @return the code length */
    public int digits() {
        return digits;
    }

    /** @return the step length in seconds */
    public int periodSeconds() {
        return periodSeconds;
    }

    /** @return the key in upper-case base32 without padding, as authenticator apps take it */
    public String base32Key() {
        return Base32.encode(key);
    }

    /**
     * The key for typing by hand, as passlib's {@code pretty_key()}: base32 in groups of 4 (else 6
     * or 5) joined by hyphens, e.g. {@code LHV7-3P6X-...}.
     *
     * @return the grouped key
     */
    public String prettyKey() {
        String k = base32Key();
        int size = groupSize(k.length());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < k.length(); i += size) {
            if (i > 0) {
                out.append('-');
            }
            out.append(k, i, Math.min(k.length(), i + size));
        }
        return out.toString();
    }

    private static int groupSize(int length) {
        int[] sizes = {4, 6, 5};
        for (int s : sizes) {
            if (length % s == 0) {
                return s;
            }
        }
        int best = sizes[0];
        int rem = 0;
        for (int s : sizes) {
            if (length % s > rem) {
                best = s;
                rem = length % s;
            }
        }
        return best;
    }

    /**
     * @param time a moment
     * @return the step counter at that moment, floor(unix seconds / period)
     */
    public long counterAt(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), (long) periodSeconds);
    }

    /**
     * @param time a moment at or after 1970
     * @return the code valid at that moment
     */
    public String codeAt(Instant time) {
        long counter = counterAt(time);
        if (counter < 0) {
            throw new IllegalArgumentException("time must not be before 1970");
        }
        return codeForCounter(counter);
    }

    /**
     * The RFC 4226 HOTP value for a counter.
     *
     * @param counter a non-negative counter
     * @return the zero-padded code
     */
    public String codeForCounter(long counter) {
        if (counter < 0) {
            throw new IllegalArgumentException("counter must not be negative");
        }
        byte[] msg = new byte[8];
        for (int i = 7; i >= 0; i--) {
            msg[i] = (byte) counter;
            counter >>>= 8;
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance(algorithm.jca);
            mac.init(new SecretKeySpec(key, algorithm.jca));
            h = mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jca + " unavailable", e);
        }
        int offset = h[h.length - 1] & 0xf;
        long value = ((h[offset] & 0x7fL) << 24) | ((h[offset + 1] & 0xffL) << 16)
                | ((h[offset + 2] & 0xffL) << 8) | (h[offset + 3] & 0xffL);
        String s = Long.toString(value);
        if (s.length() >= digits) {
            return s.substring(s.length() - digits);
        }
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * Checks a code as Flask-Security's {@code verify_totp(window=...)} does: accepted when it is
     * the code of a counter between floor((now − window) / period) and floor((now + window) /
     * period). Spaces and hyphens in the code are ignored; anything else that is not exactly
     * {@link #digits()} ASCII digits never matches.
     *
     * @param code   the code the user typed, possibly {@code null}
     * @param now    the server time
     * @param window how far back and forward to look (whole seconds; zero for the current step only)
     * @return the matched counter, or empty
     */
    public OptionalLong verify(String code, Instant now, Duration window) {
        return verify(code, now, window, -1);
    }

    /**
     * Like {@link #verify(String, Instant, Duration)}, but refuses the code of any counter at or
     * before {@code lastUsedCounter}, so that a code works only once (passlib's
     * {@code last_counter}). Store the returned counter as the new last one.
     *
     * @param code            the code the user typed, possibly {@code null}
     * @param now             the server time
     * @param window          how far back and forward to look (whole seconds)
     * @param lastUsedCounter the counter of the last accepted code, or -1 when none
     * @return the matched counter (greater than {@code lastUsedCounter}), or empty
     */
    public OptionalLong verify(String code, Instant now, Duration window, long lastUsedCounter) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative");
        }
        String given = normalize(code);
        if (given == null) {
            return OptionalLong.empty();
        }
        long t = now.getEpochSecond();
        long w = window.getSeconds();
        long start = Math.max(Math.max(Math.floorDiv(t - w, (long) periodSeconds), 0), lastUsedCounter + 1);
        long end = Math.floorDiv(t + w, (long) periodSeconds);
        byte[] givenBytes = given.getBytes(StandardCharsets.US_ASCII);
        long match = -1;
        for (long c = start; c <= end; c++) {
            boolean eq = MessageDigest.isEqual(codeForCounter(c).getBytes(StandardCharsets.US_ASCII), givenBytes);
            if (eq && match < 0) {
                match = c; // keep scanning: the work does not depend on where the code matched
            }
        }
        return match < 0 ? OptionalLong.empty() : OptionalLong.of(match);
    }

    private String normalize(String code) {
        if (code == null) {
            return null;
        }
        StringBuilder digitsOnly = new StringBuilder(digits);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '-' || c == '=' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            if (c < '0' || c > '9' || digitsOnly.length() == digits) {
                return null;
            }
            digitsOnly.append(c);
        }
        return digitsOnly.length() == digits ? digitsOnly.toString() : null;
    }

    /**
     * The provisioning URI for QR codes, exactly as passlib's {@code to_uri} builds it:
     * {@code otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>} (plus
     * {@code algorithm}, {@code digits} and {@code period} when not the defaults), with the label
     * percent-encoded except {@code @}.
     *
     * @param accountName the user's name in the label, e.g. the e-mail address (no ':')
     * @param issuer      the service name ({@code SECURITY_TOTP_ISSUER}), or {@code null} (no ':')
     * @return the URI
     */
    public String uri(String accountName, String issuer) {
        if (accountName == null || accountName.isEmpty()) {
            throw new IllegalArgumentException("an account name is required");
        }
        if (accountName.indexOf(':') >= 0 || (issuer != null && issuer.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("account name and issuer may not contain ':'");
        }
        String label = quote(accountName, "@");
        StringBuilder params = new StringBuilder("secret=").append(base32Key());
        if (algorithm != Algorithm.SHA1) {
            params.append("&algorithm=").append(algorithm.passlibName.toUpperCase(java.util.Locale.ROOT));
        }
        if (digits != DEFAULT_DIGITS) {
            params.append("&digits=").append(digits);
        }
        if (periodSeconds != DEFAULT_PERIOD_SECONDS) {
            params.append("&period=").append(periodSeconds);
        }
        if (issuer != null && !issuer.isEmpty()) {
            label = quote(issuer, "@") + ":" + label;
            params.append("&issuer=").append(quote(issuer, ""));
        }
        return "otpauth://totp/" + label + "?" + params;
    }

    /** Python's {@code urllib.parse.quote(s, safe)}. */
    private static String quote(String s, String safe) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~' || (c < 0x80 && safe.indexOf(c) >= 0);
            if (keep) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Equal when key, algorithm, digits and period are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Totp t && MessageDigest.isEqual(key, t.key) && algorithm == t.algorithm
                && digits == t.digits && periodSeconds == t.periodSeconds;
    }

    /** Hashes the parameters only, so the key does not leak through hash codes. */
    @Override
    public int hashCode() {
        return Objects.hash(algorithm, digits, periodSeconds);
    }

    /** Describes the parameters, never the key. */
    @Override
    public String toString() {
        return "Totp[" + algorithm + ", " + digits + " digits, " + periodSeconds + " s]";
    }
}

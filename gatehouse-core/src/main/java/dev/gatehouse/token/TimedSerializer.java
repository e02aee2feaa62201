package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Signs and checks values in the format of itsdangerous' {@code URLSafeTimedSerializer}, the
 * format of every Flask-Security token: {@code payload.timestamp.signature}, where the payload is
 * compact JSON (zlib-compressed behind a leading {@code .} when that is shorter), the timestamp is
 * the big-endian Unix time of signing and the signature an HMAC-SHA1 under a key derived from the
 * secret and a salt that names the token's purpose. All parts are base64url without padding.
 *
 * <p>Payloads are signed, not encrypted: anyone holding a token can read it.
 *
 * <p>Key rotation: the first key is the current one and signs; a token signed with any of the
 * keys is accepted. (Flask-Security passes {@code [SECRET_KEY, *SECRET_KEY_FALLBACKS]} to
 * itsdangerous, which signs with the <em>last</em> one, an oldest fallback; we deliberately sign
 * with {@code SECRET_KEY}.)
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TimedSerializer {
    private static final String FLASK_SESSION_SALT = "cookie-session";

    private final Signer signer;
    private final PythonJson.Style style;
    private final Clock clock;

    /**
     * A serializer with itsdangerous' default ("django-concat") key derivation, as every
     * Flask-Security token uses.
     *
     * @param secretKeys the current secret first, then any fallbacks still accepted
     * @param salt       the token purpose, e.g. {@code "remember-salt"} or {@code "confirm-salt"}
     * @param clock      the time source for signing and for age checks
     * @throws IllegalArgumentException when no key is given or a key is empty
     */
    public TimedSerializer(List<String> secretKeys, String salt, Clock clock) {
        this(Signer.djangoConcat(secretKeys, salt), PythonJson.Style.ITSDANGEROUS, clock);
    }

    private TimedSerializer(Signer signer, PythonJson.Style style, Clock clock) {
        this.signer = signer;
        this.style = style;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A serializer for Flask's default session cookie ({@code SecureCookieSessionInterface}):
     * salt {@code cookie-session}, "hmac" key derivation, keys sorted and non-ASCII escaped in the
     * JSON. The payload is Flask's tagged JSON (values such as {@code {" t": [...]}} for tuples);
     * interpreting the tags is up to the caller.
     *
     * @param secretKeys the current secret first, then any fallbacks still accepted
     * @param clock      the time source for signing and for age checks
     * @return the serializer
     */
    public static TimedSerializer flaskSessionCookie(List<String> secretKeys, Clock clock) {
        return new TimedSerializer(Signer.hmac(secretKeys, FLASK_SESSION_SALT), PythonJson.Style.FLASK_SESSION, clock);
    }

    /**
     * Signs a JSON value, dated now.
     *
     * @param payload any JSON value (object, array, string, number…)
     * @return the token
     * @throws IllegalArgumentException when the tree holds something JSON cannot (binary, POJO)
     */
    public String dumps(JsonNode payload) {
        Objects.requireNonNull(payload, "payload");
        long now = clock.instant().getEpochSecond();
        if (now < 0) {
            throw new IllegalStateException("clock is before 1970");
        }
        String value = Payloads.encode(payload, style) + "." + Payloads.base64(unsignedBigEndian(now));
        return value + "." + signer.sign(value.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Signs a Java value (string, number, list, map, record…), converted to JSON by Jackson.
     *
     * @param payload the value
     * @return the token
     */
    public String dumps(Object payload) {
        return dumps(PythonJson.toTree(payload));
    }

    /**
     * Checks a token. The signature is checked first (in constant time); only a genuine token is
     * dated: with age = now − timestamp in whole seconds it is expired when age &gt; maxAge or
     * age &lt; 0. Any malformed input gives {@link TokenResult.Invalid}, never an exception.
     *
     * @param token  the token text, possibly {@code null}
     * @param maxAge the age limit; {@code null} or zero for none
     * @return the verdict, with the payload when the token is genuine
     * @throws IllegalArgumentException when {@code maxAge} is negative
     */
    public TokenResult<JsonNode> loads(String token, Duration maxAge) {
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        Unsigned u = unsign(signer, token, true);
        if (u == null) {
            return new TokenResult.Invalid<>();
        }
        long age = clock.instant().getEpochSecond() - u.timestamp;
        Instant signedAt = Instant.ofEpochSecond(u.timestamp);
        if (maxAge != null && !maxAge.isZero() && (age > maxAge.getSeconds() || age < 0)) {
            return new TokenResult.Expired<>(u.payload, signedAt);
        }
        return new TokenResult.Valid<>(u.payload, signedAt);
    }

    /** A genuine token taken apart. */
    record Unsigned(JsonNode payload, long timestamp) {
    }

    /**
     * Verifies and decodes {@code payload[.timestamp].signature}; {@code null} for anything that is
     * not genuine and well-formed.
     */
    static Unsigned unsign(Signer signer, String token, boolean timed) {
        if (token == null || !isTokenText(token)) {
            return null;
        }
        int sigDot = token.lastIndexOf('.');
        if (sigDot < 0) {
            return null;
        }
        String value = token.substring(0, sigDot);
        byte[] signature = token.substring(sigDot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!signer.verify(value.getBytes(StandardCharsets.US_ASCII), signature)) {
            return null;
        }
        String payloadPart = value;
        long timestamp = 0;
        if (timed) {
            int tsDot = value.lastIndexOf('.');
            if (tsDot < 0) {
                return null;
            }
            payloadPart = value.substring(0, tsDot);
            byte[] ts = Payloads.base64(value.substring(tsDot + 1));
            if (ts == null || ts.length > 8) {
                return null;
            }
            for (byte b : ts) {
                timestamp = (timestamp << 8) | (b & 0xff);
            }
            // Only a key holder can sign an absurd date; refuse what Instant cannot hold.
            if (timestamp < 0 || timestamp > Instant.MAX.getEpochSecond()) {
                return null;
            }
        }
        JsonNode payload = Payloads.decode(payloadPart);
        return payload == null ? null : new Unsigned(payload, timestamp);
    }

    private static boolean isTokenText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static byte[] unsignedBigEndian(long n) {
        int len = (64 - Long.numberOfLeadingZeros(n) + 7) / 8;
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) n;
            n >>>= 8;
        }
        return b;
    }
}

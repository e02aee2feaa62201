package dev.gatehouse.token;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flask-Security authentication tokens (header {@code Authentication-Token}, field
 * {@code auth_token}), signed with the {@code remember-salt}.
 *
 * <p>New tokens have the version-5 payload
 * {@code {"ver":"5","uid":<uniquifier>,"fs_paa":<epoch seconds, float>,"exp":<epoch seconds or 0>}}.
 * Verification also accepts the list payloads older versions wrote: {@code [uid]} (Flask-Security
 * 4.0 to 5.3, e.g. 5.1.2) and {@code [id, hash, uid]} (3.x).
 *
 * <p>Verifying a token only proves it genuine and current. The caller must still find the user
 * by {@code uid} (the {@code fs_token_uniquifier}, else the {@code fs_uniquifier}) and refuse
 * inactive users. Immutable and thread-safe.
 */
public final class AuthTokens {
    private final TimedSerializer serializer;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * A verified token.
     *
     * @param version       {@code "5"} for dictionary payloads (as written in the token),
     *                      {@code "4"} for {@code [uid]}, {@code "3"} for the 3-element list
     * @param uid           the user's token uniquifier
     * @param primaryAuthAt when the user last authenticated with a primary factor ({@code fs_paa}),
     *                      or {@code null} when unknown (old formats, or 0)
     * @param expiresAt     the token's own expiry ({@code exp}), or {@code null} when it has none
     * @param signedAt      when it was signed
     * @param payload       the whole payload, for application checks of any additions
     */
    public record AuthToken(String version, String uid, Instant primaryAuthAt, Instant expiresAt,
                            Instant signedAt, JsonNode payload) {
    }

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_REMEMBER_SALT}, by default {@code "remember-salt"}
     * @param maxAge     {@code SECURITY_TOKEN_MAX_AGE}; {@code null} or zero for no limit
     * @param clock      the time source
     */
    public AuthTokens(List<String> secretKeys, String salt, Duration maxAge, Clock clock) {
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        this.serializer = new TimedSerializer(secretKeys, salt, clock);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Issues a version-5 token without an expiry of its own (only the max age applies).
     *
     * @param uid           the user's token uniquifier
     * @param primaryAuthAt when the user last authenticated with a primary factor
     * @return the token
     */
    public String issue(String uid, Instant primaryAuthAt) {
        return issue(uid, primaryAuthAt, null);
    }

    /**
     * Issues a version-5 token.
     *
     * @param uid           the user's token uniquifier
     * @param primaryAuthAt when the user last authenticated with a primary factor
     * @param expiresIn     lifetime written into {@code exp} (now + expiresIn, whole seconds);
     *                      {@code null} or zero for {@code exp = 0}, meaning only the max age applies
     * @return the token
     */
    public String issue(String uid, Instant primaryAuthAt, Duration expiresIn) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid must not be empty");
        }
        Objects.requireNonNull(primaryAuthAt, "primaryAuthAt");
        long exp = 0;
        if (expiresIn != null && !expiresIn.isZero()) {
            if (expiresIn.isNegative()) {
                throw new IllegalArgumentException("expiresIn must not be negative");
            }
            exp = clock.instant().getEpochSecond() + expiresIn.getSeconds();
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("ver", "5");
        payload.put("uid", uid);
        // The double nearest to the exact instant, as Python's time.time() float would be.
        payload.put("fs_paa", BigDecimal.valueOf(primaryAuthAt.getEpochSecond())
                .add(BigDecimal.valueOf(primaryAuthAt.getNano(), 9)).doubleValue());
        payload.put("exp", exp);
        return serializer.dumps(payload);
    }

    /**
     * Checks a token: genuine, within the max age, before its {@code exp} (if non-zero), and of a
     * known payload shape.
     *
     * @param token the token text, possibly {@code null}
     * @return the token's contents, or empty for anything not acceptable (expired or invalid alike)
     */
    public Optional<AuthToken> verify(String token) {
        if (!(serializer.loads(token, maxAge) instanceof TokenResult.Valid<JsonNode> valid)) {
            return Optional.empty();
        }
        JsonNode data = valid.payload();
        Instant signedAt = valid.signedAt();
        if (data.isObject()) {
            JsonNode ver = data.get("ver");
            JsonNode uid = data.get("uid");
            JsonNode exp = data.get("exp");
            if (ver == null || uid == null || exp == null || !isUid(uid) || !(exp.isNumber() || exp.isNull())
                    || !(ver.isString() || ver.isNumber())) {
                return Optional.empty();
            }
            Instant expiresAt = null;
            if (exp.isNumber() && exp.doubleValue() != 0) {
                // Flask-Security: expired when exp < int(now); so a token is good through second exp.
                long expSeconds = (long) Math.floor(Math.max(Math.min(exp.doubleValue(), 1e17), -1e17));
                if (expSeconds < clock.instant().getEpochSecond()) {
                    return Optional.empty();
                }
                expiresAt = Instant.ofEpochSecond(Math.min(expSeconds, Instant.MAX.getEpochSecond()));
            }
            return Optional.of(new AuthToken(ver.isString() ? ver.stringValue() : ver.asString(),
                    uid.stringValue(), epochInstant(data.get("fs_paa")), expiresAt, signedAt, data));
        }
        if (data.isArray() && data.size() == 1 && isUid(data.get(0))) {
            return Optional.of(new AuthToken("4", data.get(0).stringValue(), null, null, signedAt, data));
        }
        if (data.isArray() && data.size() == 3 && isUid(data.get(2))) {
            return Optional.of(new AuthToken("3", data.get(2).stringValue(), null, null, signedAt, data));
        }
        return Optional.empty();
    }

    private static boolean isUid(JsonNode n) {
        return n != null && n.isString() && !n.stringValue().isEmpty();
    }

    /** A positive epoch-seconds number as an instant (to the microsecond); otherwise null. */
    private static Instant epochInstant(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        double d = n.doubleValue();
        if (!(d > 0) || d > Instant.MAX.getEpochSecond()) {
            return null;
        }
        BigDecimal micros = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN);
        long seconds = micros.longValue();
        long nanos = micros.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }
}

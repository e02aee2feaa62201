package dev.gatehouse.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Password reset link tokens ({@code /reset/<token>}): payload
 * {@code [fs_uniquifier, sha256_crypt(password hash) or null]}, salt {@code SECURITY_RESET_SALT},
 * valid for {@code SECURITY_RESET_PASSWORD_WITHIN}. Flask-Security never checks the hash element;
 * single use comes from rotating the uniquifier on reset. {@link Reset#passwordMatches} lets a
 * caller check it anyway, so that a link dies as soon as the password changes. Immutable and
 * thread-safe.
 */
public final class ResetTokens {
    private final LinkCodec<Reset> codec;
    private final HashData hashData;

    /**
     * The payload of a reset token.
     *
     * @param uniquifier   the user's {@code fs_uniquifier}
     * @param passwordHash sha256_crypt of the user's password hash when the link was made, or
     *                     {@code null} when the user had no password
     */
    public record Reset(String uniquifier, String passwordHash) {
        /**
         * @param currentPasswordHash the user's stored password hash now, or {@code null}
         * @return whether the password is still the one the link was made for
         */
        public boolean passwordMatches(String currentPasswordHash) {
            if (passwordHash == null || currentPasswordHash == null) {
                return passwordHash == null && currentPasswordHash == null;
            }
            return HashData.verifyHashData(currentPasswordHash, passwordHash);
        }
    }

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_RESET_SALT}, by default {@code "reset-salt"}
     * @param within     {@code SECURITY_RESET_PASSWORD_WITHIN}
     * @param clock      the time source
     * @param random     the source of hash salts
     */
    public ResetTokens(List<String> secretKeys, String salt, Duration within, Clock clock, SecureRandom random) {
        this.codec = new LinkCodec<>(secretKeys, salt, within, clock, ResetTokens::parse);
        this.hashData = new HashData(random);
    }

    /**
     * @param uniquifier   the user's {@code fs_uniquifier}
     * @param passwordHash the user's stored password hash, or {@code null} (or empty) when none
     * @return the token
     */
    public String generate(String uniquifier, String passwordHash) {
        ArrayNode payload = JsonNodeFactory.instance.arrayNode().add(ConfirmTokens.nonEmpty(uniquifier));
        if (passwordHash == null || passwordHash.isEmpty()) {
            payload.addNull();
        } else {
            payload.add(hashData.hashData(passwordHash));
        }
        return codec.dumps(payload);
    }

    /**
     * @param token the token from the link, possibly {@code null}
     * @return valid, expired (with its payload) or invalid
     */
    public TokenResult<Reset> check(String token) {
        return codec.check(token);
    }

    private static Reset parse(JsonNode n) {
        JsonNode a = LinkCodec.array(n, 2);
        if (a == null || LinkCodec.text(a.get(0)) == null) {
            return null;
        }
        JsonNode hash = a.get(1);
        if (hash.isNull()) {
            return new Reset(a.get(0).stringValue(), null);
        }
        return LinkCodec.text(hash) == null ? null : new Reset(a.get(0).stringValue(), hash.stringValue());
    }
}

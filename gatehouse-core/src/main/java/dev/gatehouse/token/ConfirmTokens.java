package dev.gatehouse.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * E-mail confirmation link tokens ({@code /confirm/<token>}): payload
 * {@code [fs_uniquifier, sha256_crypt(email)]}, salt {@code SECURITY_CONFIRM_SALT}, valid for
 * {@code SECURITY_CONFIRM_EMAIL_WITHIN}. A token is only good for the address it was sent to:
 * check {@link Confirmation#emailMatches} against the user's current address. Immutable and
 * thread-safe.
 */
public final class ConfirmTokens {
    private final LinkCodec<Confirmation> codec;
    private final HashData hashData;

    /**
     * The payload of a confirmation token.
     *
     * @param uniquifier the user's {@code fs_uniquifier}
     * @param emailHash  sha256_crypt of the address the link was sent to
     */
    public record Confirmation(String uniquifier, String emailHash) {
        /**
         * @param email the user's current address
         * @return whether the token was made for it (deliberately slow: sha256_crypt)
         */
        public boolean emailMatches(String email) {
            return HashData.verifyHashData(email, emailHash);
        }
    }

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_CONFIRM_SALT}, by default {@code "confirm-salt"}
     * @param within     {@code SECURITY_CONFIRM_EMAIL_WITHIN}
     * @param clock      the time source
     * @param random     the source of hash salts
     */
    public ConfirmTokens(List<String> secretKeys, String salt, Duration within, Clock clock, SecureRandom random) {
        this.codec = new LinkCodec<>(secretKeys, salt, within, clock, ConfirmTokens::parse);
        this.hashData = new HashData(random);
    }

    /**
     * @param uniquifier the user's {@code fs_uniquifier}
     * @param email      the address the link is sent to
     * @return the token
     */
    public String generate(String uniquifier, String email) {
        return codec.dumps(JsonNodeFactory.instance.arrayNode()
                .add(nonEmpty(uniquifier)).add(hashData.hashData(email)));
    }

    /**
     * @param token the token from the link, possibly {@code null}
     * @return valid, expired (with its payload) or invalid
     */
    public TokenResult<Confirmation> check(String token) {
        return codec.check(token);
    }

    private static Confirmation parse(JsonNode n) {
        JsonNode a = LinkCodec.array(n, 2);
        if (a == null || LinkCodec.text(a.get(0)) == null || LinkCodec.text(a.get(1)) == null) {
            return null;
        }
        return new Confirmation(a.get(0).stringValue(), a.get(1).stringValue());
    }

    static String nonEmpty(String uniquifier) {
        if (uniquifier == null || uniquifier.isEmpty()) {
            throw new IllegalArgumentException("uniquifier must not be empty");
        }
        return uniquifier;
    }
}

package dev.gatehouse.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Change-e-mail confirmation link tokens (Flask-Security 5.5+): payload
 * {@code [fs_uniquifier, sha256_crypt(old email), new_email]}, salt
 * {@code SECURITY_CHANGE_EMAIL_SALT}, valid for {@code SECURITY_CHANGE_EMAIL_WITHIN}. The caller
 * must check {@link EmailChange#oldEmailMatches} and that the new address is still free.
 * Immutable and thread-safe.
 */
public final class ChangeEmailTokens {
    private final LinkCodec<EmailChange> codec;
    private final HashData hashData;

    /**
     * The payload of a change-e-mail token.
     *
     * @param uniquifier   the user's {@code fs_uniquifier}
     * @param oldEmailHash sha256_crypt of the address the user had when asking
     * @param newEmail     the requested new address
     */
    public record EmailChange(String uniquifier, String oldEmailHash, String newEmail) {
        /**
         * @param currentEmail the user's address now
         * @return whether it is still the one the change was requested from (slow: sha256_crypt)
         */
        public boolean oldEmailMatches(String currentEmail) {
            return HashData.verifyHashData(currentEmail, oldEmailHash);
        }
    }

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_CHANGE_EMAIL_SALT}, by default {@code "change-email-salt"}
     * @param within     {@code SECURITY_CHANGE_EMAIL_WITHIN}
     * @param clock      the time source
     * @param random     the source of hash salts
     */
    public ChangeEmailTokens(List<String> secretKeys, String salt, Duration within, Clock clock, SecureRandom random) {
        this.codec = new LinkCodec<>(secretKeys, salt, within, clock, ChangeEmailTokens::parse);
        this.hashData = new HashData(random);
    }

    /**
     * @param uniquifier the user's {@code fs_uniquifier}
     * @param oldEmail   the user's current address
     * @param newEmail   the requested address
     * @return the token
     */
    public String generate(String uniquifier, String oldEmail, String newEmail) {
        if (newEmail == null || newEmail.isEmpty()) {
            throw new IllegalArgumentException("newEmail must not be empty");
        }
        return codec.dumps(JsonNodeFactory.instance.arrayNode()
                .add(ConfirmTokens.nonEmpty(uniquifier)).add(hashData.hashData(oldEmail)).add(newEmail));
    }

    /**
     * @param token the token from the link, possibly {@code null}
     * @return valid, expired (with its payload) or invalid
     */
    public TokenResult<EmailChange> check(String token) {
        return codec.check(token);
    }

    private static EmailChange parse(JsonNode n) {
        JsonNode a = LinkCodec.array(n, 3);
        if (a == null || LinkCodec.text(a.get(0)) == null || LinkCodec.text(a.get(1)) == null
                || LinkCodec.text(a.get(2)) == null) {
            return null;
        }
        return new EmailChange(a.get(0).stringValue(), a.get(1).stringValue(), a.get(2).stringValue());
    }
}

package dev.gatehouse.token;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Two-factor validity tokens (cookie {@code tf_validity} or field {@code tf_validity_token}),
 * which let a user skip the second factor for a while: payload the bare JSON string
 * {@code fs_uniquifier} (not a list), salt {@code SECURITY_TWO_FACTOR_VALIDITY_SALT}, valid for
 * {@code SECURITY_TWO_FACTOR_LOGIN_VALIDITY}. The caller must compare the uniquifier with the
 * user signing in. Immutable and thread-safe.
 */
public final class TfValidityTokens {
    private final LinkCodec<String> codec;

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_TWO_FACTOR_VALIDITY_SALT}, by default {@code "tf-validity-salt"}
     * @param within     {@code SECURITY_TWO_FACTOR_LOGIN_VALIDITY}
     * @param clock      the time source
     */
    public TfValidityTokens(List<String> secretKeys, String salt, Duration within, Clock clock) {
        this.codec = new LinkCodec<>(secretKeys, salt, within, clock, LinkCodec::text);
    }

    /**
     * @param uniquifier the user's {@code fs_uniquifier}
     * @return the token
     */
    public String generate(String uniquifier) {
        return codec.dumps(JsonNodeFactory.instance.stringNode(ConfirmTokens.nonEmpty(uniquifier)));
    }

    /**
     * @param token the token, possibly {@code null}
     * @return valid, expired or invalid, with the {@code fs_uniquifier} as payload
     */
    public TokenResult<String> check(String token) {
        return codec.check(token);
    }
}

package dev.gatehouse.token;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Passwordless login link tokens ({@code /login/<token>}): payload {@code [fs_uniquifier]}, salt
 * {@code SECURITY_LOGIN_SALT}, valid for {@code SECURITY_LOGIN_WITHIN}. Not single use by
 * themselves: only rotating the uniquifier ends one early. Immutable and thread-safe.
 */
public final class LoginTokens {
    private final LinkCodec<String> codec;

    /**
     * @param secretKeys the current secret first, then fallbacks
     * @param salt       {@code SECURITY_LOGIN_SALT}, by default {@code "login-salt"}
     * @param within     {@code SECURITY_LOGIN_WITHIN}
     * @param clock      the time source
     */
    public LoginTokens(List<String> secretKeys, String salt, Duration within, Clock clock) {
        this.codec = new LinkCodec<>(secretKeys, salt, within, clock, LoginTokens::parse);
    }

    /**
     * @param uniquifier the user's {@code fs_uniquifier}
     * @return the token
     */
    public String generate(String uniquifier) {
        return codec.dumps(JsonNodeFactory.instance.arrayNode().add(ConfirmTokens.nonEmpty(uniquifier)));
    }

    /**
     * @param token the token from the link, possibly {@code null}
     * @return valid, expired or invalid, with the {@code fs_uniquifier} as payload
     */
    public TokenResult<String> check(String token) {
        return codec.check(token);
    }

    private static String parse(JsonNode n) {
        JsonNode a = LinkCodec.array(n, 1);
        return a == null ? null : LinkCodec.text(a.get(0));
    }
}

package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * itsdangerous' {@code URLSafeSerializer}: like {@link TimedSerializer} but without a timestamp,
 * {@code payload.signature}. Flask-Security uses it for refresh tokens, whose lifetime is kept in
 * the database. Signs with the first key, accepts any. Immutable and thread-safe.
 */
public final class UntimedSerializer {
    private final Signer signer;

    /**
     * @param secretKeys the current secret first, then any fallbacks still accepted
     * @param salt       the token purpose, e.g. {@code "refresh-token-salt"}
     * @throws IllegalArgumentException when no key is given or a key is empty
     */
    public UntimedSerializer(List<String> secretKeys, String salt) {
        this.signer = Signer.djangoConcat(secretKeys, salt);
    }

    /**
     * Signs a JSON value.
     *
     * @param payload any JSON value
     * @return the token
     */
    public String dumps(JsonNode payload) {
        Objects.requireNonNull(payload, "payload");
        String value = Payloads.encode(payload, PythonJson.Style.ITSDANGEROUS);
        return value + "." + signer.sign(value.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Signs a Java value, converted to JSON by Jackson.
     *
     * @param payload the value
     * @return the token
     */
    public String dumps(Object payload) {
        return dumps(PythonJson.toTree(payload));
    }

    /**
     * Checks a token in constant time.
     *
     * @param token the token text, possibly {@code null}
     * @return the payload when the token is genuine and well-formed, otherwise empty
     */
    public Optional<JsonNode> loads(String token) {
        TimedSerializer.Unsigned u = TimedSerializer.unsign(signer, token, false);
        return u == null ? Optional.empty() : Optional.of(u.payload());
    }
}

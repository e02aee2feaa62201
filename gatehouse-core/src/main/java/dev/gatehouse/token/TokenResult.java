package dev.gatehouse.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of checking a signed token: {@link Valid}, {@link Expired} (genuine but too old,
 * or dated in the future) or {@link Invalid} (anything else: bad signature, wrong key or salt,
 * malformed text, unexpected payload shape).
 *
 * <p>An expired token still carries its payload, because Flask-Security uses it, for example to
 * send a fresh reset link to the user an expired one names. Never act on it as if it were valid.
 *
 * @param <T> the decoded payload type
 */
public sealed interface TokenResult<T> permits TokenResult.Valid, TokenResult.Expired, TokenResult.Invalid {

    /**
     * A genuine token within its age limit.
     *
     * @param payload  the decoded payload
     * @param signedAt when it was signed (whole seconds)
     * @param <T>      the payload type
     */
    record Valid<T>(T payload, Instant signedAt) implements TokenResult<T> {
        /**
         * Checks the components are present.
         *
         * @param payload  the decoded payload
         * @param signedAt when it was signed
         */
        public Valid {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(signedAt, "signedAt");
        }
    }

    /**
     * A genuine token that is older than the age limit, or dated in the future.
     *
     * @param payload  the decoded payload (authentic, but stale)
     * @param signedAt when it was signed (whole seconds)
     * @param <T>      the payload type
     */
    record Expired<T>(T payload, Instant signedAt) implements TokenResult<T> {
        /**
         * Checks the components are present.
         *
         * @param payload  the decoded payload
         * @param signedAt when it was signed
         */
        public Expired {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(signedAt, "signedAt");
        }
    }

    /**
     * Not a token we signed, or not one of the expected kind.
     *
     * @param <T> the payload type
     */
    record Invalid<T>() implements TokenResult<T> {
    }

    /**
     * Whether this is {@link Valid}.
     *
     * @return true for a valid token
     */
    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * The payload when {@link Valid}, otherwise empty.
     *
     * @return the payload of a valid token
     */
    default Optional<T> validPayload() {
        return this instanceof Valid<T> v ? Optional.of(v.payload()) : Optional.empty();
    }

    /**
     * The same verdict with the payload converted; a conversion that returns {@code null}
     * (the payload has the wrong shape) turns the result into {@link Invalid}.
     *
     * @param conversion from the payload to the new type, {@code null} for "wrong shape"
     * @param <R>        the new payload type
     * @return the converted result
     */
    default <R> TokenResult<R> map(Function<? super T, ? extends R> conversion) {
        if (this instanceof Valid<T> v) {
            R r = conversion.apply(v.payload());
            return r == null ? new Invalid<>() : new Valid<>(r, v.signedAt());
        }
        if (this instanceof Expired<T> e) {
            R r = conversion.apply(e.payload());
            return r == null ? new Invalid<>() : new Expired<>(r, e.signedAt());
        }
        return new Invalid<>();
    }
}

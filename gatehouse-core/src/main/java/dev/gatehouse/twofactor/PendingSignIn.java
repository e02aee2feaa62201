package dev.gatehouse.twofactor;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in between its first factor and its second: who, which step, and what the second step
 * needs. Flask-Security keeps this in the session ({@code tf_user_id}, {@code tf_state},
 * {@code tf_primary_method}, {@code tf_totp_secret}, {@code tf_remember_login}); Gatehouse keeps it
 * in the (encrypted) session too, and also hands it to JSON clients as a signed, short-lived
 * {@code tf_signin_state} so that clients without cookies can finish.
 *
 * <p>It also describes a signed-in user's change of method awaiting its code
 * ({@link #changing()}): then {@link #uid()} is the signed-in user.
 *
 * @param uid       the user's {@code fs_uniquifier}
 * @param state     {@link #SETUP_FROM_LOGIN}, {@link #VALIDATING_PROFILE} or {@link #READY}
 * @param method    the method being set up ({@link #VALIDATING_PROFILE}), else null
 * @param secret    the encrypted TOTP secret being set up, else null
 * @param phone     the E.164 number being set up for SMS, else null
 * @param remember  whether the user asked to be remembered
 * @param via       how the first factor was proven ({@code password}, {@code email}, …)
 * @param next      where an HTML client goes afterwards (already checked), or null
 * @param nonce     random id of this pending sign-in: wrong codes are counted against it
 * @param startedAt when the first factor was proven; the pending sign-in expires after
 *                  {@code SECURITY_TWO_FACTOR_SETUP_WITHIN}
 * @param changing  whether this is a signed-in user changing their method (not a sign-in)
 */
public record PendingSignIn(String uid, String state, String method, String secret, String phone, boolean remember,
                            String via, String next, String nonce, Instant startedAt, boolean changing) {

    /** The user has no second factor yet and must set one up before signing in. */
    public static final String SETUP_FROM_LOGIN = "setup_from_login";
    /** A method was chosen and its first code is awaited. */
    public static final String VALIDATING_PROFILE = "validating_profile";
    /** The user's method is set up and its code is awaited. */
    public static final String READY = "ready";

    /** Checks the required parts. */
    public PendingSignIn {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** A copy in another step, with the method being set up. */
    PendingSignIn validating(String newMethod, String newSecret, String newPhone) {
        return new PendingSignIn(uid, VALIDATING_PROFILE, newMethod, newSecret, newPhone, remember, via, next, nonce,
                startedAt, changing);
    }
}

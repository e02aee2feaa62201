package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user passed the second factor while signing in ({@code tf_code_confirmed}); when the method
 * was set up during this sign-in, it is now stored.
 *
 * @param user   the user
 * @param method the method: {@code authenticator}, {@code email} or {@code sms}
 */
public record TwoFactorCodeConfirmed(User user, String method) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A known user failed to authenticate ({@code user_failed_authn}); the hook for lockout policies.
 *
 * @param user     the user
 * @param authType {@code password}, {@code passcode}, {@code passkey} or {@code code}
 */
public record LoginFailed(User user, String authType) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user set a new password through a reset link ({@code password_reset}); every earlier
 * session and token of theirs has stopped working.
 *
 * @param user the user, as stored afterwards
 */
public record PasswordReset(User user) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A signed-in user changed their password ({@code password_changed}); every other session and
 * token of theirs has stopped working.
 *
 * @param user the user, as stored afterwards
 */
public record PasswordChanged(User user) implements GatehouseEvent {
}

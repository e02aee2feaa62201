package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A signed-in user changed their username ({@code username_changed}).
 *
 * @param user        the user, as stored afterwards (its username may be null when it was removed)
 * @param oldUsername the username before, or null when there was none
 */
public record UsernameChanged(User user, String oldUsername) implements GatehouseEvent {
}

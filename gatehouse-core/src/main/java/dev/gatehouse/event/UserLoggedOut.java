package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user logged out ({@code user_unauthenticated}).
 *
 * @param user the user
 */
public record UserLoggedOut(User user) implements GatehouseEvent {
}

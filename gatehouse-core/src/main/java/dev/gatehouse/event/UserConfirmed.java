package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user confirmed their email address by the mailed link ({@code user_confirmed}).
 *
 * @param user the user, as stored after confirmation
 */
public record UserConfirmed(User user) implements GatehouseEvent {
}

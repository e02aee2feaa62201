package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user turned two-factor authentication off ({@code tf_disabled}).
 *
 * @param user the user as stored afterwards
 */
public record TwoFactorDisabled(User user) implements GatehouseEvent {
}

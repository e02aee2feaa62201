package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A signed-in user set up or changed their two-factor method ({@code tf_profile_changed}).
 *
 * @param user   the user as stored afterwards
 * @param method the new method
 */
public record TwoFactorProfileChanged(User user, String method) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user made a new set of recovery codes; the old ones no longer work.
 *
 * @param user  the user
 * @param count how many codes were made
 */
public record RecoveryCodesGenerated(User user, int count) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A recovery code stood in for the second factor; it is used up.
 *
 * @param user      the user
 * @param remaining how many codes the user has left
 */
public record RecoveryCodeUsed(User user, int remaining) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A signed-in user asked to change their email, and the confirmation link went to the new
 * address ({@code change_email_instructions_sent}). Nothing has changed yet.
 *
 * @param user     the user, still with the old address
 * @param newEmail the requested address (normalized)
 * @param token    the token of the mailed link
 */
public record ChangeEmailInstructionsSent(User user, String newEmail, String token) implements GatehouseEvent {
}

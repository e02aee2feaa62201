package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * Confirmation instructions were mailed on request ({@code confirm_instructions_sent}).
 *
 * @param user              the user
 * @param confirmationToken the token of the mailed link
 */
public record ConfirmInstructionsSent(User user, String confirmationToken) implements GatehouseEvent {
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A password reset link was mailed ({@code reset_password_instructions_sent}).
 *
 * @param user       the user
 * @param resetToken the token of the mailed link
 */
public record ResetInstructionsSent(User user, String resetToken) implements GatehouseEvent {
}

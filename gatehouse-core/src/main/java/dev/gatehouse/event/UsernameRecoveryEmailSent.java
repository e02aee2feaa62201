package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * Someone asked for the username of an account and it was mailed to the account's address
 * ({@code username_recovery_email_sent}).
 *
 * @param user the user
 */
public record UsernameRecoveryEmailSent(User user) implements GatehouseEvent {
}

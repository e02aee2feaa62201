package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A pending sign-in saw too many wrong second-factor codes and was voided; the client must start
 * over with the first factor. A hook for alerting or lockout policies (Gatehouse's own event).
 *
 * @param user the user whose sign-in was voided
 */
public record SecondFactorAttemptsExhausted(User user) implements GatehouseEvent {
}

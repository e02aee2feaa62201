package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A user who cannot produce a second factor asked the administrator for help; the rescue mail
 * went to {@code SECURITY_TWO_FACTOR_RESCUE_MAIL}.
 *
 * @param user the user
 */
public record TwoFactorRescueRequested(User user) implements GatehouseEvent {
}

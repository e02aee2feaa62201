package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A two-factor code was sent by mail or SMS ({@code tf_security_token_sent}).
 *
 * @param user        the user
 * @param method      {@code email} or {@code sms}
 * @param code        the code sent (listeners can deliver it themselves, or tests read it)
 * @param phoneNumber the number an SMS went to, else null
 */
public record TwoFactorCodeSent(User user, String method, String code, String phoneNumber) implements GatehouseEvent {
}

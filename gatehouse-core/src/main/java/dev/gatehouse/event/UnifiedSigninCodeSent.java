package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A unified sign-in code was sent ({@code us_security_token_sent}).
 *
 * @param user          the user
 * @param method        {@code email} or {@code sms}
 * @param code          the code sent
 * @param phoneNumber   the number an SMS went to, else null
 * @param sendMagicLink whether the mail carried a sign-in link
 */
public record UnifiedSigninCodeSent(User user, String method, String code, String phoneNumber, boolean sendMagicLink)
        implements GatehouseEvent {
}

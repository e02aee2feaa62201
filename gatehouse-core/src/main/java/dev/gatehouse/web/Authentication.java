package dev.gatehouse.web;

import dev.gatehouse.account.User;
import java.time.Instant;

/**
 * Who a request is authenticated as, and how.
 *
 * @param user    the active user
 * @param method  {@code session}, {@code token} or {@code basic}
 * @param paa     time of the user's last primary authentication as the credential states it
 *                (session or token), or null when unknown (a remember-me login)
 */
public record Authentication(User user, String method, Instant paa) {
}

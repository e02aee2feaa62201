package dev.gatehouse.event;

import dev.gatehouse.account.User;
import java.util.Map;

/**
 * A registration was answered as if it succeeded, but no account was created because the email
 * or username is taken ({@code user_not_registered}; only with
 * {@code SECURITY_RETURN_GENERIC_RESPONSES}). A mail went to the address instead.
 *
 * @param existingUser     the owner of the email, or null when only the username is taken
 * @param existingEmail    whether the email belongs to an account
 * @param existingUsername whether the username belongs to an account
 * @param formData         the submitted string fields, without passwords and the CSRF token
 */
public record UserNotRegistered(User existingUser, boolean existingEmail, boolean existingUsername,
                                Map<String, String> formData) implements GatehouseEvent {
    /** Copies the form data. */
    public UserNotRegistered {
        formData = Map.copyOf(formData);
    }
}

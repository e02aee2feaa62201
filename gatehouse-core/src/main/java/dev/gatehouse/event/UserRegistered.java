package dev.gatehouse.event;

import dev.gatehouse.account.User;
import java.util.Map;

/**
 * A new account was created by registration ({@code user_registered}). Listeners may store the
 * application's own fields of the registration form, keyed by the user's id.
 *
 * @param user              the new user, as stored
 * @param confirmationToken the token of the mailed confirmation link, or null when
 *                          confirmation is off
 * @param formData          the submitted string fields, without passwords and the CSRF token
 */
public record UserRegistered(User user, String confirmationToken, Map<String, String> formData)
        implements GatehouseEvent {
    /** Copies the form data. */
    public UserRegistered {
        formData = Map.copyOf(formData);
    }
}

package dev.gatehouse.register;

import dev.gatehouse.account.User;
import dev.gatehouse.web.FieldErrors;
import java.util.Map;

/**
 * What an application adds to registration, set on {@code Gatehouse.Builder.registrationHook}:
 * checks of its own form fields (a display name, terms accepted, a captcha …) and storing them
 * for the new user. For merely reacting to a registration, listening to
 * {@link dev.gatehouse.event.UserRegistered} is enough.
 *
 * <pre>{@code
 * builder.registrationHook(new RegistrationHook() {
 *     public void validate(Map<String, String> fields, FieldErrors errors) {
 *         if (fields.getOrDefault("display_name", "").isBlank()) {
 *             errors.add("display_name", "Please tell us your name");
 *         }
 *     }
 *     public void registered(User user, Map<String, String> fields) {
 *         profiles.insert(user.id(), fields.get("display_name"));
 *     }
 * });
 * }</pre>
 */
public interface RegistrationHook {
    /** A hook that adds nothing. */
    RegistrationHook NONE = new RegistrationHook() {
    };

    /**
     * Checks the application's fields along with Gatehouse's own; any error added refuses the
     * registration with a 400 naming that field.
     *
     * @param fields the submitted string fields, without passwords and the CSRF token
     * @param errors where to add errors (field name, message)
     */
    default void validate(Map<String, String> fields, FieldErrors errors) {
    }

    /**
     * Called once the account exists and its welcome mail is sent, before anyone is told. If it
     * throws, the account is deleted again and the client gets a 500, so there is never an
     * account without the application's data.
     *
     * @param user   the new user, as stored (with its id)
     * @param fields the submitted string fields, without passwords and the CSRF token
     */
    default void registered(User user, Map<String, String> fields) {
    }
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;
import java.util.List;

/**
 * A user added or removed unified sign-in methods ({@code us_profile_changed}).
 *
 * @param user    the user as stored afterwards
 * @param methods the methods added or removed
 * @param deleted whether they were removed
 */
public record UnifiedSigninProfileChanged(User user, List<String> methods, boolean deleted) implements GatehouseEvent {
    /** Copies the list. */
    public UnifiedSigninProfileChanged {
        methods = List.copyOf(methods);
    }
}

package dev.gatehouse.event;

import dev.gatehouse.account.User;
import java.util.List;

/**
 * A user signed in ({@code user_authenticated}).
 *
 * @param user      the user
 * @param authnVia  how: {@code password}, …
 */
public record UserAuthenticated(User user, List<String> authnVia) implements GatehouseEvent {
}

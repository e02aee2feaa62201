package dev.gatehouse.event;

import dev.gatehouse.account.User;

/**
 * A change of email was confirmed by the link sent to the new address
 * ({@code change_email_confirmed}): the account now has that address, confirmed.
 *
 * @param user     the user, as stored afterwards
 * @param oldEmail the address the account had before
 */
public record ChangeEmailConfirmed(User user, String oldEmail) implements GatehouseEvent {
}

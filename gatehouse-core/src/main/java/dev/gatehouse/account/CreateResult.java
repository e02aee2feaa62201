package dev.gatehouse.account;

/**
 * The outcome of {@link UserDatastore#createUser}: either the stored user, or the name of the
 * unique attribute ({@code email}, {@code username}, …) that another account already holds.
 * A lost race between two concurrent creations is reported the same way, never as an exception.
 */
public sealed interface CreateResult {

    /** The user was stored. */
    record Created(User user) implements CreateResult {
    }

    /** Another account already holds {@code attribute}. */
    record AlreadyExists(String attribute) implements CreateResult {
    }
}

package dev.gatehouse.account;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Storage of users and roles: the typed counterpart of Flask-Security's {@code UserDatastore}.
 *
 * <p>Identity lookups by {@code email} and {@code username} are case-insensitive and must use an
 * index. Every method may be called inside {@link #inTransaction}; then its writes commit together
 * with the rest of the unit of work or not at all. Outside a unit of work each call commits on its own.
 *
 * <p>Implementations must pass the contract suite in {@code gatehouse-testkit}.
 */
public interface UserDatastore {

    /**
     * Runs {@code work} as one unit of work: everything it writes through this datastore commits
     * when it returns, and is rolled back when it throws (the exception is rethrown). Nested calls
     * join the outer unit of work.
     */
    <T> T inTransaction(Supplier<T> work);

    /**
     * Finds a user by an identity attribute. {@code email} and {@code username} compare
     * case-insensitively; other attribute names are rejected with {@link IllegalArgumentException}.
     */
    Optional<User> findUserByIdentity(String attribute, String value);

    /** Finds a user by {@code fs_uniquifier} (exact match), as session and token loaders do. */
    Optional<User> findUserByUniquifier(String fsUniquifier);

    /** Finds a user by database id. */
    Optional<User> findUserById(long id);

    /**
     * Stores a new user built with {@link User#builder}. The given roles are resolved by name;
     * an unknown role name throws {@link IllegalArgumentException}. Returns
     * {@link CreateResult.AlreadyExists} when the email, username or uniquifier is taken,
     * including when a concurrent creation wins the race.
     */
    CreateResult createUser(User user);

    /**
     * Writes every field of {@code user} except its roles to the row with the same id and returns
     * the stored value. The password must already be hashed; nothing is normalized here.
     *
     * @throws IllegalArgumentException if the user does not exist
     * @throws IllegalStateException if a unique attribute collides with another account
     */
    User updateUser(User user);

    /** Deletes the user and its role links. Returns whether a user was deleted. */
    boolean deleteUser(User user);

    /** Finds a role by its exact name. */
    Optional<Role> findRole(String name);

    /** Creates a role; throws {@link IllegalStateException} if the name is taken. */
    Role createRole(Role role);

    /** Finds the role or creates it with the given description and permissions. */
    default Role findOrCreateRole(Role role) {
        return inTransaction(() -> findRole(role.name()).orElseGet(() -> createRole(role)));
    }

    /** Gives the user a role. Returns false if the user already had it. Unknown role: {@link IllegalArgumentException}. */
    boolean addRoleToUser(User user, String roleName);

    /** Takes a role from the user. Returns false if the user did not have it. */
    boolean removeRoleFromUser(User user, String roleName);

    /** Adds permissions to a role. Returns false if the role does not exist. */
    boolean addPermissionsToRole(String roleName, Collection<String> permissions);

    /** Removes permissions from a role. Returns false if the role does not exist. */
    boolean removePermissionsFromRole(String roleName, Collection<String> permissions);

    /** Activates the user. Returns true if that changed anything. */
    default boolean activateUser(User user) {
        return inTransaction(() -> {
            User current = reload(user);
            if (current.active()) {
                return false;
            }
            updateUser(current.toBuilder().active(true).build());
            return true;
        });
    }

    /**
     * Deactivates the user: every session and token of theirs stops working at once, because
     * loaders check {@code active}. Returns true if that changed anything.
     */
    default boolean deactivateUser(User user) {
        return inTransaction(() -> {
            User current = reload(user);
            if (!current.active()) {
                return false;
            }
            updateUser(current.toBuilder().active(false).build());
            return true;
        });
    }

    /**
     * Replaces {@code fs_uniquifier} (with {@code uniquifier}, or a fresh random one when null):
     * ends every session, remember-me cookie and auth token of the user.
     */
    default User setUniquifier(User user, String uniquifier) {
        String value = uniquifier != null ? uniquifier : Uniquifiers.newUniquifier();
        return inTransaction(() -> updateUser(reload(user).toBuilder().fsUniquifier(value).build()));
    }

    /**
     * Resets everything that lets someone in except the password: a new uniquifier, no two-factor
     * or unified sign-in setup, no recovery codes. Used when an account may be compromised.
     */
    default User resetUserAccess(User user) {
        return inTransaction(() -> updateUser(reload(user).toBuilder()
                .fsUniquifier(Uniquifiers.newUniquifier())
                .tfPrimaryMethod(null).tfTotpSecret(null).tfPhoneNumber(null)
                .usTotpSecrets(null).usPhoneNumber(null)
                .mfRecoveryCodes(null)
                .build()));
    }

    /**
     * Records a successful login as Flask-Security's trackable feature does: the current login
     * time and address become the last ones (or the new ones, on the first login), and the count
     * goes up by one. Returns the stored user.
     *
     * <p>This default reads the row and writes it back, so two logins of one user at the same
     * moment can lose a count. Datastores override it with one atomic update computed by the
     * database from the stored row (the contract suite's concurrent-login test checks this).
     */
    default User trackLogin(User user, Instant now, String remoteAddress) {
        return inTransaction(() -> {
            User u = reload(user);
            User.Builder b = u.toBuilder();
            b.lastLoginAt(u.currentLoginAt() != null ? u.currentLoginAt() : now);
            b.lastLoginIp(u.currentLoginIp() != null ? u.currentLoginIp() : remoteAddress);
            b.currentLoginAt(now).currentLoginIp(remoteAddress);
            b.loginCount(u.loginCount() == null ? 1 : u.loginCount() + 1);
            return updateUser(b.build());
        });
    }

    /** Reads the stored state of the user again; {@link IllegalArgumentException} if it is gone. */
    default User reload(User user) {
        if (user.id() == null) {
            throw new IllegalArgumentException("user has not been stored");
        }
        return findUserById(user.id()).orElseThrow(() -> new IllegalArgumentException("no such user: " + user.id()));
    }
}

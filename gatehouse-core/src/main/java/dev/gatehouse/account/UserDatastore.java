package dev.gatehouse.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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

    // ---------------------------------------------------------------- two-factor (tf_*)

    /**
     * Sets the user's two-factor method (Flask-Security's {@code tf_set}): the primary method
     * always, the (encrypted) TOTP secret and the phone number only when given; other fields stay.
     * Returns the stored user.
     */
    default User tfSet(User user, String primaryMethod, String totpSecret, String phone) {
        Objects.requireNonNull(primaryMethod, "primaryMethod");
        return inTransaction(() -> {
            User.Builder b = reload(user).toBuilder().tfPrimaryMethod(primaryMethod);
            if (totpSecret != null) {
                b.tfTotpSecret(totpSecret);
            }
            if (phone != null) {
                b.tfPhoneNumber(phone);
            }
            return updateUser(b.build());
        });
    }

    /** Turns two-factor off for the user ({@code tf_reset}): method, secret and phone cleared. */
    default User tfReset(User user) {
        return inTransaction(() -> updateUser(reload(user).toBuilder()
                .tfPrimaryMethod(null).tfTotpSecret(null).tfPhoneNumber(null).build()));
    }

    // ---------------------------------------------------------------- recovery codes

    /** Replaces the user's stored recovery codes ({@code mf_set_recovery_codes}); null or empty for none. */
    default User mfSetRecoveryCodes(User user, List<String> codes) {
        return inTransaction(() -> updateUser(reload(user).toBuilder().mfRecoveryCodes(codes).build()));
    }

    /** The user's stored recovery codes as stored (hashed, encrypted or plain), read afresh. */
    default List<String> mfGetRecoveryCodes(User user) {
        return reload(user).mfRecoveryCodes();
    }

    /**
     * Removes one stored recovery code, given as stored. Returns true only when this call removed
     * it: of two concurrent calls for the same code exactly one wins, which is what makes a code
     * single-use. (Flask-Security's {@code mf_delete_recovery_code} takes an index, which two
     * concurrent requests can both act on.) The default re-reads and writes in one unit of work;
     * a datastore whose units of work do not serialize such writes must override it.
     */
    default boolean mfDeleteRecoveryCode(User user, String storedCode) {
        Objects.requireNonNull(storedCode, "storedCode");
        return inTransaction(() -> {
            User current = reload(user);
            List<String> codes = new ArrayList<>(current.mfRecoveryCodes());
            if (!codes.remove(storedCode)) {
                return false;
            }
            updateUser(current.toBuilder().mfRecoveryCodes(codes).build());
            return true;
        });
    }

    // ---------------------------------------------------------------- unified sign-in (us_*)

    /**
     * The user's unified sign-in secrets by method ({@code us_get_totp_secrets}): the JSON object
     * of {@code us_totp_secrets}, values as stored (passlib encrypted JSON). Empty when there are
     * none or the column cannot be read.
     */
    default Map<String, String> usGetTotpSecrets(User user) {
        return UsSecretsColumn.parse(user.usTotpSecrets());
    }

    /**
     * Replaces the unified sign-in secrets ({@code us_put_totp_secrets}), written as Python's
     * {@code json.dumps} writes them so Flask-Security reads them back; null or empty clears them.
     */
    default User usPutTotpSecrets(User user, Map<String, String> secrets) {
        return inTransaction(() -> updateUser(reload(user).toBuilder()
                .usTotpSecrets(secrets == null || secrets.isEmpty() ? null : UsSecretsColumn.format(secrets)).build()));
    }

    /**
     * Sets up one unified sign-in method ({@code us_set}): its secret when given, and the phone
     * number when given. A phone number another account holds fails with
     * {@link IllegalStateException}, as {@link #updateUser} does.
     */
    default User usSet(User user, String method, String totpSecret, String phone) {
        Objects.requireNonNull(method, "method");
        return inTransaction(() -> {
            User current = reload(user);
            User.Builder b = current.toBuilder();
            if (totpSecret != null) {
                Map<String, String> secrets = new LinkedHashMap<>(UsSecretsColumn.parse(current.usTotpSecrets()));
                secrets.put(method, totpSecret);
                b.usTotpSecrets(UsSecretsColumn.format(secrets));
            }
            if (phone != null) {
                b.usPhoneNumber(phone);
            }
            return updateUser(b.build());
        });
    }

    /**
     * Removes one unified sign-in method, or all of them when {@code method} is null
     * ({@code us_reset}); removing {@code sms} (or all) also clears the phone number.
     */
    default User usReset(User user, String method) {
        return inTransaction(() -> {
            User current = reload(user);
            User.Builder b = current.toBuilder();
            if (method == null) {
                b.usTotpSecrets(null).usPhoneNumber(null);
            } else {
                Map<String, String> secrets = new LinkedHashMap<>(UsSecretsColumn.parse(current.usTotpSecrets()));
                secrets.remove(method);
                b.usTotpSecrets(secrets.isEmpty() ? null : UsSecretsColumn.format(secrets));
                if (method.equals("sms")) {
                    b.usPhoneNumber(null);
                }
            }
            return updateUser(b.build());
        });
    }

    // ---------------------------------------------------------------- counters

    /**
     * The value of a named counter, if it exists and has not expired at {@code now}. Counters are
     * small pieces of state every node must see: the last accepted TOTP step of a secret (so a
     * code works once) and the wrong guesses of a pending sign-in. Names are at most 191
     * characters.
     */
    OptionalLong findCounter(String name, Instant now);

    /**
     * Raises a counter to {@code value}, atomically: when it does not exist, has expired, or holds
     * less than {@code value}, it is set to {@code value} with the new expiry and true is
     * returned; otherwise nothing changes and false is returned. Of concurrent calls with the same
     * value exactly one gets true.
     */
    boolean advanceCounter(String name, long value, Instant expiresAt, Instant now);

    /**
     * Adds one to a counter, atomically, and returns the new value. A counter that does not exist
     * or has expired starts again at 1 with {@code expiresAt}; a live one keeps its expiry.
     */
    long incrementCounter(String name, Instant expiresAt, Instant now);
}

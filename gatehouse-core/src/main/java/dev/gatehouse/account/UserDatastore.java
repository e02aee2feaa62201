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
     * or unified sign-in setup, no recovery codes, no WebAuthn credentials, every refresh tracker
     * revoked (Flask-Security's {@code reset_user_access}). Used when an account may be compromised.
     */
    default User resetUserAccess(User user) {
        return inTransaction(() -> {
            User reset = updateUser(reload(user).toBuilder()
                    .fsUniquifier(Uniquifiers.newUniquifier())
                    .tfPrimaryMethod(null).tfTotpSecret(null).tfPhoneNumber(null)
                    .usTotpSecrets(null).usPhoneNumber(null)
                    .mfRecoveryCodes(null)
                    .build());
            if (supportsCredentialTables()) {
                webauthnReset(reset);
                refreshTrackerReset(reset, Instant.now());
            }
            return reset;
        });
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

    // ---------------------------------------------------------------- WebAuthn credentials and refresh trackers

    /**
     * Whether this datastore stores WebAuthn credentials and refresh trackers (the methods below).
     * Their defaults throw {@link UnsupportedOperationException}; a datastore that implements them
     * returns true here.
     */
    default boolean supportsCredentialTables() {
        return false;
    }

    /**
     * Sets the user's WebAuthn user handle ({@code set_webauthn_user_handle}); a fresh random one
     * (uuid4 hex) when {@code handle} is null or empty. Returns the stored user.
     */
    default User setWebauthnUserHandle(User user, String handle) {
        String value = handle == null || handle.isEmpty() ? Uniquifiers.newUniquifier() : handle;
        return inTransaction(() -> updateUser(reload(user).toBuilder().fsWebauthnUserHandle(value).build()));
    }

    /**
     * Stores a newly registered credential for the user ({@code create_webauthn}); created and
     * last used at {@code now}. A credential id that is already registered (to anyone) fails with
     * {@link IllegalStateException}; an unknown user with {@link IllegalArgumentException}.
     */
    default WebAuthnCredential createWebauthn(User user, byte[] credentialId, byte[] publicKey, String name, long signCount,
                                              String usage, String deviceType, boolean backupState,
                                              List<String> transports, String extensions, Instant now) {
        throw unsupported();
    }

    /** Finds a credential by its credential id ({@code find_webauthn}). */
    default Optional<WebAuthnCredential> findWebauthn(byte[] credentialId) {
        throw unsupported();
    }

    /** The user's credentials (Flask-Security's {@code user.webauthn} relation), oldest first. */
    default List<WebAuthnCredential> findWebauthns(User user) {
        throw unsupported();
    }

    /** The user a credential belongs to ({@code find_user_from_webauthn}). */
    default Optional<User> findUserFromWebauthn(WebAuthnCredential credential) {
        return findUserById(credential.userId());
    }

    /**
     * Records a successful use of a credential: its new signature counter, backup state and last
     * use time. Returns the stored credential, or empty when it no longer exists.
     */
    default Optional<WebAuthnCredential> recordWebauthnUse(WebAuthnCredential credential, long signCount,
                                                           boolean backupState, Instant now) {
        throw unsupported();
    }

    /** Deletes a credential ({@code delete_webauthn}). Returns whether it existed. */
    default boolean deleteWebauthn(WebAuthnCredential credential) {
        throw unsupported();
    }

    /**
     * Deletes all of the user's credentials ({@code webauthn_reset}); the user handle stays.
     * Returns how many were deleted.
     */
    default int webauthnReset(User user) {
        throw unsupported();
    }

    /**
     * Starts a refresh-token family for the user ({@code create_refresh_tracker}): a random family
     * (uuid4 hex), generation 1, last used and created at {@code now}.
     */
    default RefreshTracker createRefreshTracker(User user, String name, Instant expiresAt, Instant now) {
        throw unsupported();
    }

    /** Finds a tracker by its family ({@code find_refresh_tracker}). */
    default Optional<RefreshTracker> findRefreshTracker(String refreshFamily) {
        throw unsupported();
    }

    /** The user's trackers (Flask-Security's {@code user.refresh_trackers} relation), oldest first. */
    default List<RefreshTracker> findRefreshTrackers(User user) {
        throw unsupported();
    }

    /**
     * Exchanges a refresh token ({@code exchange_refresh_tracker}): the generation goes up by one
     * and {@code last_used_at} becomes {@code now}; the expiry stays. Atomic and conditional: it
     * happens only if the stored tracker still has {@code tracker.gen()} and is not revoked, so of
     * two concurrent exchanges of one token exactly one gets the new tracker and the other gets
     * empty (which the caller treats as reuse). (Flask-Security's version increments whatever is
     * stored.)
     */
    default Optional<RefreshTracker> exchangeRefreshTracker(RefreshTracker tracker, Instant now) {
        throw unsupported();
    }

    /**
     * Revokes a tracker ({@code revoke_refresh_tracker}): {@code revoked_at} becomes {@code now}
     * unless it was revoked before. Returns whether this call revoked it.
     */
    default boolean revokeRefreshTracker(RefreshTracker tracker, Instant now) {
        throw unsupported();
    }

    /**
     * Deletes the user's expired trackers (expiry at or before {@code now}) when {@code expired},
     * and revoked ones when {@code revoked} ({@code cleanup_refresh_trackers}). Returns how many
     * were deleted.
     */
    default int cleanupRefreshTrackers(User user, boolean expired, boolean revoked, Instant now) {
        throw unsupported();
    }

    /**
     * Revokes every tracker of the user not revoked yet ({@code refresh_tracker_reset}): every
     * refresh token of theirs stops working. Returns how many were revoked.
     */
    default int refreshTrackerReset(User user, Instant now) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not supported by this datastore yet");
    }
}

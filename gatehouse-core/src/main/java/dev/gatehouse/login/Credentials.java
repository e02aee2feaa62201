package dev.gatehouse.login;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.i18n.Messages;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.web.FieldErrors;
import java.util.List;
import java.util.Optional;

/**
 * Finds users by identity and checks their passwords, the way every sign-in path must: an unknown
 * user (or one without a password) costs the same hashing work as a known one, and a hash in a
 * deprecated scheme is upgraded after a successful check.
 */
public final class Credentials {
    private final GatehouseConfig config;
    private final UserDatastore datastore;
    private final PasswordHasher hasher;
    private final Messages messages;

    /** Creates the checker. */
    public Credentials(GatehouseConfig config, UserDatastore datastore, PasswordHasher hasher, Messages messages) {
        this.config = config;
        this.datastore = datastore;
        this.hasher = hasher;
        this.messages = messages;
    }

    /** The identity attributes in use ({@code email}, and {@code username} when enabled). */
    public List<String> identityAttributes() {
        List<String> attrs = config.get(ConfigKeys.USER_IDENTITY_ATTRIBUTES);
        if (config.get(ConfigKeys.USERNAME_ENABLE) && !attrs.contains("username")) {
            return java.util.stream.Stream.concat(attrs.stream(), java.util.stream.Stream.of("username")).toList();
        }
        return attrs;
    }

    /**
     * How the user is named to SPA redirects ({@code identity=}), as Flask-Security's
     * {@code calc_username}: the first identity attribute the user has a value for.
     */
    public String identityOf(User user) {
        for (String attr : identityAttributes()) {
            Optional<String> v = user.identity(attr);
            if (v.isPresent() && !v.get().isBlank()) {
                return v.get();
            }
        }
        return user.email();
    }

    /** Finds a user by one attribute, case-insensitively. */
    public Optional<User> find(String attribute, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return datastore.findUserByIdentity(attribute, value.strip());
    }

    /** Finds a user by whichever identity attribute matches the value first. */
    public Optional<User> findByAnyIdentity(String value) {
        for (String attr : identityAttributes()) {
            Optional<User> u = find(attr, value);
            if (u.isPresent()) {
                return u;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the password is the user's; a user without a password fails after the same work.
     * Upgrades the stored hash when its scheme is deprecated.
     */
    public boolean verify(User user, String password) {
        if (!user.hasPassword()) {
            hasher.verifyDummy(password);
            return false;
        }
        dev.gatehouse.password.Verification v = hasher.verify(password, user.password());
        if (v.valid() && v.needsRehash()) {
            datastore.updateUser(datastore.reload(user).toBuilder().password(hasher.hash(password)).build());
        }
        return v.valid();
    }

    /** Spends the work of one password check without a user (unknown identities). */
    public void spendDummyWork(String password) {
        hasher.verifyDummy(password == null ? "" : password);
    }

    /** The user if the identity exists and the password is theirs (HTTP Basic). */
    public Optional<User> check(String identity, String password) {
        Optional<User> u = findByAnyIdentity(identity);
        if (u.isEmpty()) {
            spendDummyWork(password);
            return Optional.empty();
        }
        return verify(u.get(), password) ? u : Optional.empty();
    }

    /**
     * The account a recovery mail (password reset, username) may go to: it exists, is active and
     * needs no confirmation. Otherwise the reason is added to {@code errors} under {@code field},
     * in Flask-Security's order, and the result is empty. A null address (already reported as
     * malformed) finds nothing and adds nothing.
     */
    public Optional<User> recoveryTarget(String email, FieldErrors errors, String field) {
        if (email == null) {
            return Optional.empty();
        }
        Optional<User> user = find("email", email);
        String problem = user.isEmpty() ? "USER_DOES_NOT_EXIST"
                : !user.get().active() ? "DISABLED_ACCOUNT"
                : requiresConfirmation(user.get()) ? "CONFIRMATION_REQUIRED" : null;
        if (problem != null) {
            errors.add(field, messages.get(problem));
            return Optional.empty();
        }
        return user;
    }

    /** Whether the user must confirm their email before logging in or recovering the account. */
    public boolean requiresConfirmation(User user) {
        return config.get(ConfigKeys.CONFIRMABLE) && !config.get(ConfigKeys.LOGIN_WITHOUT_CONFIRMATION)
                && !user.isConfirmed();
    }
}

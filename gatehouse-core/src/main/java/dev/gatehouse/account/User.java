package dev.gatehouse.account;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A user account with the fields of Flask-Security's packaged {@code fsqla} user model. Immutable:
 * change it with {@link #toBuilder()} and store the copy through the {@link UserDatastore}.
 *
 * <p>Sessions, remember-me cookies and auth tokens are bound to {@link #fsUniquifier()}, never to
 * the database id, so rotating it logs the user out everywhere.
 */
public record User(
        Long id,
        String email,
        String username,
        String password,
        boolean active,
        String fsUniquifier,
        Instant confirmedAt,
        Instant lastLoginAt,
        Instant currentLoginAt,
        String lastLoginIp,
        String currentLoginIp,
        Integer loginCount,
        String tfPrimaryMethod,
        String tfTotpSecret,
        String tfPhoneNumber,
        String usTotpSecrets,
        String usPhoneNumber,
        String fsWebauthnUserHandle,
        List<String> mfRecoveryCodes,
        Instant createDatetime,
        Instant updateDatetime,
        List<Role> roles) {

    /** Checks required fields and copies the collections. */
    public User {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(fsUniquifier, "fsUniquifier");
        mfRecoveryCodes = mfRecoveryCodes == null ? List.of() : List.copyOf(mfRecoveryCodes);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** Whether the user has a role of this name. */
    public boolean hasRole(String roleName) {
        return roles.stream().anyMatch(r -> r.name().equals(roleName));
    }

    /** The names of the user's roles. */
    public Set<String> roleNames() {
        return roles.stream().map(Role::name).collect(Collectors.toUnmodifiableSet());
    }

    /** Every permission granted through the user's roles. */
    public Set<String> permissions() {
        return roles.stream().flatMap(r -> r.permissions().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the user's email address has been confirmed. */
    public boolean isConfirmed() {
        return confirmedAt != null;
    }

    /** Whether the user has a usable password (fsqla v3 allows none). */
    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    /** The user's identity value for an attribute name ({@code email} or {@code username}). */
    public Optional<String> identity(String attribute) {
        return switch (attribute) {
            case "email" -> Optional.of(email);
            case "username" -> Optional.ofNullable(username);
            default -> Optional.empty();
        };
    }

    /**
     * The user's own text values ({@code email}, and {@code username} when set), which a
     * password complexity checker must not let a new password resemble.
     */
    public java.util.Map<String, String> personalFields() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("email", email);
        if (username != null) {
            m.put("username", username);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A builder holding this user's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder for a new user with the given email and uniquifier, active by default. */
    public static Builder builder(String email, String fsUniquifier) {
        Builder b = new Builder();
        b.email = email;
        b.fsUniquifier = fsUniquifier;
        b.active = true;
        return b;
    }

    /** Mutable builder for {@link User}; not thread-safe. */
    public static final class Builder {
        private Long id;
        private String email;
        private String username;
        private String password;
        private boolean active;
        private String fsUniquifier;
        private Instant confirmedAt;
        private Instant lastLoginAt;
        private Instant currentLoginAt;
        private String lastLoginIp;
        private String currentLoginIp;
        private Integer loginCount;
        private String tfPrimaryMethod;
        private String tfTotpSecret;
        private String tfPhoneNumber;
        private String usTotpSecrets;
        private String usPhoneNumber;
        private String fsWebauthnUserHandle;
        private List<String> mfRecoveryCodes = List.of();
        private Instant createDatetime;
        private Instant updateDatetime;
        private List<Role> roles = List.of();

        private Builder() {
        }

        private Builder(User u) {
            id = u.id;
            email = u.email;
            username = u.username;
            password = u.password;
            active = u.active;
            fsUniquifier = u.fsUniquifier;
            confirmedAt = u.confirmedAt;
            lastLoginAt = u.lastLoginAt;
            currentLoginAt = u.currentLoginAt;
            lastLoginIp = u.lastLoginIp;
            currentLoginIp = u.currentLoginIp;
            loginCount = u.loginCount;
            tfPrimaryMethod = u.tfPrimaryMethod;
            tfTotpSecret = u.tfTotpSecret;
            tfPhoneNumber = u.tfPhoneNumber;
            usTotpSecrets = u.usTotpSecrets;
            usPhoneNumber = u.usPhoneNumber;
            fsWebauthnUserHandle = u.fsWebauthnUserHandle;
            mfRecoveryCodes = u.mfRecoveryCodes;
            createDatetime = u.createDatetime;
            updateDatetime = u.updateDatetime;
            roles = u.roles;
        }

        /** Sets the database id. */
        public Builder id(Long v) { id = v; return this; }
        /** Sets the email address. */
        public Builder email(String v) { email = v; return this; }
        /** Sets the username. */
        public Builder username(String v) { username = v; return this; }
        /** Sets the password hash (never a plaintext password). */
        public Builder password(String v) { password = v; return this; }
        /** Sets whether the account is active. */
        public Builder active(boolean v) { active = v; return this; }
        /** Sets the uniquifier that sessions and tokens are bound to. */
        public Builder fsUniquifier(String v) { fsUniquifier = v; return this; }
        /** Sets when the email was confirmed. */
        public Builder confirmedAt(Instant v) { confirmedAt = v; return this; }
        /** Sets the previous login time. */
        public Builder lastLoginAt(Instant v) { lastLoginAt = v; return this; }
        /** Sets the current login time. */
        public Builder currentLoginAt(Instant v) { currentLoginAt = v; return this; }
        /** Sets the previous login address. */
        public Builder lastLoginIp(String v) { lastLoginIp = v; return this; }
        /** Sets the current login address. */
        public Builder currentLoginIp(String v) { currentLoginIp = v; return this; }
        /** Sets the login count. */
        public Builder loginCount(Integer v) { loginCount = v; return this; }
        /** Sets the primary two-factor method. */
        public Builder tfPrimaryMethod(String v) { tfPrimaryMethod = v; return this; }
        /** Sets the encrypted two-factor TOTP secret. */
        public Builder tfTotpSecret(String v) { tfTotpSecret = v; return this; }
        /** Sets the two-factor phone number. */
        public Builder tfPhoneNumber(String v) { tfPhoneNumber = v; return this; }
        /** Sets the unified sign-in secrets (JSON text). */
        public Builder usTotpSecrets(String v) { usTotpSecrets = v; return this; }
        /** Sets the unified sign-in phone number. */
        public Builder usPhoneNumber(String v) { usPhoneNumber = v; return this; }
        /** Sets the WebAuthn user handle. */
        public Builder fsWebauthnUserHandle(String v) { fsWebauthnUserHandle = v; return this; }
        /** Sets the recovery codes. */
        public Builder mfRecoveryCodes(List<String> v) { mfRecoveryCodes = v; return this; }
        /** Sets the creation time. */
        public Builder createDatetime(Instant v) { createDatetime = v; return this; }
        /** Sets the last update time. */
        public Builder updateDatetime(Instant v) { updateDatetime = v; return this; }
        /** Sets the roles. */
        public Builder roles(List<Role> v) { roles = v; return this; }

        /** Builds the immutable user. */
        public User build() {
            return new User(id, email, username, password, active, fsUniquifier, confirmedAt, lastLoginAt,
                    currentLoginAt, lastLoginIp, currentLoginIp, loginCount, tfPrimaryMethod, tfTotpSecret,
                    tfPhoneNumber, usTotpSecrets, usPhoneNumber, fsWebauthnUserHandle, mfRecoveryCodes,
                    createDatetime, updateDatetime, roles);
        }
    }
}

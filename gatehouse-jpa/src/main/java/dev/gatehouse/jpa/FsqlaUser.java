package dev.gatehouse.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.annotations.Type;

/**
 * The columns of Flask-Security's {@code fsqla} v3 {@code user} table and its {@code roles_users}
 * link, the way an application adds fields to Flask-Security's {@code FsUserMixin}: the application
 * maps its user entity by extending this class with its role entity as type argument, and adds its
 * own columns.
 *
 * <pre>{@code
 * @Entity @Table(name = FsqlaUser.TABLE)
 * public class AppUser extends FsqlaUser<AppRole> {
 *     @Column(name = "first_name") private String firstName;
 *     ...
 * }
 * }</pre>
 *
 * The computed lower-case columns that the migrations add on H2 and MariaDB are not mapped: the
 * database fills them, and the datastore's lookups name them in SQL of their own.
 *
 * @param <R> the application's role entity
 */
@MappedSuperclass
public abstract class FsqlaUser<R extends FsqlaRole> {

    /**
     * The table name to put in {@code @Table(name = ...)}: {@code user} is a reserved word in
     * PostgreSQL and H2, so it is quoted (Hibernate turns the quotes into each database's own).
     */
    public static final String TABLE = "\"user\"";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "email", nullable = false, length = 255)
    private String email;

    @Column(name = "username", length = 255)
    private String username;

    @Column(name = "password", length = 255)
    private String password;

    @Column(name = "active", nullable = false)
    private boolean active = true;

    @Column(name = "fs_uniquifier", nullable = false, length = 64)
    private String fsUniquifier;

    @Type(NaiveUtcInstantType.class)
    @Column(name = "confirmed_at")
    private Instant confirmedAt;

    @Type(NaiveUtcInstantType.class)
    @Column(name = "last_login_at")
    private Instant lastLoginAt;

    @Type(NaiveUtcInstantType.class)
    @Column(name = "current_login_at")
    private Instant currentLoginAt;

    @Column(name = "last_login_ip", length = 64)
    private String lastLoginIp;

    @Column(name = "current_login_ip", length = 64)
    private String currentLoginIp;

    @Column(name = "login_count")
    private Integer loginCount;

    @Column(name = "tf_primary_method", length = 64)
    private String tfPrimaryMethod;

    @Column(name = "tf_totp_secret", length = 255)
    private String tfTotpSecret;

    @Column(name = "tf_phone_number", length = 128)
    private String tfPhoneNumber;

    @Column(name = "us_totp_secrets")
    private String usTotpSecrets;

    @Column(name = "us_phone_number", length = 128)
    private String usPhoneNumber;

    @Column(name = "fs_webauthn_user_handle", length = 64)
    private String fsWebauthnUserHandle;

    @Convert(converter = AsaListConverter.class)
    @Column(name = "mf_recovery_codes")
    private List<String> mfRecoveryCodes = new ArrayList<>();

    @Type(NaiveUtcInstantType.class)
    @Column(name = "create_datetime", nullable = false)
    private Instant createDatetime;

    @Type(NaiveUtcInstantType.class)
    @Column(name = "update_datetime", nullable = false)
    private Instant updateDatetime;

    @ManyToMany
    @JoinTable(name = "roles_users",
            joinColumns = @JoinColumn(name = "user_id"),
            inverseJoinColumns = @JoinColumn(name = "role_id"))
    private Set<R> roles = new LinkedHashSet<>();

    /** For JPA and subclasses. */
    protected FsqlaUser() {
    }

    /** The database id. */
    public Long getId() { return id; }
    /** Sets the database id (normally generated). */
    public void setId(Long id) { this.id = id; }
    /** The email address, as entered. */
    public String getEmail() { return email; }
    /** Sets the email address. */
    public void setEmail(String email) { this.email = email; }
    /** The username, if any. */
    public String getUsername() { return username; }
    /** Sets the username. */
    public void setUsername(String username) { this.username = username; }
    /** The password hash, if any. */
    public String getPassword() { return password; }
    /** Sets the password hash (never a plaintext password). */
    public void setPassword(String password) { this.password = password; }
    /** Whether the account is active. */
    public boolean isActive() { return active; }
    /** Sets whether the account is active. */
    public void setActive(boolean active) { this.active = active; }
    /** The uniquifier sessions and tokens are bound to. */
    public String getFsUniquifier() { return fsUniquifier; }
    /** Sets the uniquifier. */
    public void setFsUniquifier(String fsUniquifier) { this.fsUniquifier = fsUniquifier; }
    /** When the email was confirmed. */
    public Instant getConfirmedAt() { return confirmedAt; }
    /** Sets when the email was confirmed. */
    public void setConfirmedAt(Instant confirmedAt) { this.confirmedAt = confirmedAt; }
    /** The previous login time. */
    public Instant getLastLoginAt() { return lastLoginAt; }
    /** Sets the previous login time. */
    public void setLastLoginAt(Instant lastLoginAt) { this.lastLoginAt = lastLoginAt; }
    /** The current login time. */
    public Instant getCurrentLoginAt() { return currentLoginAt; }
    /** Sets the current login time. */
    public void setCurrentLoginAt(Instant currentLoginAt) { this.currentLoginAt = currentLoginAt; }
    /** The previous login address. */
    public String getLastLoginIp() { return lastLoginIp; }
    /** Sets the previous login address. */
    public void setLastLoginIp(String lastLoginIp) { this.lastLoginIp = lastLoginIp; }
    /** The current login address. */
    public String getCurrentLoginIp() { return currentLoginIp; }
    /** Sets the current login address. */
    public void setCurrentLoginIp(String currentLoginIp) { this.currentLoginIp = currentLoginIp; }
    /** How many times the user logged in, or null. */
    public Integer getLoginCount() { return loginCount; }
    /** Sets the login count. */
    public void setLoginCount(Integer loginCount) { this.loginCount = loginCount; }
    /** The primary two-factor method. */
    public String getTfPrimaryMethod() { return tfPrimaryMethod; }
    /** Sets the primary two-factor method. */
    public void setTfPrimaryMethod(String tfPrimaryMethod) { this.tfPrimaryMethod = tfPrimaryMethod; }
    /** The encrypted two-factor TOTP secret. */
    public String getTfTotpSecret() { return tfTotpSecret; }
    /** Sets the encrypted two-factor TOTP secret. */
    public void setTfTotpSecret(String tfTotpSecret) { this.tfTotpSecret = tfTotpSecret; }
    /** The two-factor phone number. */
    public String getTfPhoneNumber() { return tfPhoneNumber; }
    /** Sets the two-factor phone number. */
    public void setTfPhoneNumber(String tfPhoneNumber) { this.tfPhoneNumber = tfPhoneNumber; }
    /** The unified sign-in secrets (JSON text). */
    public String getUsTotpSecrets() { return usTotpSecrets; }
    /** Sets the unified sign-in secrets. */
    public void setUsTotpSecrets(String usTotpSecrets) { this.usTotpSecrets = usTotpSecrets; }
    /** The unified sign-in phone number. */
    public String getUsPhoneNumber() { return usPhoneNumber; }
    /** Sets the unified sign-in phone number. */
    public void setUsPhoneNumber(String usPhoneNumber) { this.usPhoneNumber = usPhoneNumber; }
    /** The WebAuthn user handle. */
    public String getFsWebauthnUserHandle() { return fsWebauthnUserHandle; }
    /** Sets the WebAuthn user handle. */
    public void setFsWebauthnUserHandle(String fsWebauthnUserHandle) { this.fsWebauthnUserHandle = fsWebauthnUserHandle; }
    /** The recovery codes (stored comma-joined). */
    public List<String> getMfRecoveryCodes() { return mfRecoveryCodes; }
    /** Sets the recovery codes. */
    public void setMfRecoveryCodes(List<String> mfRecoveryCodes) { this.mfRecoveryCodes = mfRecoveryCodes; }
    /** When the row was created (UTC). */
    public Instant getCreateDatetime() { return createDatetime; }
    /** Sets when the row was created. */
    public void setCreateDatetime(Instant createDatetime) { this.createDatetime = createDatetime; }
    /** When the row last changed (UTC). */
    public Instant getUpdateDatetime() { return updateDatetime; }
    /** Sets when the row last changed. */
    public void setUpdateDatetime(Instant updateDatetime) { this.updateDatetime = updateDatetime; }
    /** The user's roles (the {@code roles_users} rows). */
    public Set<R> getRoles() { return roles; }
    /** Replaces the user's roles. */
    public void setRoles(Set<R> roles) { this.roles = roles; }
}

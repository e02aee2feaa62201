package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.RefreshTracker;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.account.WebAuthnCredential;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link UserDatastore} must show. A datastore's test class extends this and
 * implements {@link #newDatastore()}; JUnit then runs every test below against it.
 *
 * <pre>{@code
 * class MyDatastoreTest extends UserDatastoreContract {
 *     @Override
 *     protected UserDatastore newDatastore() { return new MyDatastore(freshEmptyDatabase()); }
 * }
 * }</pre>
 *
 * <p><b>Time precision.</b> Instants are compared after truncation to {@link #timePrecision()},
 * milliseconds by default: the finest unit every store we know keeps (BSON dates hold
 * milliseconds; SQL timestamp columns hold microseconds, so SQL datastores override it with
 * {@link ChronoUnit#MICROS}). The test values carry nanoseconds on purpose, to show that a store
 * cuts or rounds below its precision without losing what is above it.
 *
 * <p><b>Attribute names.</b> {@link CreateResult.AlreadyExists#attribute()} uses Flask-Security's
 * column names: {@code email}, {@code username}, {@code fs_uniquifier}, {@code us_phone_number},
 * {@code fs_webauthn_user_handle}.
 */
public abstract class UserDatastoreContract {

    /** Test times: nanoseconds present, so precision loss shows. */
    private static final Instant T1 = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final Instant T2 = Instant.parse("2026-02-03T04:05:06.987654321Z");
    private static final Instant T3 = Instant.parse("2026-03-04T05:06:07.000001999Z");

    /** The datastore under test; fresh for every test. */
    protected UserDatastore store;

    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * A datastore over empty storage: no users, no roles. Called before every test; several calls
     * must not see each other's data (or the subclass cleans up in between).
     */
    protected abstract UserDatastore newDatastore() throws Exception;

    /** Called after every test with the datastore of {@link #newDatastore()}; closes it by default if it is {@link AutoCloseable}. */
    protected void closeDatastore(UserDatastore datastore) throws Exception {
        if (datastore instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The unit below which stored instants may differ from those written; see the class comment. */
    protected ChronoUnit timePrecision() {
        return ChronoUnit.MILLIS;
    }

    /**
     * Whether {@link UserDatastore#inTransaction} units of work are atomic and isolated on the store
     * under test. A store that cannot offer that (MongoDB without a replica set) returns false and
     * states its weaker guarantee; the tests of rollback and isolation are then skipped.
     */
    protected boolean transactional() {
        return true;
    }

    /** How many threads race in the concurrency tests. */
    protected int concurrentWriters() {
        return 8;
    }

    @BeforeEach
    final void openDatastore() throws Exception {
        store = newDatastore();
    }

    @AfterEach
    final void closeDatastore() throws Exception {
        closeDatastore(store);
    }

    // ------------------------------------------------------------------ helpers

    /** A unique 32-hex-digit uniquifier, shaped like Flask-Security's. */
    protected String uniquifier() {
        return String.format(Locale.ROOT, "%08x%024x", System.nanoTime() & 0xffffffffL, sequence.incrementAndGet());
    }

    /** Creates a user that must not exist yet and returns the stored value. */
    protected User create(User.Builder builder) {
        CreateResult result = store.createUser(builder.build());
        assertThat(result).isInstanceOf(CreateResult.Created.class);
        return ((CreateResult.Created) result).user();
    }

    /** Creates a user with just an email. */
    protected User create(String email) {
        return create(User.builder(email, uniquifier()));
    }

    private Instant at(Instant t) {
        return t == null ? null : t.truncatedTo(timePrecision());
    }

    private void assertInstant(Instant actual, Instant expected) {
        assertThat(at(actual)).isEqualTo(at(expected));
    }

    // ------------------------------------------------------------------ create and find

    @Test
    void createdUserHasDefaultsAndAnId() {
        Instant before = Instant.now().minusSeconds(5);
        User u = create("new@example.com");
        assertThat(u.id()).isNotNull();
        assertThat(u.email()).isEqualTo("new@example.com");
        assertThat(u.active()).isTrue();
        assertThat(u.roles()).isEmpty();
        assertThat(u.password()).isNull();
        assertThat(u.username()).isNull();
        assertThat(u.confirmedAt()).isNull();
        assertThat(u.loginCount()).isNull();
        assertThat(u.mfRecoveryCodes()).isEmpty();
        assertThat(u.createDatetime()).isNotNull().isAfter(before);
        assertThat(u.updateDatetime()).isNotNull().isAfter(before);
        assertThat(store.findUserById(u.id())).contains(u);
    }

    @Test
    void createKeepsEveryGivenField() {
        User u = create(User.builder("full@example.com", uniquifier())
                .username("Fully").password("$argon2id$v=19$m=102400,t=10,p=8$c2FsdA$aGFzaA").active(false)
                .confirmedAt(T1).tfPrimaryMethod("authenticator").tfTotpSecret("{\"enckey\":1}")
                .usTotpSecrets("{\"email\": \"x\"}").mfRecoveryCodes(List.of("a-b", "c-d")));
        assertThat(u.username()).isEqualTo("Fully");
        assertThat(u.password()).startsWith("$argon2id$");
        assertThat(u.active()).isFalse();
        assertInstant(u.confirmedAt(), T1);
        assertThat(u.tfPrimaryMethod()).isEqualTo("authenticator");
        assertThat(u.mfRecoveryCodes()).containsExactly("a-b", "c-d");
    }

    @Test
    void createResolvesRolesByName() {
        store.createRole(Role.of("admin", "Administrator", Set.of("users-manage")));
        store.createRole(Role.of("editor", "Edits", Set.of("content-read", "content-write")));
        store.createRole(Role.of("unused", null, Set.of()));
        User u = create(User.builder("roles@example.com", uniquifier())
                .roles(List.of(Role.of("admin", null, null), Role.of("editor", null, null))));
        assertThat(u.roleNames()).containsExactlyInAnyOrder("admin", "editor");
        assertThat(u.permissions()).containsExactlyInAnyOrder("users-manage", "content-read", "content-write");
        assertThat(u.roles()).allSatisfy(r -> assertThat(r.id()).isNotNull());
        assertThat(store.findUserByIdentity("email", "roles@example.com").orElseThrow().roleNames())
                .containsExactlyInAnyOrder("admin", "editor");
    }

    @Test
    void createWithUnknownRoleFailsAndStoresNothing() {
        User user = User.builder("ghost@example.com", uniquifier()).roles(List.of(Role.of("nope", null, null))).build();
        assertThatThrownBy(() -> store.createUser(user)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findUserByIdentity("email", "ghost@example.com")).isEmpty();
    }

    @Test
    void findsByEmailAndUsernameIgnoringCase() {
        User u = create(User.builder("Alice.Admin@Example.COM", uniquifier()).username("AliceA"));
        assertThat(store.findUserByIdentity("email", "alice.admin@example.com")).map(User::id).contains(u.id());
        assertThat(store.findUserByIdentity("email", "ALICE.ADMIN@EXAMPLE.COM")).map(User::id).contains(u.id());
        assertThat(store.findUserByIdentity("username", "alicea")).map(User::id).contains(u.id());
        assertThat(store.findUserByIdentity("username", "ALICEA")).map(User::id).contains(u.id());
        assertThat(store.findUserByIdentity("email", "alice@example.com")).isEmpty();
        assertThat(store.findUserByIdentity("username", "alice")).isEmpty();
        // The stored value keeps its case.
        assertThat(store.findUserById(u.id()).orElseThrow().email()).isEqualTo("Alice.Admin@Example.COM");
    }

    @Test
    void identityLookupRejectsOtherAttributes() {
        assertThatThrownBy(() -> store.findUserByIdentity("password", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.findUserByIdentity("fs_uniquifier", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsByUniquifierExactlyAndById() {
        String uniq = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        User u = create(User.builder("uniq@example.com", uniq));
        assertThat(store.findUserByUniquifier(uniq)).map(User::id).contains(u.id());
        assertThat(store.findUserByUniquifier(uniq.toUpperCase(Locale.ROOT))).isEmpty();
        assertThat(store.findUserByUniquifier("0000")).isEmpty();
        assertThat(store.findUserById(u.id())).map(User::fsUniquifier).contains(uniq);
        assertThat(store.findUserById(u.id() + 1000)).isEmpty();
    }

    @Test
    void duplicateEmailInAnotherCaseIsReported() {
        create("dup@example.com");
        assertThat(store.createUser(User.builder("DUP@Example.com", uniquifier()).build()))
                .isEqualTo(new CreateResult.AlreadyExists("email"));
        assertThat(store.createUser(User.builder("dup@example.com", uniquifier()).build()))
                .isEqualTo(new CreateResult.AlreadyExists("email"));
    }

    @Test
    void duplicateUsernameIsReported() {
        create(User.builder("one@example.com", uniquifier()).username("Bob"));
        assertThat(store.createUser(User.builder("two@example.com", uniquifier()).username("bob").build()))
                .isEqualTo(new CreateResult.AlreadyExists("username"));
        assertThat(store.findUserByIdentity("email", "two@example.com")).isEmpty();
    }

    @Test
    void duplicateUniquifierPhoneAndWebauthnHandleAreReported() {
        User first = create(User.builder("first@example.com", uniquifier())
                .usPhoneNumber("+15555550100").fsWebauthnUserHandle("handle-1"));
        assertThat(store.createUser(User.builder("x1@example.com", first.fsUniquifier()).build()))
                .isEqualTo(new CreateResult.AlreadyExists("fs_uniquifier"));
        assertThat(store.createUser(User.builder("x2@example.com", uniquifier()).usPhoneNumber("+15555550100").build()))
                .isEqualTo(new CreateResult.AlreadyExists("us_phone_number"));
        assertThat(store.createUser(User.builder("x3@example.com", uniquifier()).fsWebauthnUserHandle("handle-1").build()))
                .isEqualTo(new CreateResult.AlreadyExists("fs_webauthn_user_handle"));
    }

    @Test
    void usersWithoutUsernameOrPhoneDoNotCollide() {
        create("a@example.com");
        create("b@example.com");
        assertThat(store.findUserByIdentity("email", "b@example.com")).isPresent();
    }

    // ------------------------------------------------------------------ update and delete

    @Test
    void updateRoundTripsEveryField() {
        store.createRole(Role.of("keep", null, Set.of()));
        User u = create(User.builder("before@example.com", uniquifier()).roles(List.of(Role.of("keep", null, null))));
        User changed = u.toBuilder()
                .email("After@Example.com").username("after").password("$2b$12$abcdefghijklmnopqrstuv")
                .active(false).fsUniquifier(uniquifier())
                .confirmedAt(T1).lastLoginAt(T2).currentLoginAt(T3)
                .lastLoginIp("192.0.2.1").currentLoginIp("2001:db8::1").loginCount(42)
                .tfPrimaryMethod("authenticator").tfTotpSecret("{\"enckey\":{\"c\":14},\"type\":\"totp\",\"v\":1}")
                .tfPhoneNumber("+15555550101")
                .usTotpSecrets("{\"email\": \"s1\", \"authenticator\": \"s2\"}").usPhoneNumber("+15555550102")
                .fsWebauthnUserHandle("wa-" + uniquifier())
                .mfRecoveryCodes(List.of("e6c4-faa7-07f5", "255e-a5ff-d133", "4d3b-5a0f-cf83"))
                .createDatetime(T1)
                // Roles are not written by updateUser.
                .roles(List.of())
                .build();
        User returned = store.updateUser(changed);
        User stored = store.findUserById(u.id()).orElseThrow();
        assertThat(returned).isEqualTo(stored);
        assertThat(stored.id()).isEqualTo(u.id());
        assertThat(stored.email()).isEqualTo("After@Example.com");
        assertThat(stored.username()).isEqualTo("after");
        assertThat(stored.password()).isEqualTo(changed.password());
        assertThat(stored.active()).isFalse();
        assertThat(stored.fsUniquifier()).isEqualTo(changed.fsUniquifier());
        assertInstant(stored.confirmedAt(), T1);
        assertInstant(stored.lastLoginAt(), T2);
        assertInstant(stored.currentLoginAt(), T3);
        assertThat(stored.lastLoginIp()).isEqualTo("192.0.2.1");
        assertThat(stored.currentLoginIp()).isEqualTo("2001:db8::1");
        assertThat(stored.loginCount()).isEqualTo(42);
        assertThat(stored.tfPrimaryMethod()).isEqualTo("authenticator");
        assertThat(stored.tfTotpSecret()).isEqualTo(changed.tfTotpSecret());
        assertThat(stored.tfPhoneNumber()).isEqualTo("+15555550101");
        assertThat(stored.usTotpSecrets()).isEqualTo(changed.usTotpSecrets());
        assertThat(stored.usPhoneNumber()).isEqualTo("+15555550102");
        assertThat(stored.fsWebauthnUserHandle()).isEqualTo(changed.fsWebauthnUserHandle());
        assertThat(stored.mfRecoveryCodes()).containsExactly("e6c4-faa7-07f5", "255e-a5ff-d133", "4d3b-5a0f-cf83");
        assertInstant(stored.createDatetime(), T1);
        assertThat(stored.updateDatetime()).isNotNull().isAfterOrEqualTo(u.updateDatetime());
        assertThat(stored.roleNames()).containsExactly("keep");
        assertThat(store.findUserByIdentity("email", "before@example.com")).isEmpty();
        assertThat(store.findUserByUniquifier(u.fsUniquifier())).isEmpty();
        assertThat(store.findUserByIdentity("email", "after@example.com")).map(User::id).contains(u.id());
    }

    @Test
    void updateCanClearOptionalFields() {
        User u = create(User.builder("clear@example.com", uniquifier()).username("clear").password("hash")
                .confirmedAt(T1).loginCount(3).mfRecoveryCodes(List.of("x")));
        User stored = store.updateUser(u.toBuilder().username(null).password(null).confirmedAt(null).loginCount(null)
                .mfRecoveryCodes(List.of()).build());
        assertThat(stored.username()).isNull();
        assertThat(stored.password()).isNull();
        assertThat(stored.confirmedAt()).isNull();
        assertThat(stored.loginCount()).isNull();
        assertThat(stored.mfRecoveryCodes()).isEmpty();
    }

    @Test
    void updateOfMissingUserFails() {
        User u = create("gone@example.com");
        store.deleteUser(u);
        assertThatThrownBy(() -> store.updateUser(u)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void updateOntoAnotherAccountsEmailFails() {
        create("taken@example.com");
        User other = create("other@example.com");
        assertThatThrownBy(() -> store.updateUser(other.toBuilder().email("TAKEN@example.com").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("email");
        assertThat(store.findUserById(other.id()).orElseThrow().email()).isEqualTo("other@example.com");
    }

    @Test
    void deleteRemovesTheUserAndItsRoleLinks() {
        store.createRole(Role.of("admin", null, Set.of()));
        User keep = create(User.builder("keep@example.com", uniquifier()).roles(List.of(Role.of("admin", null, null))));
        User doomed = create(User.builder("doomed@example.com", uniquifier()).roles(List.of(Role.of("admin", null, null))));
        assertThat(store.deleteUser(doomed)).isTrue();
        assertThat(store.findUserById(doomed.id())).isEmpty();
        assertThat(store.findUserByIdentity("email", "doomed@example.com")).isEmpty();
        // No link is left behind for the deleted id...
        assertThat(store.removeRoleFromUser(doomed, "admin")).isFalse();
        // ...while the role and other users' links stay.
        assertThat(store.findRole("admin")).isPresent();
        assertThat(store.findUserById(keep.id()).orElseThrow().roleNames()).containsExactly("admin");
        assertThat(store.deleteUser(doomed)).isFalse();
        // The email is free again.
        create("doomed@example.com");
    }

    // ------------------------------------------------------------------ roles and permissions

    @Test
    void rolesAreCreatedAndFoundByExactName() {
        Role created = store.createRole(Role.of("editor", "Edits content", Set.of("content-read", "content-write")));
        assertThat(created.id()).isNotNull();
        assertThat(created.updateDatetime()).isNotNull();
        Role found = store.findRole("editor").orElseThrow();
        assertThat(found).isEqualTo(created);
        assertThat(found.description()).isEqualTo("Edits content");
        assertThat(found.permissions()).containsExactlyInAnyOrder("content-read", "content-write");
        assertThat(store.findRole("Editor")).isEmpty();
        assertThat(store.findRole("nobody")).isEmpty();
        assertThatThrownBy(() -> store.createRole(Role.of("editor", null, Set.of())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void findOrCreateRoleCreatesOnce() {
        Role first = store.findOrCreateRole(Role.of("viewer", "Views", Set.of("read")));
        Role second = store.findOrCreateRole(Role.of("viewer", "ignored", Set.of("other")));
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.permissions()).containsExactly("read");
    }

    @Test
    void addAndRemoveRoleReportWhetherAnythingChanged() {
        store.createRole(Role.of("admin", null, Set.of("all")));
        User u = create("member@example.com");
        assertThat(store.addRoleToUser(u, "admin")).isTrue();
        assertThat(store.addRoleToUser(u, "admin")).isFalse();
        assertThat(store.findUserById(u.id()).orElseThrow().roleNames()).containsExactly("admin");
        assertThat(store.findUserById(u.id()).orElseThrow().permissions()).containsExactly("all");
        assertThatThrownBy(() -> store.addRoleToUser(u, "unknown")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.removeRoleFromUser(u, "admin")).isTrue();
        assertThat(store.removeRoleFromUser(u, "admin")).isFalse();
        assertThat(store.removeRoleFromUser(u, "unknown")).isFalse();
        assertThat(store.findUserById(u.id()).orElseThrow().roles()).isEmpty();
    }

    @Test
    void permissionsAreAddedAndRemoved() {
        store.createRole(Role.of("editor", null, Set.of("read")));
        assertThat(store.addPermissionsToRole("editor", List.of("write", "read", "publish"))).isTrue();
        assertThat(store.findRole("editor").orElseThrow().permissions()).containsExactlyInAnyOrder("read", "write", "publish");
        assertThat(store.removePermissionsFromRole("editor", List.of("read", "absent"))).isTrue();
        assertThat(store.findRole("editor").orElseThrow().permissions()).containsExactlyInAnyOrder("write", "publish");
        assertThat(store.removePermissionsFromRole("editor", List.of("write", "publish"))).isTrue();
        assertThat(store.findRole("editor").orElseThrow().permissions()).isEmpty();
        assertThat(store.addPermissionsToRole("missing", List.of("x"))).isFalse();
        assertThat(store.removePermissionsFromRole("missing", List.of("x"))).isFalse();
        assertThat(store.findRole("missing")).isEmpty();
    }

    @Test
    void usersSeePermissionChangesOfTheirRoles() {
        store.createRole(Role.of("editor", null, Set.of("read")));
        User u = create(User.builder("perm@example.com", uniquifier()).roles(List.of(Role.of("editor", null, null))));
        store.addPermissionsToRole("editor", List.of("write"));
        assertThat(store.findUserById(u.id()).orElseThrow().permissions()).containsExactlyInAnyOrder("read", "write");
    }

    // ------------------------------------------------------------------ account state

    @Test
    void activateAndDeactivateReportWhetherAnythingChanged() {
        User u = create("active@example.com");
        assertThat(store.activateUser(u)).isFalse();
        assertThat(store.deactivateUser(u)).isTrue();
        assertThat(store.findUserById(u.id()).orElseThrow().active()).isFalse();
        assertThat(store.deactivateUser(u)).isFalse();
        assertThat(store.activateUser(u)).isTrue();
        assertThat(store.findUserById(u.id()).orElseThrow().active()).isTrue();
    }

    @Test
    void setUniquifierReplacesIt() {
        User u = create("rotate@example.com");
        User given = store.setUniquifier(u, "f".repeat(32));
        assertThat(given.fsUniquifier()).isEqualTo("f".repeat(32));
        assertThat(store.findUserByUniquifier(u.fsUniquifier())).isEmpty();
        User random = store.setUniquifier(given, null);
        assertThat(random.fsUniquifier()).matches("[0-9a-f]{32}").isNotEqualTo(given.fsUniquifier());
        assertThat(store.findUserByUniquifier(random.fsUniquifier())).map(User::id).contains(u.id());
    }

    @Test
    void resetUserAccessClearsSecondFactorsButKeepsPasswordAndRoles() {
        store.createRole(Role.of("admin", null, Set.of()));
        User u = create(User.builder("reset@example.com", uniquifier()).password("hash")
                .roles(List.of(Role.of("admin", null, null)))
                .tfPrimaryMethod("authenticator").tfTotpSecret("secret").tfPhoneNumber("+15555550103")
                .usTotpSecrets("{}").usPhoneNumber("+15555550104").mfRecoveryCodes(List.of("a", "b")));
        User reset = store.resetUserAccess(u);
        assertThat(reset.fsUniquifier()).isNotEqualTo(u.fsUniquifier());
        assertThat(reset.tfPrimaryMethod()).isNull();
        assertThat(reset.tfTotpSecret()).isNull();
        assertThat(reset.tfPhoneNumber()).isNull();
        assertThat(reset.usTotpSecrets()).isNull();
        assertThat(reset.usPhoneNumber()).isNull();
        assertThat(reset.mfRecoveryCodes()).isEmpty();
        assertThat(reset.password()).isEqualTo("hash");
        assertThat(reset.roleNames()).containsExactly("admin");
        assertThat(store.findUserById(u.id())).contains(reset);
    }

    @Test
    void trackLoginShiftsCurrentToLast() {
        User u = create("track@example.com");
        User first = store.trackLogin(u, T1, "192.0.2.10");
        assertInstant(first.lastLoginAt(), T1);
        assertInstant(first.currentLoginAt(), T1);
        assertThat(first.lastLoginIp()).isEqualTo("192.0.2.10");
        assertThat(first.currentLoginIp()).isEqualTo("192.0.2.10");
        assertThat(first.loginCount()).isEqualTo(1);
        User second = store.trackLogin(first, T2, "192.0.2.20");
        assertInstant(second.lastLoginAt(), T1);
        assertInstant(second.currentLoginAt(), T2);
        assertThat(second.lastLoginIp()).isEqualTo("192.0.2.10");
        assertThat(second.currentLoginIp()).isEqualTo("192.0.2.20");
        assertThat(second.loginCount()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ two-factor, recovery codes, unified sign-in

    @Test
    void tfSetChangesOnlyWhatIsGivenAndTfResetClearsAll() {
        User u = create(User.builder("tf@example.com", uniquifier()).password("hash"));
        User set = store.tfSet(u, "sms", "{\"secret\":1}", "+15555550100");
        assertThat(set.tfPrimaryMethod()).isEqualTo("sms");
        assertThat(set.tfTotpSecret()).isEqualTo("{\"secret\":1}");
        assertThat(set.tfPhoneNumber()).isEqualTo("+15555550100");
        User changed = store.tfSet(set, "authenticator", null, null);
        assertThat(changed.tfPrimaryMethod()).isEqualTo("authenticator");
        assertThat(changed.tfTotpSecret()).isEqualTo("{\"secret\":1}");
        assertThat(changed.tfPhoneNumber()).isEqualTo("+15555550100");
        User reset = store.tfReset(changed);
        assertThat(reset.tfPrimaryMethod()).isNull();
        assertThat(reset.tfTotpSecret()).isNull();
        assertThat(reset.tfPhoneNumber()).isNull();
        assertThat(reset.password()).isEqualTo("hash");
        assertThat(store.findUserById(u.id())).contains(reset);
    }

    @Test
    void recoveryCodesAreSetReadAndDeletedOneByOne() {
        User u = create("codes@example.com");
        store.mfSetRecoveryCodes(u, List.of("aaaa-bbbb-cccc", "$pbkdf2-sha256$1$c2FsdA$aGFzaA", "dddd-eeee-ffff"));
        assertThat(store.mfGetRecoveryCodes(u)).containsExactly("aaaa-bbbb-cccc", "$pbkdf2-sha256$1$c2FsdA$aGFzaA", "dddd-eeee-ffff");
        assertThat(store.mfDeleteRecoveryCode(u, "$pbkdf2-sha256$1$c2FsdA$aGFzaA")).isTrue();
        assertThat(store.mfDeleteRecoveryCode(u, "$pbkdf2-sha256$1$c2FsdA$aGFzaA")).isFalse();
        assertThat(store.mfDeleteRecoveryCode(u, "not-a-code")).isFalse();
        assertThat(store.mfGetRecoveryCodes(u)).containsExactly("aaaa-bbbb-cccc", "dddd-eeee-ffff");
        assertThat(store.mfDeleteRecoveryCode(u, "aaaa-bbbb-cccc")).isTrue();
        assertThat(store.mfDeleteRecoveryCode(u, "dddd-eeee-ffff")).isTrue();
        assertThat(store.mfGetRecoveryCodes(u)).isEmpty();
        assertThat(store.findUserById(u.id()).orElseThrow().mfRecoveryCodes()).isEmpty();
        store.mfSetRecoveryCodes(u, List.of("x"));
        store.mfSetRecoveryCodes(u, null);
        assertThat(store.mfGetRecoveryCodes(u)).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRecoveryCodeIsUsedOnceUnderConcurrency() throws Exception {
        User u = create("race-codes@example.com");
        store.mfSetRecoveryCodes(u, List.of("1111-2222-3333", "4444-5555-6666"));
        int n = concurrentWriters();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.mfDeleteRecoveryCode(u, "1111-2222-3333");
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : futures) {
                wins += f.get(50, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.mfGetRecoveryCodes(u)).containsExactly("4444-5555-6666");
    }

    @Test
    void unifiedSigninSecretsAreStoredAsFlaskSecurityWritesThem() {
        User u = create("us@example.com");
        assertThat(store.usGetTotpSecrets(u)).isEmpty();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("email", "{\"enckey\":{\"c\":14},\"type\":\"totp\",\"v\":1}");
        secrets.put("authenticator", "caf\u00e9");
        User put = store.usPutTotpSecrets(u, secrets);
        // Python's json.dumps: ", " and ": " separators, quotes escaped, non-ASCII as \\uXXXX.
        assertThat(put.usTotpSecrets()).isEqualTo(
                "{\"email\": \"{\\\"enckey\\\":{\\\"c\\\":14},\\\"type\\\":\\\"totp\\\",\\\"v\\\":1}\", \"authenticator\": \"caf\\u00e9\"}");
        assertThat(store.usGetTotpSecrets(put)).isEqualTo(secrets);
        User sms = store.usSet(put, "sms", "sms-secret", "+15555550111");
        assertThat(store.usGetTotpSecrets(sms)).containsEntry("sms", "sms-secret").hasSize(3);
        assertThat(sms.usPhoneNumber()).isEqualTo("+15555550111");
        User phoneOnly = store.usSet(sms, "sms", null, "+15555550112");
        assertThat(store.usGetTotpSecrets(phoneOnly)).containsEntry("sms", "sms-secret");
        assertThat(phoneOnly.usPhoneNumber()).isEqualTo("+15555550112");
        User noSms = store.usReset(phoneOnly, "sms");
        assertThat(store.usGetTotpSecrets(noSms)).containsOnlyKeys("email", "authenticator");
        assertThat(noSms.usPhoneNumber()).isNull();
        User none = store.usReset(noSms, null);
        assertThat(none.usTotpSecrets()).isNull();
        assertThat(store.usGetTotpSecrets(none)).isEmpty();
        assertThat(store.usGetTotpSecrets(none.toBuilder().usTotpSecrets("not json").build())).isEmpty();
    }

    @Test
    void anotherAccountsUnifiedSigninPhoneIsRefused() {
        User a = create("phone-a@example.com");
        User b = create("phone-b@example.com");
        store.usSet(a, "sms", "s", "+15555550120");
        assertThatThrownBy(() -> store.usSet(b, "sms", "s", "+15555550120")).isInstanceOf(IllegalStateException.class);
        assertThat(store.findUserById(b.id()).orElseThrow().usTotpSecrets()).isNull();
    }

    // ------------------------------------------------------------------ counters

    @Test
    void countersAdvanceOnlyUpwardsUntilTheyExpire() {
        Instant now = T1;
        Instant later = now.plusSeconds(60);
        assertThat(store.findCounter("totp:a", now)).isEmpty();
        assertThat(store.advanceCounter("totp:a", 10, later, now)).isTrue();
        assertThat(store.findCounter("totp:a", now)).hasValue(10);
        assertThat(store.advanceCounter("totp:a", 10, later, now)).isFalse();
        assertThat(store.advanceCounter("totp:a", 9, later, now)).isFalse();
        assertThat(store.advanceCounter("totp:a", 11, later, now)).isTrue();
        assertThat(store.findCounter("totp:a", now)).hasValue(11);
        assertThat(store.findCounter("totp:b", now)).isEmpty();
        // Expired: gone for readers, and any value sets it again.
        assertThat(store.findCounter("totp:a", later)).isEmpty();
        assertThat(store.advanceCounter("totp:a", 3, later.plusSeconds(60), later)).isTrue();
        assertThat(store.findCounter("totp:a", later)).hasValue(3);
    }

    @Test
    void countersIncrementAndRestartAfterExpiry() {
        Instant now = T1;
        Instant end = now.plusSeconds(300);
        assertThat(store.incrementCounter("fail:x", end, now)).isEqualTo(1);
        assertThat(store.incrementCounter("fail:x", end.plusSeconds(999), now)).isEqualTo(2);
        assertThat(store.incrementCounter("fail:x", end, now.plusSeconds(10))).isEqualTo(3);
        assertThat(store.findCounter("fail:x", now)).hasValue(3);
        // The first expiry holds: a live counter keeps it.
        assertThat(store.findCounter("fail:x", end)).isEmpty();
        assertThat(store.incrementCounter("fail:x", end.plusSeconds(300), end)).isEqualTo(1);
        assertThatThrownBy(() -> store.findCounter("", now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.findCounter("x".repeat(192), now)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void countersAreAtomicUnderConcurrency() throws Exception {
        int n = concurrentWriters();
        Instant now = T1;
        Instant end = now.plusSeconds(300);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> advances = new ArrayList<>();
            List<Future<Long>> increments = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                advances.add(pool.submit(() -> {
                    start.await();
                    return store.advanceCounter("race:advance", 42, end, now);
                }));
                increments.add(pool.submit(() -> {
                    start.await();
                    return store.incrementCounter("race:increment", end, now);
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : advances) {
                wins += f.get(50, TimeUnit.SECONDS) ? 1 : 0;
            }
            List<Long> seen = new ArrayList<>();
            for (Future<Long> f : increments) {
                seen.add(f.get(50, TimeUnit.SECONDS));
            }
            assertThat(wins).isEqualTo(1);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.findCounter("race:increment", now)).hasValue(n);
    }

    // ------------------------------------------------------------------ transactions and races

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentCreationOfOneEmailHasExactlyOneWinner() throws Exception {
        int n = concurrentWriters();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CreateResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Every other thread writes the address in upper case: the race must also be
                // settled case-insensitively.
                String email = i % 2 == 0 ? "race@example.com" : "RACE@example.com";
                User user = User.builder(email, uniquifier()).build();
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.createUser(user);
                }));
            }
            start.countDown();
            List<CreateResult> results = new ArrayList<>();
            for (Future<CreateResult> f : futures) {
                results.add(f.get(50, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(r -> r instanceof CreateResult.Created).hasSize(1);
            assertThat(results).filteredOn(r -> !(r instanceof CreateResult.Created))
                    .hasSize(n - 1)
                    .allSatisfy(r -> assertThat(r).isEqualTo(new CreateResult.AlreadyExists("email")));
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.findUserByIdentity("email", "race@example.com")).isPresent();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentCreationOfDifferentUsersAllSucceed() throws Exception {
        int n = concurrentWriters();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CreateResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                User user = User.builder("parallel" + i + "@example.com", uniquifier()).build();
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.createUser(user);
                }));
            }
            start.countDown();
            for (Future<CreateResult> f : futures) {
                assertThat(f.get(50, TimeUnit.SECONDS)).isInstanceOf(CreateResult.Created.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code task(i)} on {@link #concurrentWriters()} threads released at once; returns the results in order. */
    protected <T> List<T> race(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(50, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentLoginsLoseNoCount() throws Exception {
        User u = create("busy@example.com");
        int logins = 5;
        int n = concurrentWriters();
        race(n, i -> {
            for (int k = 0; k < logins; k++) {
                // A stale copy of the user, as each request holds: the count must come from the row.
                store.trackLogin(u, T1.plusSeconds(i * 100L + k), "192.0.2." + i);
            }
            return null;
        });
        User stored = store.findUserById(u.id()).orElseThrow();
        assertThat(stored.loginCount()).isEqualTo(n * logins);
        assertThat(stored.currentLoginAt()).isNotNull();
        assertThat(stored.lastLoginAt()).isNotNull();
        assertThat(stored.currentLoginIp()).startsWith("192.0.2.");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentRoleChangesAreAllKept() throws Exception {
        int n = concurrentWriters();
        for (int i = 0; i < n; i++) {
            store.createRole(Role.of("role" + i, null, Set.of()));
        }
        store.createRole(Role.of("shared", null, Set.of()));
        User u = create("roles-race@example.com");

        assertThat(race(n, i -> store.addRoleToUser(u, "role" + i))).containsOnly(true);
        assertThat(store.findUserById(u.id()).orElseThrow().roleNames()).hasSize(n);

        // The same role from every thread: exactly one adds it, and it is linked once.
        assertThat(race(n, i -> store.addRoleToUser(u, "shared"))).filteredOn(added -> added).hasSize(1);
        assertThat(store.removeRoleFromUser(u, "shared")).isTrue();
        assertThat(store.findUserById(u.id()).orElseThrow().hasRole("shared")).isFalse();
        assertThat(store.removeRoleFromUser(u, "shared")).isFalse();

        assertThat(race(n, i -> store.removeRoleFromUser(u, "role" + i))).containsOnly(true);
        assertThat(store.findUserById(u.id()).orElseThrow().roles()).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentPermissionChangesAreAllKept() throws Exception {
        int n = concurrentWriters();
        store.createRole(Role.of("crowded", null, Set.of("base")));
        assertThat(race(n, i -> store.addPermissionsToRole("crowded", List.of("perm" + i)))).containsOnly(true);
        Set<String> permissions = store.findRole("crowded").orElseThrow().permissions();
        assertThat(permissions).hasSize(n + 1).contains("base", "perm0", "perm" + (n - 1));
    }

    @Test
    void failedUnitOfWorkLeavesNothingBehind() {
        org.junit.jupiter.api.Assumptions.assumeTrue(transactional(), "units of work are not atomic on this store");
        RuntimeException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.createRole(Role.of("temp", null, Set.of()));
            create(User.builder("rollback@example.com", uniquifier()).roles(List.of(Role.of("temp", null, null))));
            assertThat(store.findUserByIdentity("email", "rollback@example.com")).isPresent();
            throw boom;
        })).isSameAs(boom);
        assertThat(store.findUserByIdentity("email", "rollback@example.com")).isEmpty();
        assertThat(store.findRole("temp")).isEmpty();
        // The datastore is still usable on this thread.
        create("rollback@example.com");
    }

    @Test
    void nestedUnitsOfWorkJoinTheOuterOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(transactional(), "units of work are not atomic on this store");
        RuntimeException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction(() -> {
            create("outer@example.com");
            String inner = store.inTransaction(() -> {
                create("inner@example.com");
                return "done";
            });
            assertThat(inner).isEqualTo("done");
            // The inner unit of work did not commit on its own: the outer failure takes it along.
            throw boom;
        })).isSameAs(boom);
        assertThat(store.findUserByIdentity("email", "outer@example.com")).isEmpty();
        assertThat(store.findUserByIdentity("email", "inner@example.com")).isEmpty();

        Long id = store.inTransaction(() -> store.inTransaction(() -> create("both@example.com").id()));
        assertThat(store.findUserById(id)).isPresent();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unitOfWorkIsInvisibleToOtherThreadsUntilItCommits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(transactional(), "units of work are not atomic on this store");
        store.inTransaction(() -> {
            create("pending@example.com");
            Optional<User> seenElsewhere = CompletableFuture
                    .supplyAsync(() -> store.findUserByIdentity("email", "pending@example.com"))
                    .join();
            assertThat(seenElsewhere).isEmpty();
            return null;
        });
        Optional<User> afterCommit = CompletableFuture
                .supplyAsync(() -> store.findUserByIdentity("email", "pending@example.com"))
                .join();
        assertThat(afterCommit).isPresent();
    }

    @Test
    void reportedCollisionsLeaveTheUnitOfWorkUsable() {
        User taken = create("held@example.com");
        User other = create("mover@example.com");
        store.inTransaction(() -> {
            assertThat(store.createUser(User.builder("HELD@example.com", uniquifier()).build()))
                    .isEqualTo(new CreateResult.AlreadyExists("email"));
            assertThatThrownBy(() -> store.updateUser(other.toBuilder().email("held@EXAMPLE.com").build()))
                    .isInstanceOf(IllegalStateException.class);
            // A uniquifier clash passes every case-insensitive pre-check and meets the unique index.
            assertThatThrownBy(() -> store.updateUser(other.toBuilder().fsUniquifier(taken.fsUniquifier()).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fs_uniquifier");
            create("after-collisions@example.com");
            return null;
        });
        assertThat(store.findUserByIdentity("email", "after-collisions@example.com")).isPresent();
        assertThat(store.findUserById(other.id()).orElseThrow().email()).isEqualTo("mover@example.com");
    }

    @Test
    void callsOutsideAUnitOfWorkCommitOnTheirOwn() {
        org.junit.jupiter.api.Assumptions.assumeTrue(transactional(), "units of work are not atomic on this store");
        User u = create("own@example.com");
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.updateUser(store.findUserById(u.id()).orElseThrow().toBuilder().username("inside").build());
            throw new IllegalStateException("undo the update only");
        })).isInstanceOf(IllegalStateException.class);
        User stored = store.findUserById(u.id()).orElseThrow();
        assertThat(stored.username()).isNull();
        assertThat(stored.email()).isEqualTo("own@example.com");
    }

    // ------------------------------------------------------------------ WebAuthn credentials and refresh trackers

    /**
     * Whether stored WebAuthn credentials and refresh trackers carry a database id and a creation
     * time. Flask-Security's MongoEngine models have neither a {@code create_datetime} nor, for
     * credentials, an id apart from the credential id; a store following them returns false.
     */
    protected boolean credentialRowsHaveIdsAndCreationTimes() {
        return true;
    }

    private void assumeCredentialTables() {
        org.junit.jupiter.api.Assumptions.assumeTrue(store.supportsCredentialTables(),
                "this datastore does not store WebAuthn credentials and refresh trackers yet");
    }

    /** Bytes over the whole range, so a store that goes through text or a signed type shows it. */
    private static byte[] bytes(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        b[0] = 0;
        b[length - 1] = (byte) 0xff;
        return b;
    }

    private WebAuthnCredential passkey(User user, int seed, String name) {
        return store.createWebauthn(user, bytes(seed, 64), bytes(seed + 1, 77), name, 0, "first", "multi_device", true,
                List.of("usb", "hybrid"), "{\"credProps\": {\"rk\": true}}", T1);
    }

    @Test
    void webauthnCredentialsAreStoredFoundAndTracedToTheirUser() {
        assumeCredentialTables();
        User u = store.setWebauthnUserHandle(create("wan@example.com"), null);
        assertThat(u.fsWebauthnUserHandle()).matches("[0-9a-f]{32}");
        assertThat(store.setWebauthnUserHandle(u, "handle-1").fsWebauthnUserHandle()).isEqualTo("handle-1");

        WebAuthnCredential first = passkey(u, 1, "laptop");
        WebAuthnCredential second = store.createWebauthn(u, bytes(2, 1024), bytes(3, 300), "key", 7, "secondary",
                "single_device", false, null, null, T2);
        if (credentialRowsHaveIdsAndCreationTimes()) {
            assertThat(first.id()).isNotNull();
            assertInstant(first.createDatetime(), T1);
        }
        assertThat(first.credentialId()).isEqualTo(bytes(1, 64));
        assertThat(first.publicKey()).isEqualTo(bytes(2, 77));
        assertThat(first.transports()).containsExactly("usb", "hybrid");
        assertThat(first.backupState()).isTrue();
        assertThat(first.deviceType()).isEqualTo("multi_device");
        assertThat(first.extensions()).isEqualTo("{\"credProps\": {\"rk\": true}}");
        assertThat(first.usage()).isEqualTo("first");
        assertThat(first.userId()).isEqualTo(u.id());
        assertInstant(first.lastuseDatetime(), T1);
        assertThat(second.transports()).isEmpty();
        assertThat(second.extensions()).isNull();
        assertThat(second.signCount()).isEqualTo(7);
        assertThat(second.credentialId()).hasSize(1024);

        WebAuthnCredential found = store.findWebauthn(bytes(1, 64)).orElseThrow();
        assertThat(found).isEqualTo(first);
        assertThat(store.findWebauthn(bytes(9, 64))).isEmpty();
        assertThat(store.findUserFromWebauthn(found).orElseThrow().email()).isEqualTo("wan@example.com");
        assertThat(store.findWebauthns(u)).containsExactly(first, second);
        assertThat(store.findWebauthns(create("none@example.com"))).isEmpty();
    }

    @Test
    void aCredentialIdIsRegisteredOnce() {
        assumeCredentialTables();
        User a = create("a-wan@example.com");
        User b = create("b-wan@example.com");
        passkey(a, 1, "one");
        assertThatThrownBy(() -> passkey(b, 1, "two")).isInstanceOf(IllegalStateException.class);
        assertThat(store.findWebauthns(b)).isEmpty();
        // inside a unit of work, the collision leaves it usable
        store.inTransaction(() -> {
            assertThatThrownBy(() -> passkey(b, 1, "two")).isInstanceOf(IllegalStateException.class);
            return passkey(b, 5, "three");
        });
        assertThat(store.findWebauthns(b)).extracting(WebAuthnCredential::name).containsExactly("three");
        User gone = create("gone-wan@example.com");
        store.deleteUser(gone);
        assertThatThrownBy(() -> passkey(gone, 7, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webauthnUseIsRecordedAndCredentialsAreDeleted() {
        assumeCredentialTables();
        User u = create("use-wan@example.com");
        User other = create("other-wan@example.com");
        WebAuthnCredential c1 = passkey(u, 1, "one");
        WebAuthnCredential c2 = passkey(u, 3, "two");
        WebAuthnCredential c3 = passkey(other, 5, "three");
        WebAuthnCredential used = store.recordWebauthnUse(c1, 42, false, T3).orElseThrow();
        assertThat(used.signCount()).isEqualTo(42);
        assertThat(used.backupState()).isFalse();
        assertInstant(used.lastuseDatetime(), T3);
        if (credentialRowsHaveIdsAndCreationTimes()) {
            assertInstant(used.createDatetime(), T1);
        }

        assertThat(store.deleteWebauthn(c1)).isTrue();
        assertThat(store.deleteWebauthn(c1)).isFalse();
        assertThat(store.recordWebauthnUse(c1, 43, false, T3)).isEmpty();
        assertThat(store.findWebauthn(c1.credentialId())).isEmpty();
        passkey(u, 7, "four");
        assertThat(store.webauthnReset(u)).isEqualTo(2);
        assertThat(store.findWebauthns(u)).isEmpty();
        assertThat(store.findWebauthn(c2.credentialId())).isEmpty();
        assertThat(store.findWebauthns(other)).containsExactly(c3);
        assertThat(store.reload(u).fsUniquifier()).isEqualTo(u.fsUniquifier());
    }

    @Test
    void refreshTrackersRotateAndRevoke() {
        assumeCredentialTables();
        User u = create("refresh@example.com");
        Instant expires = T1.plus(90, ChronoUnit.DAYS);
        RefreshTracker t = store.createRefreshTracker(u, "default", expires, T1);
        assertThat(t.id()).isNotNull();
        assertThat(t.refreshFamily()).matches("[0-9a-f]{32}");
        assertThat(t.gen()).isEqualTo(1);
        assertThat(t.name()).isEqualTo("default");
        assertThat(t.userId()).isEqualTo(u.id());
        assertThat(t.revokedAt()).isNull();
        assertInstant(t.expiresAt(), expires);
        assertInstant(t.lastUsedAt(), T1);
        if (credentialRowsHaveIdsAndCreationTimes()) {
            assertInstant(t.createDatetime(), T1);
        }
        assertThat(store.findRefreshTracker(t.refreshFamily())).contains(t);
        assertThat(store.findRefreshTracker("no-such-family")).isEmpty();
        assertThat(store.createRefreshTracker(u, "default", expires, T1).refreshFamily()).isNotEqualTo(t.refreshFamily());

        RefreshTracker next = store.exchangeRefreshTracker(t, T2).orElseThrow();
        assertThat(next.gen()).isEqualTo(2);
        assertInstant(next.lastUsedAt(), T2);
        assertInstant(next.expiresAt(), expires);
        // presenting the old generation again is reuse: no exchange
        assertThat(store.exchangeRefreshTracker(t, T3)).isEmpty();
        assertThat(store.findRefreshTracker(t.refreshFamily()).orElseThrow().gen()).isEqualTo(2);

        assertThat(store.revokeRefreshTracker(next, T3)).isTrue();
        assertThat(store.revokeRefreshTracker(next, T3)).isFalse();
        RefreshTracker revoked = store.findRefreshTracker(t.refreshFamily()).orElseThrow();
        assertThat(revoked.revoked()).isTrue();
        assertInstant(revoked.revokedAt(), T3);
        assertThat(store.exchangeRefreshTracker(revoked, T3)).isEmpty();
        assertThat(store.findRefreshTrackers(u)).hasSize(2).first().isEqualTo(revoked);
    }

    @Test
    void refreshTrackersAreCleanedUpAndReset() {
        assumeCredentialTables();
        User u = create("cleanup@example.com");
        User other = create("cleanup-other@example.com");
        RefreshTracker expired = store.createRefreshTracker(u, "default", T1, T1.minusSeconds(60));
        RefreshTracker revoked = store.createRefreshTracker(u, "default", T3, T1);
        store.revokeRefreshTracker(revoked, T1);
        RefreshTracker live = store.createRefreshTracker(u, "default", T3, T1);
        RefreshTracker othersExpired = store.createRefreshTracker(other, "default", T1, T1.minusSeconds(60));

        assertThat(store.cleanupRefreshTrackers(u, false, false, T2)).isZero();
        assertThat(store.cleanupRefreshTrackers(u, true, false, T2)).isEqualTo(1);
        assertThat(store.findRefreshTracker(expired.refreshFamily())).isEmpty();
        assertThat(store.findRefreshTracker(othersExpired.refreshFamily())).isPresent();
        assertThat(store.cleanupRefreshTrackers(u, true, true, T2)).isEqualTo(1);
        assertThat(store.findRefreshTrackers(u)).extracting(RefreshTracker::refreshFamily).containsExactly(live.refreshFamily());

        store.createRefreshTracker(u, "default", T3, T2);
        assertThat(store.refreshTrackerReset(u, T2)).isEqualTo(2);
        assertThat(store.refreshTrackerReset(u, T2)).isZero();
        assertThat(store.findRefreshTrackers(u)).allSatisfy(t -> assertThat(t.revoked()).isTrue());
        assertThat(store.findRefreshTracker(othersExpired.refreshFamily()).orElseThrow().revoked()).isFalse();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentExchangesOfOneRefreshTokenHaveExactlyOneWinner() throws Exception {
        assumeCredentialTables();
        User u = create("race-refresh@example.com");
        RefreshTracker t = store.createRefreshTracker(u, "default", T3, T1);
        int n = concurrentWriters();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<RefreshTracker>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.exchangeRefreshTracker(t, T2);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Optional<RefreshTracker>> f : futures) {
                winners += f.get(50, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.findRefreshTracker(t.refreshFamily()).orElseThrow().gen()).isEqualTo(2);
    }

    @Test
    void resetUserAccessRemovesCredentialsAndRevokesRefreshTrackers() {
        assumeCredentialTables();
        User u = store.setWebauthnUserHandle(create("reset-wan@example.com"), "keep-this-handle");
        User other = create("reset-other@example.com");
        passkey(u, 1, "one");
        WebAuthnCredential othersKey = passkey(other, 3, "two");
        RefreshTracker t = store.createRefreshTracker(u, "default", T3, T1);
        RefreshTracker othersTracker = store.createRefreshTracker(other, "default", T3, T1);
        User reset = store.resetUserAccess(u);
        assertThat(reset.fsUniquifier()).isNotEqualTo(u.fsUniquifier());
        assertThat(reset.fsWebauthnUserHandle()).isEqualTo("keep-this-handle");
        assertThat(store.findWebauthns(u)).isEmpty();
        assertThat(store.findRefreshTracker(t.refreshFamily()).orElseThrow().revoked()).isTrue();
        assertThat(store.findWebauthns(other)).containsExactly(othersKey);
        assertThat(store.findRefreshTracker(othersTracker.refreshFamily()).orElseThrow().revoked()).isFalse();
    }

    @Test
    void deletingAUserDeletesItsCredentialsAndTrackers() {
        assumeCredentialTables();
        User u = create("delete-wan@example.com");
        WebAuthnCredential c = passkey(u, 1, "one");
        RefreshTracker t = store.createRefreshTracker(u, "default", T3, T1);
        assertThat(store.deleteUser(u)).isTrue();
        assertThat(store.findWebauthn(c.credentialId())).isEmpty();
        assertThat(store.findRefreshTracker(t.refreshFamily())).isEmpty();
        // a new user, perhaps on a reused id, starts with none
        User next = create("after-delete-wan@example.com");
        assertThat(store.findWebauthns(next)).isEmpty();
        assertThat(store.findRefreshTrackers(next)).isEmpty();
    }

    @Test
    void datastoresWithoutCredentialTablesSaySo() {
        org.junit.jupiter.api.Assumptions.assumeFalse(store.supportsCredentialTables());
        User u = create("unsupported@example.com");
        assertThatThrownBy(() -> store.findWebauthns(u)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store.findRefreshTracker("x")).isInstanceOf(UnsupportedOperationException.class);
        // reset_user_access still works on what the datastore has
        assertThat(store.resetUserAccess(u).fsUniquifier()).isNotEqualTo(u.fsUniquifier());
    }
}

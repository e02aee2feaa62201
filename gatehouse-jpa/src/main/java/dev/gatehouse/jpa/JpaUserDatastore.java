package dev.gatehouse.jpa;

import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.RefreshTracker;
import dev.gatehouse.account.User;
import dev.gatehouse.account.WebAuthnCredential;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.jdbc.FsqlaSchema;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * A {@link UserDatastore} over Jakarta Persistence (Hibernate ORM 7) on Flask-Security's own
 * {@code fsqla} v3 tables: the counterpart of Flask-Security's SQLAlchemy datastores. The
 * application maps the tables with its own entities extending {@link FsqlaUser} and
 * {@link FsqlaRole} (or uses {@link GatehouseUser} and {@link GatehouseRole}); the schema is the
 * JDBC datastore's, created by {@link FsqlaPersistenceUnit} or {@code FsqlaSchema.migrate}.
 *
 * <p>Two modes, as Flask-Security has two SQLAlchemy datastores:
 * <ul>
 *   <li>{@link #create(EntityManagerFactory, Class, Class)}, like {@code SQLAlchemyUserDatastore}:
 *       the datastore opens an EntityManager and a transaction of its own for each call, or for each
 *       {@link #inTransaction} unit of work, and commits it;</li>
 *   <li>{@link #joining(Supplier, Class, Class)}, like {@code SQLAlchemySessionUserDatastore}: the
 *       datastore works in the application's current EntityManager. While a transaction is active
 *       there, every write joins it and commits or rolls back with it (a failed
 *       {@link #inTransaction} marks it rollback-only); the datastore never commits, rolls back or
 *       closes it. Without an active transaction each call runs a transaction of its own on that
 *       EntityManager and detaches what it loaded afterwards.</li>
 * </ul>
 *
 * <p>Values are stored as the JDBC datastore stores them (naive UTC times with microseconds, text on
 * SQLite; list columns comma-joined as Flask-Security's {@code AsaList}), so both datastores, and
 * Flask-Security itself, can share one database. Case-insensitive identity lookups use the
 * migration's lower-case unique indexes.
 *
 * <p>Concurrency: a call outside a unit of work that loses a race on a unique index, or that the
 * database picks as a deadlock victim, is retried in a fresh transaction and then reports the
 * winner ({@code AlreadyExists}). Inside a unit of work collisions that a pre-check finds are
 * reported without harming the unit of work, but a lost race surfaces as a
 * {@link PersistenceException} and the unit of work can only roll back (Hibernate's session is not
 * usable after a failed flush). Role and permission changes lock the user or role row; login
 * tracking is a single UPDATE.
 */
public final class JpaUserDatastore implements UserDatastore {

    private static final int MAX_ATTEMPTS = 5;

    private final UnitsOfWork units;
    private final Class<? extends FsqlaUser<?>> userClass;
    private final Class<? extends FsqlaRole> roleClass;
    private final Clock clock;
    private volatile Mapping mapping;

    /** What is read from the persistence unit and the database once, on first use. */
    private record Mapping(FsqlaSchema schema, String userEntity, String roleEntity) {
    }

    private JpaUserDatastore(UnitsOfWork units, Class<? extends FsqlaUser<?>> userClass,
                             Class<? extends FsqlaRole> roleClass, Clock clock) {
        this.units = units;
        this.userClass = Objects.requireNonNull(userClass, "userClass");
        this.roleClass = Objects.requireNonNull(roleClass, "roleClass");
        this.clock = Objects.requireNonNull(clock, "clock");
        units.onBegin(em -> session(em).doWork(c -> mapping(em).schema().startUnitOfWork(c)));
    }

    /**
     * A datastore that runs every call, or every {@link #inTransaction} unit of work, in an
     * EntityManager and transaction of its own from {@code emf}.
     *
     * @param userClass the application's user entity (a subclass of {@link FsqlaUser})
     * @param roleClass the application's role entity (a subclass of {@link FsqlaRole})
     */
    public static JpaUserDatastore create(EntityManagerFactory emf, Class<? extends FsqlaUser<?>> userClass,
                                          Class<? extends FsqlaRole> roleClass) {
        return new JpaUserDatastore(new UnitsOfWork.Own(emf), userClass, roleClass, Clock.systemUTC());
    }

    /**
     * A datastore that works in the application's EntityManager: {@code currentEntityManager} returns
     * the EntityManager of the current request or thread (for example a container-injected shared
     * EntityManager, or a thread-bound one). Inside the application's transaction every write joins
     * it; see the class comment for calls outside one.
     */
    public static JpaUserDatastore joining(Supplier<EntityManager> currentEntityManager,
                                           Class<? extends FsqlaUser<?>> userClass,
                                           Class<? extends FsqlaRole> roleClass) {
        return new JpaUserDatastore(new UnitsOfWork.Application(currentEntityManager), userClass, roleClass,
                Clock.systemUTC());
    }

    /** The same datastore taking {@code create_datetime} and {@code update_datetime} from {@code clock}. */
    public JpaUserDatastore withClock(Clock clock) {
        return new JpaUserDatastore(units, userClass, roleClass, clock);
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return units.run(em -> work.get(), true);
    }

    /**
     * One datastore method as a write. On its own it is retried after a lost unique race or a
     * deadlock: only a fresh transaction sees the winner and can report it. Joined to a unit of
     * work nothing can be retried, and the failure reaches the caller.
     */
    private <T> T write(Function<EntityManager, T> work) {
        if (units.joined()) {
            return units.run(work, false);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return units.run(work, false);
            } catch (RuntimeException e) {
                boolean retryable = FsqlaSchema.isTransactionRollback(e) || isUniqueViolation(e);
                if (attempt >= MAX_ATTEMPTS || !retryable) {
                    throw e;
                }
                try {
                    // Spread the retries so the same transactions do not collide again at once.
                    Thread.sleep(ThreadLocalRandom.current().nextLong(2, 10) * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private boolean isUniqueViolation(Throwable e) {
        Mapping m = mapping;
        return m != null && m.schema().isUniqueViolation(e);
    }

    // ---------------------------------------------------------------- users

    @Override
    public Optional<User> findUserByIdentity(String attribute, String value) {
        Objects.requireNonNull(attribute, "attribute");
        if (!attribute.equals("email") && !attribute.equals("username")) {
            throw new IllegalArgumentException("not an identity attribute: " + attribute);
        }
        if (value == null) {
            return Optional.empty();
        }
        return units.read(em -> idsMatching(em, mapping(em).schema().identityMatch(attribute), value).stream()
                .findFirst().flatMap(id -> loadUser(em, id)).map(u -> toUser(u)));
    }

    @Override
    public Optional<User> findUserByUniquifier(String fsUniquifier) {
        if (fsUniquifier == null) {
            return Optional.empty();
        }
        return units.read(em -> em.createQuery("select u from " + mapping(em).userEntity()
                        + " u left join fetch u.roles where u.fsUniquifier = :value", userClass)
                .setParameter("value", fsUniquifier)
                .getResultList().stream().findFirst().map(u -> toUser(loaded(u))));
    }

    @Override
    public Optional<User> findUserById(long id) {
        return units.read(em -> loadUser(em, id).map(this::toUser));
    }

    @Override
    public CreateResult createUser(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() != null) {
            throw new IllegalArgumentException("a new user has no id yet; use updateUser for stored users");
        }
        boolean ownTransaction = !units.joined();
        try {
            return write(em -> {
                Optional<String> taken = findConflict(em, user, null);
                if (taken.isPresent()) {
                    return new CreateResult.AlreadyExists(taken.get());
                }
                List<FsqlaRole> roles = resolveRoles(em, user.roles());
                FsqlaUser<FsqlaRole> entity = newEntity(userClass);
                copyFields(user, entity);
                // Flask-Security's create_user fills the WebAuthn handle when the column exists.
                if (entity.getFsWebauthnUserHandle() == null) {
                    entity.setFsWebauthnUserHandle(Uniquifiers.newUniquifier());
                }
                Instant now = micros(clock.instant());
                entity.setCreateDatetime(user.createDatetime() != null ? micros(user.createDatetime()) : now);
                entity.setUpdateDatetime(now);
                entity.getRoles().addAll(roles);
                em.persist(entity);
                em.flush();
                return new CreateResult.Created(toUser(loaded(entity)));
            });
        } catch (RuntimeException e) {
            // Still colliding after the retries, yet no pre-check saw the holder: name the index.
            if (ownTransaction && isUniqueViolation(e)) {
                return new CreateResult.AlreadyExists(mapping.schema().violatedAttribute(e).orElseThrow(() -> e));
            }
            throw e;
        }
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        long id = storedId(user);
        return write(em -> {
            FsqlaUser<FsqlaRole> entity = findEntity(em, id)
                    .orElseThrow(() -> new IllegalArgumentException("no such user: " + id));
            findConflict(em, user, id).ifPresent(attribute -> {
                throw new IllegalStateException(attribute + " belongs to another account");
            });
            copyFields(user, entity);
            // The column is NOT NULL: a user value without it keeps what is stored.
            if (user.createDatetime() != null) {
                entity.setCreateDatetime(micros(user.createDatetime()));
            }
            entity.setUpdateDatetime(micros(clock.instant()));
            em.flush();
            return toUser(entity);
        });
    }

    @Override
    public boolean deleteUser(User user) {
        long id = storedId(user);
        return write(em -> {
            Optional<FsqlaUser<FsqlaRole>> found = findEntity(em, id);
            if (found.isEmpty()) {
                return false;
            }
            FsqlaUser<FsqlaRole> entity = found.get();
            em.flush();
            // Flask-Security's WebAuthn credentials and refresh trackers point at the user; on
            // SQLite (foreign keys off) nothing cascades, and a reused rowid would hand them to the
            // next new user.
            FsqlaSchema schema = mapping(em).schema();
            session(em).doWork(c -> schema.deleteUserCredentials(c, id));
            entity.getRoles().clear();
            em.remove(entity);
            em.flush();
            return true;
        });
    }

    /**
     * Records a login with one UPDATE computed by the database from the row as it is (see
     * {@link FsqlaSchema#trackLogin}), so concurrent logins lose no count.
     */
    @Override
    public User trackLogin(User user, Instant now, String remoteAddress) {
        long id = storedId(user);
        return write(em -> {
            em.flush(); // earlier changes of this unit of work reach the row before the UPDATE
            FsqlaSchema schema = mapping(em).schema();
            int rows = session(em).doReturningWork(c -> schema.trackLogin(c, id, now, remoteAddress, clock.instant()));
            if (rows == 0) {
                throw new IllegalArgumentException("no such user: " + id);
            }
            FsqlaUser<FsqlaRole> entity = findEntity(em, id).orElseThrow();
            em.refresh(entity);
            return toUser(entity);
        });
    }

    // ---------------------------------------------------------------- recovery codes and counters

    /**
     * Removes the code with a conditional write (see {@link FsqlaSchema#deleteRecoveryCode}), so of
     * two concurrent uses of one code exactly one succeeds.
     */
    @Override
    public boolean mfDeleteRecoveryCode(User user, String storedCode) {
        Objects.requireNonNull(storedCode, "storedCode");
        long id = storedId(user);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Boolean> outcome = write(em -> {
                em.flush(); // earlier changes of this unit of work reach the row first
                FsqlaSchema schema = mapping(em).schema();
                Optional<Boolean> r = session(em).doReturningWork(c -> schema.deleteRecoveryCode(c, id, storedCode, clock.instant()));
                if (r.orElse(false)) {
                    findEntity(em, id).ifPresent(em::refresh);
                }
                return r;
            });
            if (outcome.isPresent()) {
                return outcome.get();
            }
        }
        return false;
    }

    @Override
    public OptionalLong findCounter(String name, Instant now) {
        return units.read(em -> {
            FsqlaSchema schema = mapping(em).schema();
            return session(em).doReturningWork(c -> schema.findCounter(c, name, now));
        });
    }

    @Override
    public boolean advanceCounter(String name, long value, Instant expiresAt, Instant now) {
        return write(em -> {
            FsqlaSchema schema = mapping(em).schema();
            return session(em).doReturningWork(c -> schema.advanceCounter(c, name, value, expiresAt, now));
        });
    }

    @Override
    public long incrementCounter(String name, Instant expiresAt, Instant now) {
        return write(em -> {
            FsqlaSchema schema = mapping(em).schema();
            return session(em).doReturningWork(c -> schema.incrementCounter(c, name, expiresAt, now));
        });
    }

    // ---------------------------------------------------------------- WebAuthn credentials and refresh trackers
    // Plain SQL on the EntityManager's connection (FsqlaSchema, shared with the JDBC datastore):
    // the rows are read and written as immutable records, never as managed entities.

    private interface SchemaWork<T> {
        T run(FsqlaSchema schema, java.sql.Connection c) throws java.sql.SQLException;
    }

    private <T> T readSql(SchemaWork<T> work) {
        return units.read(em -> {
            FsqlaSchema schema = mapping(em).schema();
            return session(em).doReturningWork(c -> work.run(schema, c));
        });
    }

    private <T> T writeSql(SchemaWork<T> work) {
        return write(em -> {
            em.flush(); // the unit of work's earlier writes (a new user) reach the database first
            FsqlaSchema schema = mapping(em).schema();
            return session(em).doReturningWork(c -> work.run(schema, c));
        });
    }

    @Override
    public boolean supportsCredentialTables() {
        return true;
    }

    @Override
    public WebAuthnCredential createWebauthn(User user, byte[] credentialId, byte[] publicKey, String name, long signCount,
                                             String usage, String deviceType, boolean backupState,
                                             List<String> transports, String extensions, Instant now) {
        long id = storedId(user);
        return writeSql((schema, c) -> schema.createWebauthn(c, id, credentialId, publicKey, name, signCount, usage,
                deviceType, backupState, transports, extensions, now));
    }

    @Override
    public Optional<WebAuthnCredential> findWebauthn(byte[] credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        return readSql((schema, c) -> schema.findWebauthn(c, credentialId));
    }

    @Override
    public List<WebAuthnCredential> findWebauthns(User user) {
        long id = storedId(user);
        return readSql((schema, c) -> schema.findWebauthns(c, id));
    }

    @Override
    public Optional<WebAuthnCredential> recordWebauthnUse(WebAuthnCredential credential, long signCount, boolean backupState,
                                                          Instant now) {
        long id = storedId(credential.id());
        return writeSql((schema, c) -> schema.recordWebauthnUse(c, id, signCount, backupState, now));
    }

    @Override
    public boolean deleteWebauthn(WebAuthnCredential credential) {
        long id = storedId(credential.id());
        return writeSql((schema, c) -> schema.deleteWebauthn(c, id));
    }

    @Override
    public int webauthnReset(User user) {
        long id = storedId(user);
        return writeSql((schema, c) -> schema.webauthnReset(c, id));
    }

    @Override
    public RefreshTracker createRefreshTracker(User user, String name, Instant expiresAt, Instant now) {
        long id = storedId(user);
        return writeSql((schema, c) -> schema.createRefreshTracker(c, id, name, expiresAt, now));
    }

    @Override
    public Optional<RefreshTracker> findRefreshTracker(String refreshFamily) {
        Objects.requireNonNull(refreshFamily, "refreshFamily");
        return readSql((schema, c) -> schema.findRefreshTracker(c, refreshFamily));
    }

    @Override
    public List<RefreshTracker> findRefreshTrackers(User user) {
        long id = storedId(user);
        return readSql((schema, c) -> schema.findRefreshTrackers(c, id));
    }

    @Override
    public Optional<RefreshTracker> exchangeRefreshTracker(RefreshTracker tracker, Instant now) {
        long id = storedId(tracker.id());
        return writeSql((schema, c) -> schema.exchangeRefreshTracker(c, id, tracker.gen(), now));
    }

    @Override
    public boolean revokeRefreshTracker(RefreshTracker tracker, Instant now) {
        long id = storedId(tracker.id());
        return writeSql((schema, c) -> schema.revokeRefreshTracker(c, id, now));
    }

    @Override
    public int cleanupRefreshTrackers(User user, boolean expired, boolean revoked, Instant now) {
        long id = storedId(user);
        return writeSql((schema, c) -> schema.cleanupRefreshTrackers(c, id, expired, revoked, now));
    }

    @Override
    public int refreshTrackerReset(User user, Instant now) {
        long id = storedId(user);
        return writeSql((schema, c) -> schema.refreshTrackerReset(c, id, now));
    }

    private static long storedId(Long id) {
        if (id == null) {
            throw new IllegalArgumentException("not stored yet");
        }
        return id;
    }

    // ---------------------------------------------------------------- roles

    @Override
    public Optional<Role> findRole(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return units.read(em -> roleByName(em, name, false).map(JpaUserDatastore::toRole));
    }

    @Override
    public Role createRole(Role role) {
        Objects.requireNonNull(role, "role");
        return write(em -> {
            if (roleByName(em, role.name(), false).isPresent()) {
                throw new IllegalStateException("role exists: " + role.name());
            }
            FsqlaRole entity = newEntity(roleClass);
            entity.setName(role.name());
            entity.setDescription(role.description());
            entity.setPermissions(permissionColumn(role.permissions()));
            entity.setUpdateDatetime(micros(clock.instant()));
            em.persist(entity);
            em.flush();
            return toRole(loaded(entity));
        });
    }

    @Override
    public boolean addRoleToUser(User user, String roleName) {
        long id = storedId(user);
        return write(em -> {
            FsqlaRole role = roleByName(em, roleName, false)
                    .orElseThrow(() -> new IllegalArgumentException("no such role: " + roleName));
            // The row lock serializes concurrent role changes of one user: without it two of them
            // could both see the role missing and link it twice (roles_users has no unique key).
            FsqlaUser<FsqlaRole> entity = findEntityForUpdate(em, id)
                    .orElseThrow(() -> new IllegalArgumentException("no such user: " + id));
            // The link is read and written in SQL rather than through the roles collection: the
            // collection would be loaded by a plain read, which under InnoDB's REPEATABLE READ
            // comes from a snapshot older than the lock and misses links committed meanwhile.
            FsqlaSchema schema = mapping(em).schema();
            Number links = (Number) em.createNativeQuery("SELECT COUNT(*) FROM roles_users WHERE user_id = :user AND role_id = :role"
                            + schema.lockingReadSuffix())
                    .setParameter("user", id).setParameter("role", role.getId())
                    .getSingleResult();
            if (links.longValue() > 0) {
                return false;
            }
            em.createNativeQuery("INSERT INTO roles_users (user_id, role_id) VALUES (:user, :role)")
                    .setParameter("user", id).setParameter("role", role.getId())
                    .executeUpdate();
            em.refresh(entity); // the roles collection of a managed copy follows the table
            return true;
        });
    }

    @Override
    public boolean removeRoleFromUser(User user, String roleName) {
        long id = storedId(user);
        return write(em -> {
            Optional<FsqlaRole> role = roleByName(em, roleName, false);
            if (role.isEmpty()) {
                return false;
            }
            em.flush();
            int removed = em.createNativeQuery("DELETE FROM roles_users WHERE user_id = :user AND role_id = :role")
                    .setParameter("user", id).setParameter("role", role.get().getId())
                    .executeUpdate();
            FsqlaUser<?> managed = em.find(userClass, id);
            if (managed != null) {
                em.refresh(loaded(managed));
            }
            return removed > 0;
        });
    }

    @Override
    public boolean addPermissionsToRole(String roleName, Collection<String> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        return changePermissions(roleName, current -> {
            Set<String> next = new LinkedHashSet<>(current);
            next.addAll(permissions);
            return next;
        });
    }

    @Override
    public boolean removePermissionsFromRole(String roleName, Collection<String> permissions) {
        Objects.requireNonNull(permissions, "permissions");
        return changePermissions(roleName, current -> {
            Set<String> next = new LinkedHashSet<>(current);
            next.removeAll(permissions);
            return next;
        });
    }

    private boolean changePermissions(String roleName, Function<Set<String>, Set<String>> change) {
        return write(em -> roleByName(em, roleName, true).map(entity -> {
            Set<String> current = toRole(entity).permissions();
            Set<String> next = change.apply(current);
            if (!next.equals(current)) {
                entity.setPermissions(permissionColumn(next));
                entity.setUpdateDatetime(micros(clock.instant()));
                em.flush();
            }
            return true;
        }).orElse(false));
    }

    // ---------------------------------------------------------------- internals

    private Mapping mapping(EntityManager em) {
        Mapping m = mapping;
        if (m == null) {
            FsqlaSchema schema = session(em).doReturningWork(FsqlaSchema::of);
            m = new Mapping(schema, em.getMetamodel().entity(userClass).getName(),
                    em.getMetamodel().entity(roleClass).getName());
            mapping = m;
        }
        return m;
    }

    private static Session session(EntityManager em) {
        return em.unwrap(Session.class);
    }

    private <E> E loaded(E entity) {
        units.loaded(entity);
        return entity;
    }

    @SuppressWarnings("unchecked")
    private Optional<FsqlaUser<FsqlaRole>> findEntity(EntityManager em, long id) {
        return Optional.ofNullable((FsqlaUser<FsqlaRole>) em.find(userClass, id)).map(this::loaded);
    }

    @SuppressWarnings("unchecked")
    private Optional<FsqlaUser<FsqlaRole>> findEntityForUpdate(EntityManager em, long id) {
        Optional<FsqlaUser<FsqlaRole>> entity = findEntity(em, id);
        // refresh: a copy the persistence context already held may be older than the locked row.
        entity.ifPresent(e -> em.refresh(e, LockModeType.PESSIMISTIC_WRITE));
        return entity;
    }

    /** The user with its roles in one statement. */
    @SuppressWarnings("unchecked")
    private Optional<FsqlaUser<FsqlaRole>> loadUser(EntityManager em, long id) {
        return em.createQuery("select u from " + mapping(em).userEntity()
                        + " u left join fetch u.roles where u.id = :id", userClass)
                .setParameter("id", id)
                .getResultList().stream().findFirst()
                .map(u -> (FsqlaUser<FsqlaRole>) loaded(u));
    }

    private Optional<FsqlaRole> roleByName(EntityManager em, String name, boolean forUpdate) {
        Optional<FsqlaRole> role = em.createQuery("select r from " + mapping(em).roleEntity() + " r where r.name = :name", roleClass)
                .setParameter("name", name)
                .getResultList().stream().findFirst().map(r -> (FsqlaRole) loaded(r));
        if (forUpdate) {
            // Permission changes read, change and write the list: concurrent ones must queue. The
            // locking refresh also replaces a copy the persistence context already held.
            role.ifPresent(r -> em.refresh(r, LockModeType.PESSIMISTIC_WRITE));
        }
        return role;
    }

    private List<Long> idsMatching(EntityManager em, String condition, String value) {
        List<?> rows = em.createNativeQuery("SELECT u.id FROM " + mapping(em).schema().userTable() + " u WHERE " + condition)
                .setParameter("value", value)
                .getResultList();
        return rows.stream().map(r -> ((Number) r).longValue()).collect(Collectors.toList());
    }

    /**
     * The first unique attribute of {@code user} that another account holds, in the order a person
     * would fix them; email and username case-insensitively through the lower-case indexes.
     */
    private Optional<String> findConflict(EntityManager em, User user, Long self) {
        FsqlaSchema schema = mapping(em).schema();
        Map<String, String[]> checks = new LinkedHashMap<>();
        checks.put("email", new String[] {schema.identityMatch("email"), user.email()});
        checks.put("username", new String[] {schema.identityMatch("username"), user.username()});
        checks.put("fs_uniquifier", new String[] {"u.fs_uniquifier = :value", user.fsUniquifier()});
        checks.put("us_phone_number", new String[] {"u.us_phone_number = :value", user.usPhoneNumber()});
        checks.put("fs_webauthn_user_handle", new String[] {"u.fs_webauthn_user_handle = :value", user.fsWebauthnUserHandle()});
        for (Map.Entry<String, String[]> check : checks.entrySet()) {
            String value = check.getValue()[1];
            if (value != null && idsMatching(em, check.getValue()[0], value).stream().anyMatch(id -> !id.equals(self))) {
                return Optional.of(check.getKey());
            }
        }
        return Optional.empty();
    }

    private List<FsqlaRole> resolveRoles(EntityManager em, List<Role> wanted) {
        Map<String, FsqlaRole> byName = new LinkedHashMap<>();
        for (Role r : wanted) {
            if (!byName.containsKey(r.name())) {
                byName.put(r.name(), roleByName(em, r.name(), false)
                        .orElseThrow(() -> new IllegalArgumentException("no such role: " + r.name())));
            }
        }
        return new ArrayList<>(byName.values());
    }

    @SuppressWarnings("unchecked")
    private static <E> E newEntity(Class<?> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (E) constructor.newInstance();
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot instantiate entity " + type.getName()
                    + " (it needs a no-argument constructor)", e);
        }
    }

    /** Every column of the user value except id, roles and the two timestamps. */
    private static void copyFields(User u, FsqlaUser<?> e) {
        e.setEmail(u.email());
        e.setUsername(u.username());
        e.setPassword(u.password());
        e.setActive(u.active());
        e.setFsUniquifier(u.fsUniquifier());
        e.setConfirmedAt(micros(u.confirmedAt()));
        e.setLastLoginAt(micros(u.lastLoginAt()));
        e.setCurrentLoginAt(micros(u.currentLoginAt()));
        e.setLastLoginIp(u.lastLoginIp());
        e.setCurrentLoginIp(u.currentLoginIp());
        e.setLoginCount(u.loginCount());
        e.setTfPrimaryMethod(u.tfPrimaryMethod());
        e.setTfTotpSecret(u.tfTotpSecret());
        e.setTfPhoneNumber(u.tfPhoneNumber());
        e.setUsTotpSecrets(u.usTotpSecrets());
        e.setUsPhoneNumber(u.usPhoneNumber());
        e.setFsWebauthnUserHandle(u.fsWebauthnUserHandle());
        // No codes is NULL, as mf_set_recovery_codes(user, None) leaves it.
        e.setMfRecoveryCodes(u.mfRecoveryCodes().isEmpty() ? null : new ArrayList<>(u.mfRecoveryCodes()));
    }

    private User toUser(FsqlaUser<?> e) {
        List<Role> roles = new ArrayList<>();
        for (FsqlaRole r : e.getRoles()) {
            roles.add(toRole(loaded(r)));
        }
        roles.sort(Comparator.comparing(Role::name));
        return User.builder(e.getEmail(), e.getFsUniquifier())
                .id(e.getId())
                .username(e.getUsername())
                .password(e.getPassword())
                .active(e.isActive())
                .confirmedAt(e.getConfirmedAt())
                .lastLoginAt(e.getLastLoginAt())
                .currentLoginAt(e.getCurrentLoginAt())
                .lastLoginIp(e.getLastLoginIp())
                .currentLoginIp(e.getCurrentLoginIp())
                .loginCount(e.getLoginCount())
                .tfPrimaryMethod(e.getTfPrimaryMethod())
                .tfTotpSecret(e.getTfTotpSecret())
                .tfPhoneNumber(e.getTfPhoneNumber())
                .usTotpSecrets(e.getUsTotpSecrets())
                .usPhoneNumber(e.getUsPhoneNumber())
                .fsWebauthnUserHandle(e.getFsWebauthnUserHandle())
                .mfRecoveryCodes(e.getMfRecoveryCodes() == null ? List.of() : e.getMfRecoveryCodes().stream()
                        .map(String::strip).filter(c -> !c.isEmpty()).collect(Collectors.toList()))
                .createDatetime(e.getCreateDatetime())
                .updateDatetime(e.getUpdateDatetime())
                .roles(roles)
                .build();
    }

    private static Role toRole(FsqlaRole r) {
        List<String> permissions = r.getPermissions() == null ? List.of() : r.getPermissions();
        return new Role(r.getId(), r.getName(), r.getDescription(),
                Role.parsePermissions(String.join(",", permissions)), r.getUpdateDatetime());
    }

    /** Sorted for stable rows; NULL for none, as the JDBC datastore writes it. */
    private static List<String> permissionColumn(Set<String> permissions) {
        return permissions.isEmpty() ? null : permissions.stream().sorted().collect(Collectors.toList());
    }

    // The finest unit every supported column keeps; values handed back must equal what a re-read gives.
    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static long storedId(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() == null) {
            throw new IllegalArgumentException("user has not been stored");
        }
        return user.id();
    }
}

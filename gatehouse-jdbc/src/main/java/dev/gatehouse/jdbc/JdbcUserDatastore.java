package dev.gatehouse.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.Update;

/**
 * A {@link UserDatastore} over any JDBC {@link DataSource}, on Flask-Security's own {@code fsqla}
 * v3 tables ({@code user}, {@code role}, {@code roles_users}), so a Flask-Security database opens
 * as it is and Flask-Security can go on reading the rows written here.
 *
 * <p>Supported databases: H2, SQLite, PostgreSQL, MariaDB and MySQL; the dialect is read from the
 * connection. {@link #migrate()} creates or upgrades the schema with Flyway.
 *
 * <pre>{@code
 * JdbcUserDatastore users = JdbcUserDatastore.create(dataSource).migrate();
 * // or, with a connection pool of its own:
 * try (JdbcUserDatastore users = JdbcUserDatastore.forUrl("jdbc:sqlite:app.db", null, null)) { ... }
 * }</pre>
 *
 * <p>Values are stored the way Flask-Security stores them: times as naive UTC timestamps with
 * microsecond precision (on SQLite as text {@code 'YYYY-MM-DD HH:MM:SS.ffffff'}), role permissions
 * and recovery codes comma-joined, booleans as the database's boolean (0/1 on SQLite).
 *
 * <p>Transactions: {@link #inTransaction} binds one connection to the calling thread until the
 * outermost call returns; every method called on that thread meanwhile joins it (work handed to
 * other threads does not). Outside a unit of work each call is its own transaction, and is retried
 * a few times if the database chose it as a deadlock victim. Inside a unit of work such a failure
 * reaches the caller, whose unit of work the database has already rolled back; on MariaDB/MySQL
 * this can happen when two units of work create the same email at the same moment. Unique
 * collisions that the datastore reports ({@code AlreadyExists}, {@code IllegalStateException})
 * leave the caller's unit of work usable. Instances are thread-safe; give them a pooled
 * DataSource.
 *
 * <p>SQLite: each unit of work takes SQLite's write lock when it starts (as {@code BEGIN
 * IMMEDIATE} would), so concurrent writers queue on the connection's busy timeout instead of
 * failing with {@code SQLITE_BUSY} halfway through.
 */
public final class JdbcUserDatastore implements UserDatastore, AutoCloseable {

    private static final String SAVEPOINT = "gatehouse_unique_write";
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final String userTable;
    private final String userColumns;
    private final String roleColumns;
    // One handle per thread while a unit of work runs there. Per instance, so two datastores never
    // share a transaction by accident.
    private final ThreadLocal<Handle> unitOfWork = new ThreadLocal<>();

    private JdbcUserDatastore(DataSource dataSource, HikariDataSource ownedPool, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.ownedPool = ownedPool;
        this.clock = Objects.requireNonNull(clock, "clock");
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database", e);
        }
        this.jdbi = Jdbi.create(dataSource);
        // Jdbi puts bound values into exception messages by default; here those are password
        // hashes and TOTP secrets, which must not end up in logs. The SQL text is enough.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> e.getStatementContext() == null
                ? e.getShortMessage()
                : e.getShortMessage() + " [statement: \"" + e.getStatementContext().getRawSql() + "\"]");
        this.userTable = dialect.userTable();
        this.userColumns = "u.id, u.email, u.username, u.password, u.active, u.fs_uniquifier, "
                + dialect.selectTimestamp("u.confirmed_at", "confirmed_at") + ", "
                + dialect.selectTimestamp("u.last_login_at", "last_login_at") + ", "
                + dialect.selectTimestamp("u.current_login_at", "current_login_at") + ", "
                + "u.last_login_ip, u.current_login_ip, u.login_count, u.tf_primary_method, u.tf_totp_secret, "
                + "u.tf_phone_number, u.us_totp_secrets, u.us_phone_number, u.fs_webauthn_user_handle, u.mf_recovery_codes, "
                + dialect.selectTimestamp("u.create_datetime", "create_datetime") + ", "
                + dialect.selectTimestamp("u.update_datetime", "update_datetime");
        this.roleColumns = "r.id AS role_id, r.name AS role_name, r.description AS role_description, "
                + "r.permissions AS role_permissions, " + dialect.selectTimestamp("r.update_datetime", "role_update_datetime");
    }

    /**
     * A datastore over {@code dataSource}, timestamps from the system clock. The schema is not
     * touched; call {@link #migrate()} unless it is known to be current.
     *
     * @throws IllegalArgumentException if the database is not one of the supported ones
     * @throws IllegalStateException    if no connection can be opened
     */
    public static JdbcUserDatastore create(DataSource dataSource) {
        return create(dataSource, Clock.systemUTC());
    }

    /**
     * A datastore over {@code dataSource} that takes {@code create_datetime} and
     * {@code update_datetime} from {@code clock}. The schema is not touched.
     *
     * @throws IllegalArgumentException if the database is not one of the supported ones
     * @throws IllegalStateException    if no connection can be opened
     */
    public static JdbcUserDatastore create(DataSource dataSource, Clock clock) {
        return new JdbcUserDatastore(dataSource, null, clock);
    }

    /**
     * Opens a HikariCP pool for {@code jdbcUrl}, migrates the schema and returns a datastore that
     * closes the pool in {@link #close()}. {@code username} and {@code password} may be null
     * (H2, SQLite).
     *
     * <p>For SQLite files it turns on WAL (readers do not wait for the writer, as in the
     * Flask-Security reference app) and a 10 s busy timeout unless the URL sets them. An in-memory
     * H2 URL needs {@code ;DB_CLOSE_DELAY=-1}, or the database vanishes whenever the pool has no
     * open connection.
     */
    public static JdbcUserDatastore forUrl(String jdbcUrl, String username, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        config.setUsername(username);
        config.setPassword(password);
        config.setPoolName("gatehouse");
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            // sqlite-jdbc applies driver properties of these names as pragmas on every connection.
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            if (!lower.contains("journal_mode") && !lower.contains(":memory:") && !lower.contains("mode=memory")) {
                config.addDataSourceProperty("journal_mode", "WAL");
            }
            if (!lower.contains("busy_timeout")) {
                config.addDataSourceProperty("busy_timeout", "10000");
            }
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            return new JdbcUserDatastore(pool, pool, Clock.systemUTC()).migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Creates the schema in an empty database, or brings an existing one up to date. An existing
     * Flask-Security (fsqla v3) database is adopted as it is: its tables and rows stay, only
     * indexes (and on H2/MariaDB/MySQL computed lower-case columns) are added. Flyway records what
     * ran in the table {@code gatehouse_schema_history}.
     *
     * @return this datastore, for chaining
     * @throws IllegalStateException if a {@code user} table exists but is not fsqla v3
     */
    public JdbcUserDatastore migrate() {
        SchemaMigrator.migrate(dataSource, dialect);
        return this;
    }

    /** Closes the connection pool if {@link #forUrl} made it; a given DataSource is left open. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (unitOfWork.get() != null) {
            return work.get();
        }
        try (Handle handle = jdbi.open()) {
            unitOfWork.set(handle);
            try {
                return handle.inTransaction(h -> {
                    if (dialect == Dialect.SQLITE) {
                        takeSqliteWriteLock(h);
                    }
                    return work.get();
                });
            } finally {
                unitOfWork.remove();
            }
        }
    }

    /**
     * sqlite-jdbc starts transactions DEFERRED unless told otherwise: two units of work that both
     * read and then write deadlock on the lock upgrade, and SQLite fails one of them at once with
     * SQLITE_BUSY (the busy timeout does not apply to that case). A write statement that touches no
     * row takes the RESERVED lock before anything is read, so units of work queue instead.
     */
    private static void takeSqliteWriteLock(Handle h) {
        h.execute("DELETE FROM roles_users WHERE 0 = 1");
    }

    private <T> T read(Function<Handle, T> work) {
        Handle current = unitOfWork.get();
        if (current != null) {
            return work.apply(current);
        }
        try (Handle handle = jdbi.open()) {
            return work.apply(handle);
        }
    }

    /**
     * Runs one datastore method as a write. When it is its own transaction, a deadlock or
     * serialization failure is retried: InnoDB picks deadlock victims among concurrent inserts of
     * the same unique key and rolls their whole transaction back, and only a fresh attempt can then
     * see the winner and answer "already exists". Inside a caller's unit of work nothing can be
     * retried (the caller's earlier writes are gone too), so the failure propagates to the caller.
     */
    private <T> T write(Function<Handle, T> work) {
        if (unitOfWork.get() != null) {
            return work.apply(unitOfWork.get());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(() -> work.apply(unitOfWork.get()));
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransactionRollback(e)) {
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

    // SQLState class 40 (transaction rollback): 40001 serialization failure / InnoDB and H2
    // deadlock, 40P01 PostgreSQL deadlock.
    private static boolean isTransactionRollback(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- users

    @Override
    public Optional<User> findUserByIdentity(String attribute, String value) {
        Objects.requireNonNull(attribute, "attribute");
        String condition = dialect.identityMatch(attribute);
        if (value == null) {
            return Optional.empty();
        }
        return read(h -> selectUsers(h, condition, q -> q.bind("value", value)).stream().findFirst());
    }

    @Override
    public Optional<User> findUserByUniquifier(String fsUniquifier) {
        if (fsUniquifier == null) {
            return Optional.empty();
        }
        return read(h -> selectUsers(h, "u.fs_uniquifier = :value", q -> q.bind("value", fsUniquifier)).stream().findFirst());
    }

    @Override
    public Optional<User> findUserById(long id) {
        return read(h -> userById(h, id));
    }

    @Override
    public CreateResult createUser(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() != null) {
            throw new IllegalArgumentException("a new user has no id yet; use updateUser for stored users");
        }
        return write(h -> {
            Optional<String> taken = findConflict(h, user, null, false);
            if (taken.isPresent()) {
                return new CreateResult.AlreadyExists(taken.get());
            }
            List<Role> roles = resolveRoles(h, user.roles());
            // Flask-Security's create_user fills the WebAuthn handle when the column exists.
            User toInsert = user.fsWebauthnUserHandle() != null ? user
                    : user.toBuilder().fsWebauthnUserHandle(Uniquifiers.newUniquifier()).build();
            Instant now = clock.instant();
            h.savepoint(SAVEPOINT);
            try {
                Update insert = h.createUpdate("INSERT INTO " + userTable + " (email, username, password, active, fs_uniquifier, "
                        + "confirmed_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count, "
                        + "tf_primary_method, tf_totp_secret, tf_phone_number, us_totp_secrets, us_phone_number, "
                        + "fs_webauthn_user_handle, mf_recovery_codes, create_datetime, update_datetime) VALUES (:email, "
                        + ":username, :password, :active, :fs_uniquifier, :confirmed_at, :last_login_at, :current_login_at, "
                        + ":last_login_ip, :current_login_ip, :login_count, :tf_primary_method, :tf_totp_secret, "
                        + ":tf_phone_number, :us_totp_secrets, :us_phone_number, :fs_webauthn_user_handle, "
                        + ":mf_recovery_codes, :create_datetime, :update_datetime)");
                bindUserFields(insert, toInsert);
                insert.bind("create_datetime", instant(user.createDatetime() != null ? user.createDatetime() : now))
                        .bind("update_datetime", instant(now))
                        .execute();
                long id = h.createQuery("SELECT u.id FROM " + userTable + " u WHERE u.fs_uniquifier = :value")
                        .bind("value", user.fsUniquifier())
                        .mapTo(Long.class)
                        .one();
                for (Role role : roles) {
                    h.createUpdate("INSERT INTO roles_users (user_id, role_id) VALUES (:user_id, :role_id)")
                            .bind("user_id", id)
                            .bind("role_id", role.id())
                            .execute();
                }
                h.releaseSavepoint(SAVEPOINT);
                return new CreateResult.Created(userById(h, id).orElseThrow());
            } catch (RuntimeException e) {
                SQLException unique = uniqueViolation(e).orElseThrow(() -> e);
                h.rollbackToSavepoint(SAVEPOINT); // Jdbi forgets the savepoint here; no release
                // Lost a race against a concurrent creation (the pre-check saw nothing): name the
                // attribute from the now visible winner, or else from the violated index.
                String attribute = findConflict(h, toInsert, null, true)
                        .or(() -> attributeOf(unique))
                        .orElseThrow(() -> e);
                return new CreateResult.AlreadyExists(attribute);
            }
        });
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        long id = storedId(user);
        return write(h -> {
            StringBuilder sql = new StringBuilder("UPDATE ").append(userTable).append(" SET email = :email, ")
                    .append("username = :username, password = :password, active = :active, fs_uniquifier = :fs_uniquifier, ")
                    .append("confirmed_at = :confirmed_at, last_login_at = :last_login_at, current_login_at = :current_login_at, ")
                    .append("last_login_ip = :last_login_ip, current_login_ip = :current_login_ip, login_count = :login_count, ")
                    .append("tf_primary_method = :tf_primary_method, tf_totp_secret = :tf_totp_secret, ")
                    .append("tf_phone_number = :tf_phone_number, us_totp_secrets = :us_totp_secrets, ")
                    .append("us_phone_number = :us_phone_number, fs_webauthn_user_handle = :fs_webauthn_user_handle, ")
                    .append("mf_recovery_codes = :mf_recovery_codes, update_datetime = :update_datetime");
            // The column is NOT NULL: a user value without it keeps what is stored.
            if (user.createDatetime() != null) {
                sql.append(", create_datetime = :create_datetime");
            }
            sql.append(" WHERE id = :id");
            h.savepoint(SAVEPOINT);
            int rows;
            try {
                Update update = h.createUpdate(sql.toString());
                bindUserFields(update, user);
                if (user.createDatetime() != null) {
                    update.bind("create_datetime", instant(user.createDatetime()));
                }
                rows = update.bind("update_datetime", instant(clock.instant())).bind("id", id).execute();
                h.releaseSavepoint(SAVEPOINT);
            } catch (RuntimeException e) {
                SQLException unique = uniqueViolation(e).orElseThrow(() -> e);
                h.rollbackToSavepoint(SAVEPOINT); // Jdbi forgets the savepoint here; no release
                String attribute = findConflict(h, user, id, true).or(() -> attributeOf(unique)).orElse("a unique attribute");
                throw new IllegalStateException(attribute + " belongs to another account", e);
            }
            if (rows == 0) {
                throw new IllegalArgumentException("no such user: " + id);
            }
            return userById(h, id).orElseThrow();
        });
    }

    @Override
    public boolean deleteUser(User user) {
        long id = storedId(user);
        return write(h -> {
            h.createUpdate("DELETE FROM roles_users WHERE user_id = :id").bind("id", id).execute();
            // Flask-Security's WebAuthn credentials point at the user; on SQLite (foreign keys
            // off) nothing cascades, and a reused rowid would hand them to the next new user.
            if (tableExists(h, "webauthn")) {
                h.createUpdate("DELETE FROM webauthn WHERE user_id = :id").bind("id", id).execute();
            }
            return h.createUpdate("DELETE FROM " + userTable + " WHERE id = :id").bind("id", id).execute() > 0;
        });
    }

    // ---------------------------------------------------------------- roles

    @Override
    public Optional<Role> findRole(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return read(h -> roleByName(h, name));
    }

    @Override
    public Role createRole(Role role) {
        Objects.requireNonNull(role, "role");
        return write(h -> {
            if (roleByName(h, role.name()).isPresent()) {
                throw new IllegalStateException("role exists: " + role.name());
            }
            h.savepoint(SAVEPOINT);
            try {
                h.createUpdate("INSERT INTO role (name, description, permissions, update_datetime) "
                                + "VALUES (:name, :description, :permissions, :update_datetime)")
                        .bind("name", role.name())
                        .bind("description", role.description())
                        .bind("permissions", Role.formatPermissions(role.permissions()))
                        .bind("update_datetime", instant(clock.instant()))
                        .execute();
                h.releaseSavepoint(SAVEPOINT);
            } catch (RuntimeException e) {
                uniqueViolation(e).orElseThrow(() -> e);
                h.rollbackToSavepoint(SAVEPOINT); // Jdbi forgets the savepoint here; no release
                throw new IllegalStateException("role exists: " + role.name(), e);
            }
            return roleByName(h, role.name()).orElseThrow();
        });
    }

    @Override
    public boolean addRoleToUser(User user, String roleName) {
        long userId = storedId(user);
        return write(h -> {
            Role role = roleByName(h, roleName).orElseThrow(() -> new IllegalArgumentException("no such role: " + roleName));
            boolean userExists = h.createQuery("SELECT COUNT(*) FROM " + userTable + " WHERE id = :id")
                    .bind("id", userId).mapTo(Long.class).one() > 0;
            if (!userExists) {
                throw new IllegalArgumentException("no such user: " + userId);
            }
            boolean linked = h.createQuery("SELECT COUNT(*) FROM roles_users WHERE user_id = :user_id AND role_id = :role_id")
                    .bind("user_id", userId).bind("role_id", role.id()).mapTo(Long.class).one() > 0;
            if (linked) {
                return false;
            }
            h.createUpdate("INSERT INTO roles_users (user_id, role_id) VALUES (:user_id, :role_id)")
                    .bind("user_id", userId).bind("role_id", role.id()).execute();
            return true;
        });
    }

    @Override
    public boolean removeRoleFromUser(User user, String roleName) {
        long userId = storedId(user);
        return write(h -> roleByName(h, roleName)
                .map(role -> h.createUpdate("DELETE FROM roles_users WHERE user_id = :user_id AND role_id = :role_id")
                        .bind("user_id", userId).bind("role_id", role.id()).execute() > 0)
                .orElse(false));
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
        return write(h -> roleByName(h, roleName).map(role -> {
            Set<String> next = change.apply(role.permissions());
            if (!next.equals(role.permissions())) {
                h.createUpdate("UPDATE role SET permissions = :permissions, update_datetime = :update_datetime WHERE id = :id")
                        .bind("permissions", Role.formatPermissions(next))
                        .bind("update_datetime", instant(clock.instant()))
                        .bind("id", role.id())
                        .execute();
            }
            return true;
        }).orElse(false));
    }

    // ---------------------------------------------------------------- recovery codes

    /**
     * Removes the code with a conditional write: the new list is stored only if the column still
     * holds what was read, so of two concurrent uses of one code exactly one succeeds, on every
     * database and isolation level, without a locking read.
     */
    @Override
    public boolean mfDeleteRecoveryCode(User user, String storedCode) {
        Objects.requireNonNull(storedCode, "storedCode");
        long id = storedId(user);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Boolean> outcome = write(h -> {
                Optional<String> column = h.createQuery("SELECT u.mf_recovery_codes FROM " + userTable + " u WHERE u.id = :id")
                        .bind("id", id).mapTo(String.class).findFirst();
                List<String> codes = new ArrayList<>(parseList(column.orElse(null)));
                if (column.isEmpty() || !codes.remove(storedCode)) {
                    return Optional.of(false);
                }
                int rows = h.createUpdate("UPDATE " + userTable + " SET mf_recovery_codes = :next, update_datetime = :now"
                                + " WHERE id = :id AND mf_recovery_codes = :current")
                        .bind("next", formatList(codes))
                        .bind("now", instant(clock.instant()))
                        .bind("id", id)
                        .bind("current", column.get())
                        .execute();
                return rows == 1 ? Optional.of(true) : Optional.<Boolean>empty();
            });
            if (outcome.isPresent()) {
                return outcome.get();
            }
            // Someone changed the codes between our read and write: read again.
        }
        return false;
    }

    // ---------------------------------------------------------------- counters

    private static final String COUNTER_TABLE = "gatehouse_counter";

    @Override
    public OptionalLong findCounter(String name, Instant now) {
        checkCounterName(name);
        Optional<Long> v = read(h -> h.createQuery("SELECT counter_value FROM " + COUNTER_TABLE
                        + " WHERE name = :name AND expires_at > :now")
                .bind("name", name).bind("now", now.toEpochMilli()).mapTo(Long.class).findFirst());
        return v.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public boolean advanceCounter(String name, long value, Instant expiresAt, Instant now) {
        checkCounterName(name);
        return write(h -> {
            // A conditional UPDATE is atomic everywhere; only a missing row needs the INSERT path.
            String update = "UPDATE " + COUNTER_TABLE + " SET counter_value = :value, expires_at = :expires"
                    + " WHERE name = :name AND (counter_value < :value OR expires_at <= :now)";
            if (counterUpdate(h, update, name, value, expiresAt, now) == 1) {
                return true;
            }
            if (insertCounter(h, name, value, expiresAt, now)) {
                return true;
            }
            // The row exists (perhaps inserted concurrently just now): one more conditional try.
            return counterUpdate(h, update, name, value, expiresAt, now) == 1;
        });
    }

    @Override
    public long incrementCounter(String name, Instant expiresAt, Instant now) {
        checkCounterName(name);
        return write(h -> {
            String update = "UPDATE " + COUNTER_TABLE + " SET"
                    + " counter_value = CASE WHEN expires_at <= :now THEN 1 ELSE counter_value + 1 END,"
                    + " expires_at = CASE WHEN expires_at <= :now THEN :expires ELSE expires_at END"
                    + " WHERE name = :name";
            if (counterUpdate(h, update, name, 0, expiresAt, now) == 0 && !insertCounter(h, name, 1, expiresAt, now)) {
                counterUpdate(h, update, name, 0, expiresAt, now);
            }
            // Our UPDATE or INSERT holds the row's write lock until commit, so this reads our value.
            return h.createQuery("SELECT counter_value FROM " + COUNTER_TABLE + " WHERE name = :name")
                    .bind("name", name).mapTo(Long.class).one();
        });
    }

    private static int counterUpdate(Handle h, String sql, String name, long value, Instant expiresAt, Instant now) {
        Update u = h.createUpdate(sql).bind("name", name).bind("expires", expiresAt.toEpochMilli())
                .bind("now", now.toEpochMilli());
        if (sql.contains(":value")) {
            u.bind("value", value);
        }
        return u.execute();
    }

    /** Inserts a new counter row; false when a row of that name exists (the unique key says so). */
    private boolean insertCounter(Handle h, String name, long value, Instant expiresAt, Instant now) {
        if (ThreadLocalRandom.current().nextInt(64) == 0) {
            // Expired rows are dead weight; clearing them now and then keeps the table small.
            h.createUpdate("DELETE FROM " + COUNTER_TABLE + " WHERE expires_at <= :now")
                    .bind("now", now.toEpochMilli()).execute();
        }
        h.savepoint(SAVEPOINT);
        try {
            h.createUpdate("INSERT INTO " + COUNTER_TABLE + " (name, counter_value, expires_at) VALUES (:name, :value, :expires)")
                    .bind("name", name).bind("value", value).bind("expires", expiresAt.toEpochMilli()).execute();
            h.releaseSavepoint(SAVEPOINT);
            return true;
        } catch (RuntimeException e) {
            uniqueViolation(e).orElseThrow(() -> e);
            h.rollbackToSavepoint(SAVEPOINT); // Jdbi forgets the savepoint here; no release
            return false;
        }
    }

    private static void checkCounterName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 191) {
            throw new IllegalArgumentException("a counter name has 1 to 191 characters");
        }
    }

    // ---------------------------------------------------------------- package-private, for tests

    /** The dialect in use. */
    Dialect dialect() {
        return dialect;
    }

    /** The statement a case-insensitive identity lookup runs (its plan is checked in tests). */
    String identityLookupSql(String attribute) {
        return userSelect(dialect.identityMatch(attribute));
    }

    // ---------------------------------------------------------------- internals

    private String userSelect(String condition) {
        // One statement brings the user and its roles: no second round trip, no N+1.
        return "SELECT " + userColumns + ", " + roleColumns + " FROM " + userTable + " u"
                + " LEFT JOIN roles_users ru ON ru.user_id = u.id"
                + " LEFT JOIN role r ON r.id = ru.role_id"
                + " WHERE " + condition;
    }

    private Optional<User> userById(Handle h, long id) {
        return selectUsers(h, "u.id = :value", q -> q.bind("value", id)).stream().findFirst();
    }

    private List<User> selectUsers(Handle h, String condition, Function<Query, Query> binder) {
        Map<Long, UserRows> byId = binder.apply(h.createQuery(userSelect(condition)))
                .reduceResultSet(new LinkedHashMap<>(), (acc, rs, ctx) -> {
                    long id = rs.getLong("id");
                    UserRows rows = acc.get(id);
                    if (rows == null) {
                        rows = new UserRows(readUser(rs));
                        acc.put(id, rows);
                    }
                    long roleId = rs.getLong("role_id");
                    // A link row may be duplicated (fsqla has no key on roles_users) or dangle.
                    if (!rs.wasNull() && !rows.roles.containsKey(roleId)) {
                        rows.roles.put(roleId, readRole(rs, "role_"));
                    }
                    return acc;
                });
        return byId.values().stream()
                .map(r -> r.user.roles(r.roles.values().stream()
                        .sorted((a, b) -> a.name().compareTo(b.name())).collect(Collectors.toList())).build())
                .collect(Collectors.toList());
    }

    /** A user being assembled from one row per role. */
    private static final class UserRows {
        final User.Builder user;
        final Map<Long, Role> roles = new LinkedHashMap<>();

        UserRows(User.Builder user) {
            this.user = user;
        }
    }

    private User.Builder readUser(ResultSet rs) throws SQLException {
        return User.builder(rs.getString("email"), rs.getString("fs_uniquifier"))
                .id(rs.getLong("id"))
                .username(rs.getString("username"))
                .password(rs.getString("password"))
                .active(rs.getBoolean("active"))
                .confirmedAt(dialect.readInstant(rs, "confirmed_at"))
                .lastLoginAt(dialect.readInstant(rs, "last_login_at"))
                .currentLoginAt(dialect.readInstant(rs, "current_login_at"))
                .lastLoginIp(rs.getString("last_login_ip"))
                .currentLoginIp(rs.getString("current_login_ip"))
                .loginCount(nullableInt(rs, "login_count"))
                .tfPrimaryMethod(rs.getString("tf_primary_method"))
                .tfTotpSecret(rs.getString("tf_totp_secret"))
                .tfPhoneNumber(rs.getString("tf_phone_number"))
                .usTotpSecrets(rs.getString("us_totp_secrets"))
                .usPhoneNumber(rs.getString("us_phone_number"))
                .fsWebauthnUserHandle(rs.getString("fs_webauthn_user_handle"))
                .mfRecoveryCodes(parseList(rs.getString("mf_recovery_codes")))
                .createDatetime(dialect.readInstant(rs, "create_datetime"))
                .updateDatetime(dialect.readInstant(rs, "update_datetime"));
    }

    private Role readRole(ResultSet rs, String prefix) throws SQLException {
        return new Role(rs.getLong(prefix + "id"), rs.getString(prefix + "name"), rs.getString(prefix + "description"),
                Role.parsePermissions(rs.getString(prefix + "permissions")), dialect.readInstant(rs, prefix + "update_datetime"));
    }

    private Optional<Role> roleByName(Handle h, String name) {
        return h.createQuery("SELECT " + roleColumns + " FROM role r WHERE r.name = :name")
                .bind("name", name)
                .map((rs, ctx) -> readRole(rs, "role_"))
                .findOne();
    }

    private List<Role> resolveRoles(Handle h, List<Role> wanted) {
        Map<String, Role> byName = new LinkedHashMap<>();
        for (Role r : wanted) {
            if (!byName.containsKey(r.name())) {
                byName.put(r.name(), roleByName(h, r.name())
                        .orElseThrow(() -> new IllegalArgumentException("no such role: " + r.name())));
            }
        }
        return new ArrayList<>(byName.values());
    }

    private void bindUserFields(Update u, User user) {
        u.bind("email", user.email())
                .bind("username", user.username())
                .bind("password", user.password())
                .bind("active", user.active())
                .bind("fs_uniquifier", user.fsUniquifier())
                .bind("confirmed_at", instant(user.confirmedAt()))
                .bind("last_login_at", instant(user.lastLoginAt()))
                .bind("current_login_at", instant(user.currentLoginAt()))
                .bind("last_login_ip", user.lastLoginIp())
                .bind("current_login_ip", user.currentLoginIp())
                .bind("login_count", user.loginCount())
                .bind("tf_primary_method", user.tfPrimaryMethod())
                .bind("tf_totp_secret", user.tfTotpSecret())
                .bind("tf_phone_number", user.tfPhoneNumber())
                .bind("us_totp_secrets", user.usTotpSecrets())
                .bind("us_phone_number", user.usPhoneNumber())
                .bind("fs_webauthn_user_handle", user.fsWebauthnUserHandle())
                .bind("mf_recovery_codes", formatList(user.mfRecoveryCodes()));
    }

    private Argument instant(Instant value) {
        return (position, statement, ctx) -> dialect.bindInstant(statement, position, value);
    }

    /**
     * The first unique attribute of {@code user} that another account holds, checked in the order
     * a person would fix them. {@code locking} re-reads committed rows after a lost race.
     */
    private Optional<String> findConflict(Handle h, User user, Long excludeId, boolean locking) {
        List<String[]> checks = new ArrayList<>();
        checks.add(new String[] {"email", dialect.identityMatch("email"), user.email()});
        checks.add(new String[] {"username", dialect.identityMatch("username"), user.username()});
        checks.add(new String[] {"fs_uniquifier", "u.fs_uniquifier = :value", user.fsUniquifier()});
        checks.add(new String[] {"us_phone_number", "u.us_phone_number = :value", user.usPhoneNumber()});
        checks.add(new String[] {"fs_webauthn_user_handle", "u.fs_webauthn_user_handle = :value", user.fsWebauthnUserHandle()});
        for (String[] check : checks) {
            if (check[2] == null) {
                continue;
            }
            String sql = "SELECT u.id FROM " + userTable + " u WHERE " + check[1]
                    + (excludeId != null ? " AND u.id <> :self" : "")
                    + (locking ? dialect.lockingReadSuffix() : "");
            Query q = h.createQuery(sql).bind("value", check[2]);
            if (excludeId != null) {
                q.bind("self", excludeId);
            }
            if (q.mapTo(Long.class).findFirst().isPresent()) {
                return Optional.of(check[0]);
            }
        }
        return Optional.empty();
    }

    private Optional<SQLException> uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /** Names the attribute from the violated index or constraint, for indexes of any naming. */
    private Optional<String> attributeOf(SQLException e) {
        String key = dialect.violatedKey(e).orElse("").toLowerCase(Locale.ROOT);
        // Most specific first: "fs_webauthn_user_handle" also contains "user".
        for (String[] probe : new String[][] {
                {"webauthn", "fs_webauthn_user_handle"}, {"phone", "us_phone_number"},
                {"uniquifier", "fs_uniquifier"}, {"username", "username"}, {"email", "email"}}) {
            if (key.contains(probe[0])) {
                return Optional.of(probe[1]);
            }
        }
        return Optional.empty();
    }

    private boolean tableExists(Handle h, String table) {
        try {
            return SchemaMigrator.tableExists(h.getConnection(), table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's table list", e);
        }
    }

    private static long storedId(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() == null) {
            throw new IllegalArgumentException("user has not been stored");
        }
        return user.id();
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    // Flask-Security's AsaList: comma-joined text, NULL for none.
    private static String formatList(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    private static List<String> parseList(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return Arrays.stream(column.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
}

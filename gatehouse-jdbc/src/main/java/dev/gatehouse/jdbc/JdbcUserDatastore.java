package dev.gatehouse.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.RefreshTracker;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.account.WebAuthnCredential;
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
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
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
    private static final String UNIT_OF_WORK_SAVEPOINT = "gatehouse_unit_of_work";
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final String userTable;
    private final String userColumns;
    private final String roleColumns;
    // Column positions in userSelect's result by label: rows are read by position, because drivers
    // resolve a column label per result set (H2 builds a map of all labels for each one), which
    // cost more than the rest of a user lookup.
    private final Map<String, Integer> userSelectColumns;
    // One handle per thread while a unit of work runs there. Per instance, so two datastores never
    // share a transaction by accident.
    private final ThreadLocal<Handle> unitOfWork = new ThreadLocal<>();
    // The application's transaction, when the datastore joins it (null: always its own transactions).
    private final ApplicationConnection applicationConnection;
    private final Jdbi applicationJdbi;
    private final ThreadLocal<Connection> handover = new ThreadLocal<>();
    private final FsqlaSchema schema;

    private JdbcUserDatastore(DataSource dataSource, HikariDataSource ownedPool, Clock clock) {
        this(dataSource, ownedPool, clock, null);
    }

    private JdbcUserDatastore(DataSource dataSource, HikariDataSource ownedPool, Clock clock,
                              ApplicationConnection applicationConnection) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.ownedPool = ownedPool;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.applicationConnection = applicationConnection;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database", e);
        }
        this.schema = FsqlaSchema.of(dialect);
        this.jdbi = configure(Jdbi.create(dataSource));
        // Handles on the application's connection: closing them must neither close the connection
        // nor end the application's transaction.
        this.applicationJdbi = configure(Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return handover.get();
            }

            @Override
            public void closeConnection(Connection connection) {
                // the application's
            }
        }));
        applicationJdbi.getConfig(Handles.class).setForceEndTransactions(false);
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
        this.userSelectColumns = positions(userColumns + ", " + roleColumns);
    }

    /** Label to 1-based position for a select list such as {@code u.id, CAST(u.x AS CHAR) AS x, r.id AS role_id}. */
    private static Map<String, Integer> positions(String selectList) {
        Map<String, Integer> m = new java.util.HashMap<>();
        String[] items = selectList.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int as = item.toUpperCase(Locale.ROOT).lastIndexOf(" AS ");
            String label = as >= 0 ? item.substring(as + 4).strip() : item.substring(item.lastIndexOf('.') + 1);
            if (m.put(label.toLowerCase(Locale.ROOT), i + 1) != null) {
                throw new IllegalStateException("duplicate column label " + label);
            }
        }
        return Map.copyOf(m);
    }

    private static Jdbi configure(Jdbi jdbi) {
        // Jdbi puts bound values into exception messages by default; here those are password
        // hashes and TOTP secrets, which must not end up in logs. The SQL text is enough.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> e.getStatementContext() == null
                ? e.getShortMessage()
                : e.getShortMessage() + " [statement: \"" + e.getStatementContext().getRawSql() + "\"]");
        return jdbi;
    }

    /**
     * The same datastore working inside the application's transactions: whenever
     * {@code current} returns a connection (the one of the application's transaction on the calling
     * thread), every read and write runs on it and commits or rolls back with the application's
     * work; Gatehouse never commits, rolls back or closes it. A failed {@link #inTransaction} rolls
     * back to a savepoint taken when it started, so only its own writes are undone and the
     * application's transaction stays usable. When {@code current} returns null the datastore uses
     * connections and transactions of its own from the DataSource, as before.
     *
     * <p>Spring: {@code () -> TransactionSynchronizationManager.isActualTransactionActive() ?
     * DataSourceUtils.getConnection(dataSource) : null}. jOOQ, MyBatis, plain JDBC: whatever gives
     * the thread's transactional connection (see the README's "Datastores" section).
     *
     * @throws IllegalStateException at use, if the connection handed over is in auto-commit mode
     */
    public JdbcUserDatastore joining(ApplicationConnection current) {
        return new JdbcUserDatastore(dataSource, null, clock, Objects.requireNonNull(current, "current"));
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
        HikariDataSource pool = pooledDataSource(jdbcUrl, username, password);
        try {
            return new JdbcUserDatastore(pool, pool, Clock.systemUTC()).migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The HikariCP pool that {@link #forUrl} opens, for other datastores on the same database (the
     * JPA one) or an application's own use: on SQLite files with WAL and a 10 s busy timeout unless
     * the URL sets them. The caller closes it.
     */
    public static HikariDataSource pooledDataSource(String jdbcUrl, String username, String password) {
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
        return new HikariDataSource(config);
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
        Connection application = applicationConnection();
        if (application != null) {
            return onApplicationConnection(application, h -> {
                h.savepoint(UNIT_OF_WORK_SAVEPOINT);
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException | Error e) {
                    h.rollbackToSavepoint(UNIT_OF_WORK_SAVEPOINT);
                    throw e;
                }
                h.releaseSavepoint(UNIT_OF_WORK_SAVEPOINT);
                return result;
            });
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

    /** The application's transactional connection on this thread, or null. */
    private Connection applicationConnection() {
        if (applicationConnection == null) {
            return null;
        }
        try {
            Connection c = applicationConnection.current();
            if (c != null && c.getAutoCommit()) {
                throw new IllegalStateException("the application's connection is in auto-commit mode, not in a transaction;"
                        + " hand over null when no transaction is active");
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot get the application's connection", e);
        }
    }

    /** Runs {@code work} on the application's connection, as this thread's unit of work. */
    private <T> T onApplicationConnection(Connection connection, Function<Handle, T> work) {
        handover.set(connection);
        try (Handle handle = applicationJdbi.open()) {
            handover.remove();
            unitOfWork.set(handle);
            try {
                return work.apply(handle);
            } finally {
                unitOfWork.remove();
            }
        } finally {
            handover.remove();
        }
    }

    /** JDBC work on a connection. */
    @FunctionalInterface
    private interface ConnectionWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Like {@link #read}, for plain JDBC: the unit of work's (or the application's) connection when
     * there is one, else a pooled connection of its own without opening a Jdbi handle.
     */
    private <T> T readConnection(ConnectionWork<T> work) {
        if (unitOfWork.get() != null || applicationConnection() != null) {
            return read(h -> {
                try {
                    return work.apply(h.getConnection());
                } catch (SQLException e) {
                    throw new IllegalStateException("reading failed", e);
                }
            });
        }
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.apply(c);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback(); // a read-only transaction; end it as a Jdbi handle would
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading failed", e);
        }
    }

    private <T> T read(Function<Handle, T> work) {
        Handle current = unitOfWork.get();
        if (current != null) {
            return work.apply(current);
        }
        Connection application = applicationConnection();
        if (application != null) {
            return onApplicationConnection(application, work);
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
        Connection application = applicationConnection();
        if (application != null) {
            return onApplicationConnection(application, work);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(() -> work.apply(unitOfWork.get()));
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !FsqlaSchema.isTransactionRollback(e)) {
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

    // ---------------------------------------------------------------- users

    @Override
    public Optional<User> findUserByIdentity(String attribute, String value) {
        Objects.requireNonNull(attribute, "attribute");
        String condition = dialect.identityMatch(attribute);
        if (value == null) {
            return Optional.empty();
        }
        return readConnection(c -> selectUsers(c, condition, value).stream().findFirst());
    }

    @Override
    public Optional<User> findUserByUniquifier(String fsUniquifier) {
        if (fsUniquifier == null) {
            return Optional.empty();
        }
        return readConnection(c -> selectUsers(c, "u.fs_uniquifier = :value", fsUniquifier).stream().findFirst());
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
            // Flask-Security's WebAuthn credentials and refresh trackers point at the user; on
            // SQLite (foreign keys off) nothing cascades, and a reused rowid would hand them to the
            // next new user.
            sql(() -> {
                schema.deleteUserCredentials(h.getConnection(), id);
                return null;
            });
            return h.createUpdate("DELETE FROM " + userTable + " WHERE id = :id").bind("id", id).execute() > 0;
        });
    }

    /**
     * Records a login with one UPDATE that the database computes from the row as it is (see
     * {@link FsqlaSchema#trackLogin}): concurrent logins lose no count and no login time, where the
     * interface's read-then-write default would.
     */
    @Override
    public User trackLogin(User user, Instant now, String remoteAddress) {
        long id = storedId(user);
        return write(h -> {
            int rows;
            try {
                rows = schema.trackLogin(h.getConnection(), id, now, remoteAddress, clock.instant());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the login", e);
            }
            if (rows == 0) {
                throw new IllegalArgumentException("no such user: " + id);
            }
            return userById(h, id).orElseThrow();
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
            // Locking the user's row serializes concurrent role changes of one user: without it two
            // of them could both see the link missing and insert it twice (roles_users has no key).
            boolean userExists = h.createQuery("SELECT id FROM " + userTable + " WHERE id = :id" + dialect.forUpdateSuffix())
                    .bind("id", userId).mapTo(Long.class).findFirst().isPresent();
            if (!userExists) {
                throw new IllegalArgumentException("no such user: " + userId);
            }
            // A locking read: under InnoDB's REPEATABLE READ a plain one would answer from the
            // snapshot taken before the lock was granted and miss a link committed meanwhile.
            boolean linked = h.createQuery("SELECT COUNT(*) FROM roles_users WHERE user_id = :user_id AND role_id = :role_id"
                            + dialect.lockingReadSuffix())
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
        // Read, change and write the list under the role row's lock: concurrent changes queue
        // instead of overwriting each other.
        return write(h -> lockedRoleByName(h, roleName).map(role -> {
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

    // ---------------------------------------------------------------- recovery codes and counters

    /** Removes the code with a conditional write (see {@link FsqlaSchema#deleteRecoveryCode}). */
    @Override
    public boolean mfDeleteRecoveryCode(User user, String storedCode) {
        Objects.requireNonNull(storedCode, "storedCode");
        long id = storedId(user);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Boolean> outcome = write(h -> sql(() -> schema.deleteRecoveryCode(h.getConnection(), id, storedCode,
                    clock.instant())));
            if (outcome.isPresent()) {
                return outcome.get();
            }
        }
        return false;
    }

    @Override
    public OptionalLong findCounter(String name, Instant now) {
        return read(h -> sql(() -> schema.findCounter(h.getConnection(), name, now)));
    }

    @Override
    public boolean advanceCounter(String name, long value, Instant expiresAt, Instant now) {
        return write(h -> sql(() -> schema.advanceCounter(h.getConnection(), name, value, expiresAt, now)));
    }

    @Override
    public long incrementCounter(String name, Instant expiresAt, Instant now) {
        return write(h -> sql(() -> schema.incrementCounter(h.getConnection(), name, expiresAt, now)));
    }

    // ---------------------------------------------------------------- WebAuthn credentials and refresh trackers
    // (SQL in FsqlaSchema, shared with the JPA datastore)

    @Override
    public boolean supportsCredentialTables() {
        return true;
    }

    @Override
    public WebAuthnCredential createWebauthn(User user, byte[] credentialId, byte[] publicKey, String name, long signCount,
                                             String usage, String deviceType, boolean backupState,
                                             List<String> transports, String extensions, Instant now) {
        long id = storedId(user);
        return write(h -> sql(() -> schema.createWebauthn(h.getConnection(), id, credentialId, publicKey, name, signCount,
                usage, deviceType, backupState, transports, extensions, now)));
    }

    @Override
    public Optional<WebAuthnCredential> findWebauthn(byte[] credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        return read(h -> sql(() -> schema.findWebauthn(h.getConnection(), credentialId)));
    }

    @Override
    public List<WebAuthnCredential> findWebauthns(User user) {
        long id = storedId(user);
        return read(h -> sql(() -> schema.findWebauthns(h.getConnection(), id)));
    }

    @Override
    public Optional<WebAuthnCredential> recordWebauthnUse(WebAuthnCredential credential, long signCount, boolean backupState,
                                                          Instant now) {
        long id = storedId(credential);
        return write(h -> sql(() -> schema.recordWebauthnUse(h.getConnection(), id, signCount, backupState, now)));
    }

    @Override
    public boolean deleteWebauthn(WebAuthnCredential credential) {
        long id = storedId(credential);
        return write(h -> sql(() -> schema.deleteWebauthn(h.getConnection(), id)));
    }

    @Override
    public int webauthnReset(User user) {
        long id = storedId(user);
        return write(h -> sql(() -> schema.webauthnReset(h.getConnection(), id)));
    }

    @Override
    public RefreshTracker createRefreshTracker(User user, String name, Instant expiresAt, Instant now) {
        long id = storedId(user);
        return write(h -> sql(() -> schema.createRefreshTracker(h.getConnection(), id, name, expiresAt, now)));
    }

    @Override
    public Optional<RefreshTracker> findRefreshTracker(String refreshFamily) {
        Objects.requireNonNull(refreshFamily, "refreshFamily");
        return read(h -> sql(() -> schema.findRefreshTracker(h.getConnection(), refreshFamily)));
    }

    @Override
    public List<RefreshTracker> findRefreshTrackers(User user) {
        long id = storedId(user);
        return read(h -> sql(() -> schema.findRefreshTrackers(h.getConnection(), id)));
    }

    @Override
    public Optional<RefreshTracker> exchangeRefreshTracker(RefreshTracker tracker, Instant now) {
        long id = storedId(tracker);
        return write(h -> sql(() -> schema.exchangeRefreshTracker(h.getConnection(), id, tracker.gen(), now)));
    }

    @Override
    public boolean revokeRefreshTracker(RefreshTracker tracker, Instant now) {
        long id = storedId(tracker);
        return write(h -> sql(() -> schema.revokeRefreshTracker(h.getConnection(), id, now)));
    }

    @Override
    public int cleanupRefreshTrackers(User user, boolean expired, boolean revoked, Instant now) {
        long id = storedId(user);
        return write(h -> sql(() -> schema.cleanupRefreshTrackers(h.getConnection(), id, expired, revoked, now)));
    }

    @Override
    public int refreshTrackerReset(User user, Instant now) {
        long id = storedId(user);
        return write(h -> sql(() -> schema.refreshTrackerReset(h.getConnection(), id, now)));
    }

    private static long storedId(WebAuthnCredential credential) {
        Objects.requireNonNull(credential, "credential");
        if (credential.id() == null) {
            throw new IllegalArgumentException("credential has not been stored");
        }
        return credential.id();
    }

    private static long storedId(RefreshTracker tracker) {
        Objects.requireNonNull(tracker, "tracker");
        if (tracker.id() == null) {
            throw new IllegalArgumentException("tracker has not been stored");
        }
        return tracker.id();
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
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
        return selectUsers(h.getConnection(), "u.id = :value", id).stream().findFirst();
    }

    /**
     * Users (with their roles) matching {@code condition}, whose one parameter {@code :value} is
     * {@code value}. Plain JDBC rather than Jdbi: this runs on every authenticated request, and
     * Jdbi's statement machinery cost as much as the query itself.
     */
    private List<User> selectUsers(Connection c, String condition, Object value) {
        String sql = userSelect(condition.replace(":value", "?"));
        Map<Long, UserRows> byId = new LinkedHashMap<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            if (value instanceof Long id) {
                ps.setLong(1, id);
            } else {
                ps.setString(1, (String) value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Integer> at = userSelectColumns;
                while (rs.next()) {
                    long id = rs.getLong(at.get("id"));
                    UserRows rows = byId.get(id);
                    if (rows == null) {
                        rows = new UserRows(readUser(rs, at));
                        byId.put(id, rows);
                    }
                    long roleId = rs.getLong(at.get("role_id"));
                    // A link row may be duplicated (fsqla has no key on roles_users) or dangle.
                    if (!rs.wasNull() && !rows.roles.containsKey(roleId)) {
                        rows.roles.put(roleId, new Role(roleId, rs.getString(at.get("role_name")),
                                rs.getString(at.get("role_description")),
                                Role.parsePermissions(rs.getString(at.get("role_permissions"))),
                                readInstant(rs, at.get("role_update_datetime"))));
                    }
                }
            }
        } catch (SQLException e) {
            // As Jdbi's messages here: the statement, never the bound value.
            throw new IllegalStateException("reading users failed [statement: \"" + sql + "\"]", e);
        }
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

    /** The user columns of a row, read by position ({@code at}: label to position). */
    private User.Builder readUser(ResultSet rs, Map<String, Integer> at) throws SQLException {
        int loginCount = rs.getInt(at.get("login_count"));
        Integer nullableLoginCount = rs.wasNull() ? null : loginCount;
        return User.builder(rs.getString(at.get("email")), rs.getString(at.get("fs_uniquifier")))
                .id(rs.getLong(at.get("id")))
                .username(rs.getString(at.get("username")))
                .password(rs.getString(at.get("password")))
                .active(rs.getBoolean(at.get("active")))
                .confirmedAt(readInstant(rs, at.get("confirmed_at")))
                .lastLoginAt(readInstant(rs, at.get("last_login_at")))
                .currentLoginAt(readInstant(rs, at.get("current_login_at")))
                .lastLoginIp(rs.getString(at.get("last_login_ip")))
                .currentLoginIp(rs.getString(at.get("current_login_ip")))
                .loginCount(nullableLoginCount)
                .tfPrimaryMethod(rs.getString(at.get("tf_primary_method")))
                .tfTotpSecret(rs.getString(at.get("tf_totp_secret")))
                .tfPhoneNumber(rs.getString(at.get("tf_phone_number")))
                .usTotpSecrets(rs.getString(at.get("us_totp_secrets")))
                .usPhoneNumber(rs.getString(at.get("us_phone_number")))
                .fsWebauthnUserHandle(rs.getString(at.get("fs_webauthn_user_handle")))
                .mfRecoveryCodes(parseList(rs.getString(at.get("mf_recovery_codes"))))
                .createDatetime(readInstant(rs, at.get("create_datetime")))
                .updateDatetime(readInstant(rs, at.get("update_datetime")));
    }

    /** A timestamp selected with {@link Dialect#selectTimestamp}, by position. */
    private Instant readInstant(ResultSet rs, int position) throws SQLException {
        return dialect.readSelectedInstant(rs, position);
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

    private Optional<Role> lockedRoleByName(Handle h, String name) {
        return h.createQuery("SELECT " + roleColumns + " FROM role r WHERE r.name = :name" + dialect.forUpdateSuffix())
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
        return dialect.violatedAttribute(e);
    }

    private static long storedId(User user) {
        Objects.requireNonNull(user, "user");
        if (user.id() == null) {
            throw new IllegalArgumentException("user has not been stored");
        }
        return user.id();
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

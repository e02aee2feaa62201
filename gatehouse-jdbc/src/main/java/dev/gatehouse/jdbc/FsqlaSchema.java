package dev.gatehouse.jdbc;

import dev.gatehouse.account.RefreshTracker;
import dev.gatehouse.account.WebAuthnCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What a datastore on Flask-Security's {@code fsqla} tables needs to know about the database it
 * runs on, for datastores that reach the tables through JDBC but not through
 * {@link JdbcUserDatastore} (the JPA datastore). One instance per database product; thread-safe.
 *
 * <ul>
 *   <li>the {@code user} table's quoted name and the index-backed case-insensitive identity match;</li>
 *   <li>how Flask-Security stores times (naive UTC; text on SQLite and, for exactness, on MariaDB);</li>
 *   <li>how a unique violation or a deadlock victim looks, and which attribute a violation names;</li>
 *   <li>the single-statement, lost-update-free login tracking update;</li>
 *   <li>the atomic removal of a used recovery code, and Gatehouse's expiring counters (table
 *       {@code gatehouse_counter}).</li>
 * </ul>
 * The schema itself is created and upgraded by {@link #migrate(DataSource)} (the JDBC datastore's
 * Flyway migrations), so every datastore works on the same tables.
 */
public final class FsqlaSchema {

    private final Dialect dialect;

    private FsqlaSchema(Dialect dialect) {
        this.dialect = dialect;
    }

    static FsqlaSchema of(Dialect dialect) {
        return new FsqlaSchema(dialect);
    }

    /**
     * The schema knowledge for the database behind {@code connection}.
     *
     * @throws IllegalArgumentException if the database is not H2, SQLite, PostgreSQL or MariaDB/MySQL
     */
    public static FsqlaSchema of(Connection connection) throws SQLException {
        return new FsqlaSchema(Dialect.of(connection));
    }

    /**
     * The schema knowledge for the database behind {@code dataSource} (opens one connection).
     *
     * @throws IllegalArgumentException if the database is not a supported one
     * @throws IllegalStateException    if no connection can be opened
     */
    public static FsqlaSchema of(DataSource dataSource) {
        try (Connection c = Objects.requireNonNull(dataSource, "dataSource").getConnection()) {
            return of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database", e);
        }
    }

    /**
     * Creates or upgrades the Gatehouse/Flask-Security tables in the database, exactly as
     * {@link JdbcUserDatastore#migrate()} does (an existing Flask-Security database is adopted as
     * it is).
     */
    public static void migrate(DataSource dataSource) {
        SchemaMigrator.migrate(dataSource, of(dataSource).dialect);
    }

    /** A short name of the database product: {@code h2}, {@code sqlite}, {@code postgresql} or {@code mysql}. */
    public String product() {
        return dialect.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code user} table's name as it must appear in SQL (quoted where it is a reserved word). */
    public String userTable() {
        return dialect.userTable();
    }

    /**
     * A condition on the {@code user} table aliased {@code u}, comparing {@code email} or
     * {@code username} with the named parameter {@code :value} case-insensitively, written so that
     * the database answers it from the migration's lower-case unique index.
     *
     * @throws IllegalArgumentException for another attribute
     */
    public String identityMatch(String attribute) {
        return dialect.identityMatch(attribute);
    }

    /**
     * Appended to a SELECT that must see the latest committed rows after a row lock was taken in
     * the same transaction: InnoDB's REPEATABLE READ answers plain reads from an older snapshot.
     * Empty where plain reads already see them.
     */
    public String lockingReadSuffix() {
        return dialect.lockingReadSuffix();
    }

    /** Whether SQLite's up-front write lock applies (see {@link #startUnitOfWork}). */
    public boolean needsUpFrontWriteLock() {
        return dialect == Dialect.SQLITE;
    }

    /**
     * Called first in a transaction that may write. On SQLite it takes the database's write lock at
     * once (like {@code BEGIN IMMEDIATE}): two DEFERRED transactions that both read and then write
     * deadlock on the lock upgrade, and SQLite fails one at once instead of waiting. Elsewhere it does
     * nothing.
     */
    public void startUnitOfWork(Connection connection) throws SQLException {
        if (needsUpFrontWriteLock()) {
            try (var s = connection.createStatement()) {
                s.execute("DELETE FROM roles_users WHERE 0 = 1");
            }
        }
    }

    /** Binds an instant as Flask-Security stores times (naive UTC, microseconds). */
    public void bindInstant(PreparedStatement statement, int position, Instant value) throws SQLException {
        dialect.bindInstant(statement, position, value);
    }

    /** Reads a time column written by Flask-Security or Gatehouse. */
    public Instant readInstant(ResultSet rs, int position) throws SQLException {
        return dialect.readInstant(rs, position);
    }

    /** Whether {@code e} or one of its causes reports a violated unique constraint or index. */
    public boolean isUniqueViolation(Throwable e) {
        return uniqueViolation(e).isPresent();
    }

    /** The attribute ({@code email}, {@code username}, {@code fs_uniquifier}, …) a unique violation in {@code e} names. */
    public Optional<String> violatedAttribute(Throwable e) {
        return uniqueViolation(e).flatMap(dialect::violatedAttribute);
    }

    /**
     * Whether {@code e} or one of its causes says the database rolled the transaction back as a
     * deadlock victim or serialization failure (SQLState class 40), so that a fresh attempt may pass.
     */
    public static boolean isTransactionRollback(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a successful login in one UPDATE, as Flask-Security's trackable feature does: the
     * current login moves to "last" (or the new one, on the first login), the count goes up by one.
     * The database computes every value from the row as it is when the statement runs, so
     * concurrent logins lose no count and no login time.
     *
     * @return the number of rows changed: 1, or 0 when the user does not exist
     */
    public int trackLogin(Connection connection, long userId, Instant now, String remoteAddress, Instant updated)
            throws SQLException {
        // The last_* columns are assigned before the current_* ones: MariaDB and MySQL evaluate
        // assignments left to right and would otherwise read the new current values.
        String sql = "UPDATE " + userTable() + " SET last_login_at = COALESCE(current_login_at, ?),"
                + " last_login_ip = COALESCE(current_login_ip, ?), current_login_at = ?, current_login_ip = ?,"
                + " login_count = COALESCE(login_count, 0) + 1, update_datetime = ? WHERE id = ?";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            bindInstant(st, 1, now);
            st.setString(2, remoteAddress);
            bindInstant(st, 3, now);
            st.setString(4, remoteAddress);
            bindInstant(st, 5, updated);
            st.setLong(6, userId);
            return st.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- recovery codes and counters

    /**
     * Removes one stored recovery code with a conditional write: the shorter list is stored only if
     * the column still holds what was read, so of two concurrent uses of one code exactly one
     * succeeds, on every database and isolation level, without a locking read.
     *
     * @return true when this call removed it, false when the code is not there, empty when the
     *         column changed between the read and the write (read again and retry)
     */
    public Optional<Boolean> deleteRecoveryCode(Connection connection, long userId, String storedCode, Instant updated)
            throws SQLException {
        String current;
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT mf_recovery_codes FROM " + userTable() + " WHERE id = ?")) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(false);
                }
                current = rs.getString(1);
            }
        }
        List<String> codes = new ArrayList<>(listColumn(current));
        if (current == null || !codes.remove(storedCode)) {
            return Optional.of(false);
        }
        try (PreparedStatement st = connection.prepareStatement("UPDATE " + userTable()
                + " SET mf_recovery_codes = ?, update_datetime = ? WHERE id = ? AND mf_recovery_codes = ?")) {
            st.setString(1, codes.isEmpty() ? null : String.join(",", codes));
            bindInstant(st, 2, updated);
            st.setLong(3, userId);
            st.setString(4, current);
            return st.executeUpdate() == 1 ? Optional.of(true) : Optional.empty();
        }
    }

    /** Flask-Security's {@code AsaList} column: comma-joined text, NULL for none. */
    static List<String> listColumn(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return Arrays.stream(column.split(",")).map(String::strip).filter(v -> !v.isEmpty()).collect(Collectors.toList());
    }

    /** The counter's value if it exists and has not expired ({@code UserDatastore.findCounter}). */
    public OptionalLong findCounter(Connection connection, String name, Instant now) throws SQLException {
        checkCounterName(name);
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT counter_value FROM " + COUNTER_TABLE + " WHERE name = ? AND expires_at > ?")) {
            st.setString(1, name);
            st.setLong(2, now.toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Raises a counter atomically ({@code UserDatastore.advanceCounter}): a conditional UPDATE,
     * atomic everywhere, and an INSERT only for a missing row. Must run inside a transaction.
     */
    public boolean advanceCounter(Connection connection, String name, long value, Instant expiresAt, Instant now)
            throws SQLException {
        checkCounterName(name);
        String update = "UPDATE " + COUNTER_TABLE + " SET counter_value = ?, expires_at = ?"
                + " WHERE name = ? AND (counter_value < ? OR expires_at <= ?)";
        StatementSetter args = st -> {
            st.setLong(1, value);
            st.setLong(2, expiresAt.toEpochMilli());
            st.setString(3, name);
            st.setLong(4, value);
            st.setLong(5, now.toEpochMilli());
        };
        if (execute(connection, update, args) == 1 || insertCounter(connection, name, value, expiresAt, now)) {
            return true;
        }
        // The row exists (perhaps inserted concurrently just now): one more conditional try.
        return execute(connection, update, args) == 1;
    }

    /**
     * Adds one to a counter atomically ({@code UserDatastore.incrementCounter}); an expired one
     * starts again at 1. Must run inside a transaction.
     */
    public long incrementCounter(Connection connection, String name, Instant expiresAt, Instant now) throws SQLException {
        checkCounterName(name);
        String update = "UPDATE " + COUNTER_TABLE + " SET"
                + " counter_value = CASE WHEN expires_at <= ? THEN 1 ELSE counter_value + 1 END,"
                + " expires_at = CASE WHEN expires_at <= ? THEN ? ELSE expires_at END WHERE name = ?";
        StatementSetter args = st -> {
            st.setLong(1, now.toEpochMilli());
            st.setLong(2, now.toEpochMilli());
            st.setLong(3, expiresAt.toEpochMilli());
            st.setString(4, name);
        };
        if (execute(connection, update, args) == 0 && !insertCounter(connection, name, 1, expiresAt, now)) {
            execute(connection, update, args);
        }
        // Our UPDATE or INSERT holds the row's write lock until commit, so this reads our value.
        try (PreparedStatement st = connection.prepareStatement("SELECT counter_value FROM " + COUNTER_TABLE + " WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final String COUNTER_TABLE = "gatehouse_counter";

    private interface StatementSetter {
        void set(PreparedStatement st) throws SQLException;
    }

    private static int execute(Connection c, String sql, StatementSetter args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            args.set(st);
            return st.executeUpdate();
        }
    }

    /** Inserts a new counter row; false when a row of that name exists (the primary key says so). */
    private boolean insertCounter(Connection c, String name, long value, Instant expiresAt, Instant now) throws SQLException {
        if (ThreadLocalRandom.current().nextInt(64) == 0) {
            // Expired rows are dead weight; clearing them now and then keeps the table small.
            execute(c, "DELETE FROM " + COUNTER_TABLE + " WHERE expires_at <= ?", st -> st.setLong(1, now.toEpochMilli()));
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            execute(c, "INSERT INTO " + COUNTER_TABLE + " (name, counter_value, expires_at) VALUES (?, ?, ?)", st -> {
                st.setString(1, name);
                st.setLong(2, value);
                st.setLong(3, expiresAt.toEpochMilli());
            });
            c.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            if (!dialect.isUniqueViolation(e)) {
                throw e;
            }
            c.rollback(savepoint);
            return false;
        }
    }

    private static void checkCounterName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 191) {
            throw new IllegalArgumentException("a counter name has 1 to 191 characters");
        }
    }

    // ---------------------------------------------------------------- WebAuthn credentials and refresh trackers

    private static final String WEBAUTHN_TABLE = "webauthn";
    private static final String REFRESH_TABLE = "fs_refresh_tracker";

    /** {@code usage} is a reserved word on MySQL/MariaDB only (quoting it on H2 would change its case). */
    private String usageColumn() {
        return dialect == Dialect.MYSQL ? "`usage`" : "usage";
    }

    private String webauthnColumns() {
        return "id, credential_id, public_key, sign_count, transports, backup_state, device_type, extensions, "
                + dialect.selectTimestamp("create_datetime", "create_datetime") + ", "
                + dialect.selectTimestamp("lastuse_datetime", "lastuse_datetime") + ", name, " + usageColumn() + ", user_id";
    }

    private WebAuthnCredential webauthn(ResultSet rs) throws SQLException {
        return new WebAuthnCredential(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4),
                listColumn(rs.getString(5)), rs.getBoolean(6), rs.getString(7), rs.getString(8),
                dialect.readSelectedInstant(rs, 9), dialect.readSelectedInstant(rs, 10), rs.getString(11),
                rs.getString(12), rs.getLong(13));
    }

    private String refreshColumns() {
        return "id, refresh_family, gen, " + dialect.selectTimestamp("expires_at", "expires_at") + ", "
                + dialect.selectTimestamp("revoked_at", "revoked_at") + ", "
                + dialect.selectTimestamp("last_used_at", "last_used_at") + ", "
                + dialect.selectTimestamp("create_datetime", "create_datetime") + ", name, user_id";
    }

    private RefreshTracker refreshTracker(ResultSet rs) throws SQLException {
        return new RefreshTracker(rs.getLong(1), rs.getString(2), rs.getInt(3), dialect.readSelectedInstant(rs, 4),
                dialect.readSelectedInstant(rs, 5), dialect.readSelectedInstant(rs, 6), dialect.readSelectedInstant(rs, 7),
                rs.getString(8), rs.getLong(9));
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection c, String sql, StatementSetter args, RowReader<T> reader) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            args.set(st);
            try (ResultSet rs = st.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        }
    }

    private void requireUser(Connection c, long userId) throws SQLException {
        if (query(c, "SELECT id FROM " + userTable() + " WHERE id = ?", st -> st.setLong(1, userId), rs -> 1).isEmpty()) {
            throw new IllegalArgumentException("no such user: " + userId);
        }
    }

    /**
     * Inserts a WebAuthn credential ({@code UserDatastore.createWebauthn}).
     *
     * @throws IllegalStateException    if the credential id is registered already
     * @throws IllegalArgumentException if the user does not exist
     */
    public WebAuthnCredential createWebauthn(Connection c, long userId, byte[] credentialId, byte[] publicKey, String name,
                                             long signCount, String usage, String deviceType, boolean backupState,
                                             List<String> transports, String extensions, Instant now) throws SQLException {
        Objects.requireNonNull(credentialId, "credentialId");
        if (credentialId.length == 0 || credentialId.length > 1024) {
            throw new IllegalArgumentException("a credential id has 1 to 1024 bytes");
        }
        requireUser(c, userId);
        Savepoint savepoint = c.setSavepoint();
        try {
            execute(c, "INSERT INTO " + WEBAUTHN_TABLE + " (credential_id, public_key, sign_count, transports, backup_state,"
                    + " device_type, extensions, create_datetime, lastuse_datetime, name, " + usageColumn() + ", user_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", st -> {
                st.setBytes(1, credentialId);
                st.setBytes(2, Objects.requireNonNull(publicKey, "publicKey"));
                st.setLong(3, signCount);
                st.setString(4, transports == null || transports.isEmpty() ? null : String.join(",", transports));
                st.setBoolean(5, backupState);
                st.setString(6, Objects.requireNonNull(deviceType, "deviceType"));
                st.setString(7, extensions);
                bindInstant(st, 8, now);
                bindInstant(st, 9, now);
                st.setString(10, Objects.requireNonNull(name, "name"));
                st.setString(11, Objects.requireNonNull(usage, "usage"));
                st.setLong(12, userId);
            });
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            if (!dialect.isUniqueViolation(e)) {
                throw e;
            }
            c.rollback(savepoint);
            throw new IllegalStateException("this WebAuthn credential is registered already");
        }
        return findWebauthn(c, credentialId).orElseThrow();
    }

    /** The credential with this credential id. */
    public Optional<WebAuthnCredential> findWebauthn(Connection c, byte[] credentialId) throws SQLException {
        return query(c, "SELECT " + webauthnColumns() + " FROM " + WEBAUTHN_TABLE + " WHERE credential_id = ?",
                st -> st.setBytes(1, credentialId), this::webauthn).stream().findFirst();
    }

    /** The user's credentials, oldest first. */
    public List<WebAuthnCredential> findWebauthns(Connection c, long userId) throws SQLException {
        return query(c, "SELECT " + webauthnColumns() + " FROM " + WEBAUTHN_TABLE + " WHERE user_id = ? ORDER BY id",
                st -> st.setLong(1, userId), this::webauthn);
    }

    /** Stores a credential's new signature counter, backup state and last use; empty if it is gone. */
    public Optional<WebAuthnCredential> recordWebauthnUse(Connection c, long id, long signCount, boolean backupState,
                                                          Instant now) throws SQLException {
        int rows = execute(c, "UPDATE " + WEBAUTHN_TABLE + " SET sign_count = ?, backup_state = ?, lastuse_datetime = ?"
                + " WHERE id = ?", st -> {
            st.setLong(1, signCount);
            st.setBoolean(2, backupState);
            bindInstant(st, 3, now);
            st.setLong(4, id);
        });
        if (rows == 0) {
            return Optional.empty();
        }
        return query(c, "SELECT " + webauthnColumns() + " FROM " + WEBAUTHN_TABLE + " WHERE id = ?",
                st -> st.setLong(1, id), this::webauthn).stream().findFirst();
    }

    /** Deletes one credential; whether it existed. */
    public boolean deleteWebauthn(Connection c, long id) throws SQLException {
        return execute(c, "DELETE FROM " + WEBAUTHN_TABLE + " WHERE id = ?", st -> st.setLong(1, id)) > 0;
    }

    /** Deletes all of the user's credentials; how many. */
    public int webauthnReset(Connection c, long userId) throws SQLException {
        return execute(c, "DELETE FROM " + WEBAUTHN_TABLE + " WHERE user_id = ?", st -> st.setLong(1, userId));
    }

    /** Starts a refresh-token family: random family, generation 1, last used and created at {@code now}. */
    public RefreshTracker createRefreshTracker(Connection c, long userId, String name, Instant expiresAt, Instant now)
            throws SQLException {
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(name, "name");
        requireUser(c, userId);
        String family = java.util.UUID.randomUUID().toString().replace("-", "");
        execute(c, "INSERT INTO " + REFRESH_TABLE + " (refresh_family, gen, expires_at, revoked_at, last_used_at,"
                + " create_datetime, name, user_id) VALUES (?, 1, ?, NULL, ?, ?, ?, ?)", st -> {
            st.setString(1, family);
            bindInstant(st, 2, expiresAt);
            bindInstant(st, 3, now);
            bindInstant(st, 4, now);
            st.setString(5, name);
            st.setLong(6, userId);
        });
        return findRefreshTracker(c, family).orElseThrow();
    }

    /** The tracker of this family. */
    public Optional<RefreshTracker> findRefreshTracker(Connection c, String family) throws SQLException {
        return query(c, "SELECT " + refreshColumns() + " FROM " + REFRESH_TABLE + " WHERE refresh_family = ?",
                st -> st.setString(1, family), this::refreshTracker).stream().findFirst();
    }

    /** The user's trackers, oldest first. */
    public List<RefreshTracker> findRefreshTrackers(Connection c, long userId) throws SQLException {
        return query(c, "SELECT " + refreshColumns() + " FROM " + REFRESH_TABLE + " WHERE user_id = ? ORDER BY id",
                st -> st.setLong(1, userId), this::refreshTracker);
    }

    /**
     * Raises the generation with one conditional UPDATE: only if the row still has {@code gen} and
     * is not revoked. Empty when another exchange or a revocation came first.
     */
    public Optional<RefreshTracker> exchangeRefreshTracker(Connection c, long id, int gen, Instant now) throws SQLException {
        int rows = execute(c, "UPDATE " + REFRESH_TABLE + " SET gen = gen + 1, last_used_at = ?"
                + " WHERE id = ? AND gen = ? AND revoked_at IS NULL", st -> {
            bindInstant(st, 1, now);
            st.setLong(2, id);
            st.setInt(3, gen);
        });
        if (rows == 0) {
            return Optional.empty();
        }
        return query(c, "SELECT " + refreshColumns() + " FROM " + REFRESH_TABLE + " WHERE id = ?",
                st -> st.setLong(1, id), this::refreshTracker).stream().findFirst();
    }

    /** Sets {@code revoked_at} unless it is set; whether this call did. */
    public boolean revokeRefreshTracker(Connection c, long id, Instant now) throws SQLException {
        return execute(c, "UPDATE " + REFRESH_TABLE + " SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", st -> {
            bindInstant(st, 1, now);
            st.setLong(2, id);
        }) > 0;
    }

    /** Deletes the user's expired and/or revoked trackers; how many. */
    public int cleanupRefreshTrackers(Connection c, long userId, boolean expired, boolean revoked, Instant now)
            throws SQLException {
        if (!expired && !revoked) {
            return 0;
        }
        List<String> conditions = new ArrayList<>();
        if (expired) {
            conditions.add("expires_at <= ?");
        }
        if (revoked) {
            conditions.add("revoked_at IS NOT NULL");
        }
        return execute(c, "DELETE FROM " + REFRESH_TABLE + " WHERE user_id = ? AND (" + String.join(" OR ", conditions) + ")",
                st -> {
                    st.setLong(1, userId);
                    if (expired) {
                        bindInstant(st, 2, now);
                    }
                });
    }

    /** Revokes every unrevoked tracker of the user; how many. */
    public int refreshTrackerReset(Connection c, long userId, Instant now) throws SQLException {
        return execute(c, "UPDATE " + REFRESH_TABLE + " SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", st -> {
            bindInstant(st, 1, now);
            st.setLong(2, userId);
        });
    }

    /**
     * Deletes the user's WebAuthn credentials and refresh trackers (where those tables exist), as
     * the foreign keys' ON DELETE CASCADE would: SQLite does not enforce them, and a reused rowid
     * would hand them to the next new user.
     */
    public void deleteUserCredentials(Connection c, long userId) throws SQLException {
        for (String table : List.of(WEBAUTHN_TABLE, REFRESH_TABLE)) {
            if (tableExists(c, table)) {
                execute(c, "DELETE FROM " + table + " WHERE user_id = ?", st -> st.setLong(1, userId));
            }
        }
    }

    /** Whether the database has this table (any letter case), e.g. Flask-Security's optional {@code webauthn}. */
    public boolean tableExists(Connection connection, String table) throws SQLException {
        return SchemaMigrator.tableExists(connection, table);
    }

    Dialect dialect() {
        return dialect;
    }

    private Optional<SQLException> uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }
}

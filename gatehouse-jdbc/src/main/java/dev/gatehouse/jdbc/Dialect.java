package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between the supported databases: how the {@code user} table is quoted, how a
 * case-insensitive lookup hits its index, how timestamps are stored and how a unique violation
 * looks. Everything else is plain SQL shared by all of them.
 */
enum Dialect {

    H2("h2", "\"user\"", "u.email_lower = LOWER(:value)", "u.username_lower = LOWER(:value)", ""),
    SQLITE("sqlite", "user", "lower(u.email) = lower(:value)", "lower(u.username) = lower(:value)", ""),
    POSTGRESQL("postgresql", "\"user\"", "lower(u.email) = lower(:value)", "lower(u.username) = lower(:value)", ""),
    // A plain SELECT in InnoDB's REPEATABLE READ reads the transaction's snapshot and would not see
    // the row of a concurrent creation that just beat us; a locking read sees the committed row.
    MYSQL("mysql", "`user`", "u.email_lower = lower(:value)", "u.username_lower = lower(:value)", " LOCK IN SHARE MODE");

    /**
     * Flask-Security's (SQLAlchemy's) text format for DATETIME on SQLite, which MariaDB/MySQL also
     * parse into DATETIME: naive UTC with six fraction digits. Reading also accepts no fraction
     * (SQLite's CURRENT_TIMESTAMP, MySQL's DATETIME), fewer digits, and a 'T' separator.
     */
    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_TEXT_READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final Pattern MYSQL_KEY = Pattern.compile("for key '([^']+)'");
    private static final Pattern POSTGRES_CONSTRAINT = Pattern.compile("unique constraint \"([^\"]+)\"");
    private static final Pattern SQLITE_FAILED = Pattern.compile("UNIQUE constraint failed: ([^)]+)");
    private static final Pattern H2_INDEX = Pattern.compile("violation: \"?(.*?) VALUES", Pattern.DOTALL);

    private final String migrationFolder;
    private final String userTable;
    private final String emailMatch;
    private final String usernameMatch;
    private final String lockingReadSuffix;

    Dialect(String migrationFolder, String userTable, String emailMatch, String usernameMatch, String lockingReadSuffix) {
        this.migrationFolder = migrationFolder;
        this.userTable = userTable;
        this.emailMatch = emailMatch;
        this.usernameMatch = usernameMatch;
        this.lockingReadSuffix = lockingReadSuffix;
    }

    /** Picks the dialect from the driver's product name. */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("unsupported database: " + connection.getMetaData().getDatabaseProductName()
                + " (supported: H2, SQLite, PostgreSQL, MariaDB/MySQL)");
    }

    /** Classpath location of this dialect's Flyway migrations. */
    String migrationLocation() {
        return "classpath:dev/gatehouse/jdbc/migrations/" + migrationFolder;
    }

    /** The {@code user} table's name, quoted where it is a reserved word. */
    String userTable() {
        return userTable;
    }

    /**
     * A condition on the {@code user} table (aliased {@code u}) matching {@code :value} case-insensitively for an
     * identity attribute, written so that the database can use the V2 index for it.
     */
    String identityMatch(String attribute) {
        return switch (attribute) {
            case "email" -> emailMatch;
            case "username" -> usernameMatch;
            default -> throw new IllegalArgumentException("not an identity attribute: " + attribute);
        };
    }

    /** Appended to a SELECT that locks the rows it reads until the transaction ends (SQLite: its transactions already hold the write lock). */
    String forUpdateSuffix() {
        return this == SQLITE ? "" : " FOR UPDATE";
    }

    /** Appended to the SELECTs that re-check uniqueness after a lost race. */
    String lockingReadSuffix() {
        return lockingReadSuffix;
    }

    /**
     * Binds an instant as a naive UTC timestamp, the way Flask-Security stores times. Microseconds
     * are the finest unit every supported column keeps, so finer digits are cut here rather than
     * rounded differently by each database.
     */
    void bindInstant(PreparedStatement statement, int position, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(position, textTimestamps() ? Types.VARCHAR : Types.TIMESTAMP);
            return;
        }
        LocalDateTime utc = LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        if (textTimestamps()) {
            statement.setString(position, TIMESTAMP_TEXT.format(utc));
        } else {
            // setObject(LocalDateTime) carries the wall time as it is; setTimestamp would go
            // through the JVM's default zone and shift times that fall into a DST gap there.
            statement.setObject(position, utc);
        }
    }

    /** Reads a naive UTC timestamp column. */
    Instant readInstant(ResultSet rs, String column) throws SQLException {
        if (textTimestamps()) {
            String text = rs.getString(column);
            return text == null ? null : parseTimestampText(text);
        }
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** Reads a naive UTC timestamp column by position, as selected without {@link #selectTimestamp}. */
    Instant readInstant(ResultSet rs, int position) throws SQLException {
        if (this == SQLITE) {
            String text = rs.getString(position);
            return text == null ? null : parseTimestampText(text);
        }
        LocalDateTime value = rs.getObject(position, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** Reads, by position, a timestamp selected with {@link #selectTimestamp}. */
    Instant readSelectedInstant(ResultSet rs, int position) throws SQLException {
        if (textTimestamps()) {
            String text = rs.getString(position);
            return text == null ? null : parseTimestampText(text);
        }
        LocalDateTime value = rs.getObject(position, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /**
     * A timestamp column in a select list, labelled {@code label}, in the form
     * {@link #readInstant} expects.
     */
    String selectTimestamp(String column, String label) {
        // MariaDB Connector/J turns DATETIME values into strings through java.sql.Timestamp in
        // the JVM's zone, even for getString; the server's own text is exact.
        return this == MYSQL ? "CAST(" + column + " AS CHAR) AS " + label : column + " AS " + label;
    }

    /**
     * SQLite has no time type: Flask-Security stores text, and so must we. MariaDB Connector/J
     * moves LocalDateTime values through the JVM's default zone in both directions, which shifts
     * wall times inside a DST gap of that zone; DATETIME text is given and taken as it is
     * (see {@link #selectTimestamp}).
     */
    private boolean textTimestamps() {
        return this == SQLITE || this == MYSQL;
    }

    static Instant parseTimestampText(String text) {
        String t = text.strip();
        // Values written by other tools sometimes carry an explicit UTC designator.
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("+00:00")) {
            t = t.substring(0, t.length() - 6);
        }
        try {
            return LocalDateTime.parse(t, TIMESTAMP_TEXT_READ).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("unreadable timestamp in database: '" + text + "'", e);
        }
    }

    /**
     * The Flask-Security attribute ({@code email}, {@code fs_uniquifier}, …) whose unique index or
     * constraint a violation names, for indexes of any naming.
     */
    Optional<String> violatedAttribute(SQLException e) {
        String key = violatedKey(e).orElse("").toLowerCase(Locale.ROOT);
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

    /** Whether the exception reports a violated unique constraint or unique index. */
    boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return switch (this) {
            case H2, POSTGRESQL -> "23505".equals(state);
            // ER_DUP_ENTRY and ER_DUP_ENTRY_WITH_KEY_NAME; both come with SQLState 23000.
            case MYSQL -> e.getErrorCode() == 1062 || e.getErrorCode() == 1586;
            // sqlite-jdbc reports the primary result code (19, SQLITE_CONSTRAINT) and no SQLState;
            // the message tells a unique violation from NOT NULL, CHECK and foreign-key ones.
            case SQLITE -> String.valueOf(e.getMessage()).contains("UNIQUE constraint failed");
        };
    }

    /**
     * The part of a unique-violation message that names the constraint, index or columns, without
     * the duplicate value (which is user input and could contain any column name).
     */
    Optional<String> violatedKey(SQLException e) {
        String message = String.valueOf(e.getMessage());
        Pattern pattern = switch (this) {
            case H2 -> H2_INDEX;
            case SQLITE -> SQLITE_FAILED;
            case POSTGRESQL -> POSTGRES_CONSTRAINT;
            case MYSQL -> MYSQL_KEY;
        };
        Matcher m = pattern.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

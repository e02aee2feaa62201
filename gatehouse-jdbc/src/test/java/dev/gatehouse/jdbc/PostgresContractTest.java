package dev.gatehouse.jdbc;

import dev.gatehouse.testkit.db.TestDatabases;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real PostgreSQL server (zonky's embedded binaries), started once per JVM. */
class PostgresContractTest extends JdbcContractTest {

    private static DataSource dataSource;

    @BeforeAll
    static void startDatabase() {
        dataSource = TestDatabases.postgres("gatehouse");
        JdbcUserDatastore.create(dataSource).migrate();
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    DataSource newEmptyDatabase(String name) {
        return TestDatabases.postgres(name);
    }

    @Override
    List<String> explain(Handle h, String sql, String value) {
        // The tables hold a handful of rows, where a sequential scan is cheaper and PostgreSQL
        // rightly picks it. Disabling that for this session shows whether the index is usable at
        // all for the lookup, which is what the test is about.
        h.execute("SET enable_seqscan = off");
        try {
            return h.createQuery("EXPLAIN " + sql).bind("value", value).mapTo(String.class).list();
        } finally {
            h.execute("RESET enable_seqscan");
        }
    }

    @Override
    boolean usesIndex(List<String> plan, String index) {
        // e.g. "Index Scan using ux_user_email_lower on "user" u" (or a Bitmap Index Scan on it)
        return plan.stream().anyMatch(line -> line.contains("Index Scan using " + index + " on \"user\" u")
                || line.contains("Bitmap Index Scan on " + index));
    }
}

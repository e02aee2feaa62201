package dev.gatehouse.jpa;

import dev.gatehouse.testkit.db.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.sqlite.SQLiteDataSource;

/** One database of each kind for this module's tests, shared by both modes' test classes. */
final class JpaTestDatabases {

    private static DataSource h2;
    private static DataSource sqlite;
    private static DataSource postgres;
    private static DataSource mariaDb;

    private JpaTestDatabases() {
    }

    static synchronized DataSource h2() {
        if (h2 == null) {
            JdbcDataSource ds = new JdbcDataSource();
            // DB_CLOSE_DELAY keeps the in-memory database between connections.
            ds.setURL("jdbc:h2:mem:gatehouse-jpa;DB_CLOSE_DELAY=-1");
            h2 = ds;
        }
        return h2;
    }

    /** A SQLite file with sqlite-jdbc's defaults, as the JDBC datastore's contract uses it. */
    static synchronized DataSource sqlite() {
        if (sqlite == null) {
            try {
                Path dir = Files.createTempDirectory("gatehouse-jpa-sqlite");
                dir.toFile().deleteOnExit();
                Path file = dir.resolve("contract.db");
                file.toFile().deleteOnExit();
                SQLiteDataSource ds = new SQLiteDataSource();
                ds.setUrl("jdbc:sqlite:" + file);
                sqlite = ds;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sqlite;
    }

    static synchronized DataSource postgres() {
        if (postgres == null) {
            postgres = TestDatabases.postgres("gatehouse_jpa");
        }
        return postgres;
    }

    static synchronized DataSource mariaDb() {
        if (mariaDb == null) {
            mariaDb = TestDatabases.mariaDb("gatehouse_jpa");
        }
        return mariaDb;
    }
}

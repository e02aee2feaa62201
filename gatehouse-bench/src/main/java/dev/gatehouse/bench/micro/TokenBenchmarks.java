package dev.gatehouse.bench.micro;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.token.AuthTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Auth-token verification: the bare HMAC-SHA1 over the token's signed bytes (the floor: what any
 * implementation must compute), {@link AuthTokens#verify} (signature, timestamp, JSON payload),
 * the datastore lookup alone, and {@code Gatehouse.verifyAuthToken} (verify + user lookup in H2).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TokenBenchmarks {
    private Fixture fixture;
    private AuthTokens authTokens;
    private String token;
    private byte[] signedPart;
    private byte[] signature;
    private String uid;
    private HikariDataSource pool;

    /** The statement JdbcUserDatastore runs for a uniquifier (user and roles in one query), on H2. */
    static final String USER_BY_UNIQUIFIER = "SELECT u.id, u.email, u.username, u.password, u.active, u.fs_uniquifier, "
            + "u.confirmed_at, u.last_login_at, u.current_login_at, u.last_login_ip, u.current_login_ip, "
            + "u.login_count, u.tf_primary_method, u.tf_totp_secret, u.tf_phone_number, u.us_totp_secrets, "
            + "u.us_phone_number, u.fs_webauthn_user_handle, u.mf_recovery_codes, u.create_datetime, u.update_datetime, "
            + "r.id AS role_id, r.name AS role_name, r.description AS role_description, "
            + "r.permissions AS role_permissions, r.update_datetime AS role_update_datetime "
            + "FROM \"user\" u LEFT JOIN roles_users ru ON ru.user_id = u.id LEFT JOIN role r ON r.id = ru.role_id "
            + "WHERE u.fs_uniquifier = ?";

    /** Per-thread: a Mac keyed once, as the fastest possible check would keep it. */
    @State(Scope.Thread)
    public static class Hmac {
        Mac mac;

        @Setup
        public void setUp() throws GeneralSecurityException {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Fixture.derivedKey("remember-salt"), "HmacSHA1"));
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        fixture = new Fixture();
        authTokens = new AuthTokens(List.of(Fixture.SECRET_KEY), "remember-salt", Duration.ofMinutes(15), Clock.systemUTC());
        token = fixture.gatehouse.issueAuthToken(fixture.user, Instant.now());
        signedPart = Fixture.signedPart(token);
        signature = Fixture.signature(token);
        uid = fixture.user.fsUniquifier();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(fixture.url);
        pool = new HikariDataSource(hc);
        if (jdbcLookupReference() == 0) {
            throw new IllegalStateException("the reference query finds nobody");
        }
        if (authTokens.verify(token).isEmpty() || fixture.gatehouse.verifyAuthToken(token).isEmpty()) {
            throw new IllegalStateException("the token does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        fixture.close();
    }

    @Benchmark
    public boolean hmacSha1Reference(Hmac h) {
        byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(h.mac.doFinal(signedPart));
        return MessageDigest.isEqual(expected, signature);
    }

    @Benchmark
    public Optional<AuthTokens.AuthToken> authTokensVerify() {
        return authTokens.verify(token);
    }

    /** The same statement by plain JDBC (pooled connection, columns read by position): the database's own cost. */
    @Benchmark
    public int jdbcLookupReference() throws SQLException {
        int n = 0;
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(USER_BY_UNIQUIFIER)) {
            ps.setString(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= 26; i++) {
                        n += rs.getObject(i) == null ? 0 : 1;
                    }
                }
            }
        }
        return n;
    }

    @Benchmark
    public Object datastoreFindUserByUniquifier() {
        return fixture.datastore.findUserByUniquifier(uid);
    }

    @Benchmark
    public Object gatehouseVerifyAuthToken() {
        return fixture.gatehouse.verifyAuthToken(token);
    }
}

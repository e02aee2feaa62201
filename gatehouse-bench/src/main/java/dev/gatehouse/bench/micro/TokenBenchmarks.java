package dev.gatehouse.bench.micro;

import dev.gatehouse.token.AuthTokens;
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
@Warmup(iterations = 2, time = 1)
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
    public void setUp() {
        fixture = new Fixture();
        authTokens = new AuthTokens(List.of(Fixture.SECRET_KEY), "remember-salt", Duration.ofMinutes(15), Clock.systemUTC());
        token = fixture.gatehouse.issueAuthToken(fixture.user, Instant.now());
        signedPart = Fixture.signedPart(token);
        signature = Fixture.signature(token);
        uid = fixture.user.fsUniquifier();
        if (authTokens.verify(token).isEmpty() || fixture.gatehouse.verifyAuthToken(token).isEmpty()) {
            throw new IllegalStateException("the token does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
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

    @Benchmark
    public Object datastoreFindUserByUniquifier() {
        return fixture.datastore.findUserByUniquifier(uid);
    }

    @Benchmark
    public Object gatehouseVerifyAuthToken() {
        return fixture.gatehouse.verifyAuthToken(token);
    }
}

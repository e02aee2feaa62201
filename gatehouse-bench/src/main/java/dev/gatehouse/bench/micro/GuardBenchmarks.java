package dev.gatehouse.bench.micro;

import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Guard;
import dev.gatehouse.web.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * The guard decision for {@code Guard.authenticated("session", "token").rolesRequired("admin")}:
 * a bare role lookup (the floor), {@link Guard#allowed}, {@link Guard#check} on a request already
 * authenticated, and {@link Guard#check} on a new request carrying an auth token (authentication
 * included: token verification and user lookup, all the per-request work the guard triggers).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GuardBenchmarks {
    private Fixture fixture;
    private final Guard guard = Guard.authenticated("session", "token").rolesRequired("admin");
    private Exchange authenticated;
    private Fixture.Request tokenRequest;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture();
        String token = fixture.gatehouse.issueAuthToken(fixture.user, Instant.now());
        tokenRequest = new Fixture.Request("GET", "/api/admin", Map.of("Authentication-Token", token,
                "Accept", "application/json"), Map.of());
        authenticated = fixture.gatehouse.exchange(tokenRequest);
        if (guard.check(authenticated).isPresent() || guard.check(fixture.gatehouse.exchange(tokenRequest)).isPresent()
                || !guard.allowed(fixture.user)) {
            throw new IllegalStateException("the guard refuses the admin");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public boolean roleLookupReference() {
        return fixture.user.roleNames().contains("admin");
    }

    @Benchmark
    public boolean guardAllowed() {
        return guard.allowed(fixture.user);
    }

    @Benchmark
    public Optional<HttpResponse> guardCheck() {
        return guard.check(authenticated);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Optional<HttpResponse> guardCheckNewRequest() {
        return guard.check(fixture.gatehouse.exchange(tokenRequest));
    }
}

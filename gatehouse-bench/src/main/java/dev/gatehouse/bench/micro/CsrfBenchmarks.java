package dev.gatehouse.bench.micro;

import dev.gatehouse.web.Csrf;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Form;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
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
 * The CSRF check of a state-changing request ({@link Csrf#failure}): a bare HMAC-SHA1 over the
 * CSRF token's signed bytes (the floor), the check on a request whose session is already decoded,
 * and the check on a new request (which decodes the session cookie to find the CSRF secret).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CsrfBenchmarks {
    private Fixture fixture;
    private Csrf csrf;
    private String csrfToken;
    private Fixture.Request request;
    private Exchange decoded;
    private byte[] signedPart;
    private byte[] signature;
    private final Form form = Form.empty(true);

    /** Per-thread Mac keyed once. */
    @State(Scope.Thread)
    public static class Hmac {
        Mac mac;

        @Setup
        public void setUp() throws GeneralSecurityException {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Fixture.derivedKey("wtf-csrf-token"), "HmacSHA1"));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture();
        csrf = fixture.gatehouse.csrf();
        Exchange first = fixture.gatehouse.exchange(new Fixture.Request("GET", "/login", Map.of(), Map.of()));
        csrfToken = csrf.token(first);
        String cookie = fixture.gatehouse.sessionCodec().encode(first.session());
        request = new Fixture.Request("POST", "/login", Map.of("X-CSRF-Token", csrfToken, "Content-Type", "application/json"),
                Map.of(fixture.gatehouse.sessionCookieName(), cookie));
        decoded = fixture.gatehouse.exchange(request);
        signedPart = Fixture.signedPart(csrfToken);
        signature = Fixture.signature(csrfToken);
        if (csrf.failure(decoded, form).isPresent() || csrf.failure(fixture.gatehouse.exchange(request), form).isPresent()) {
            throw new IllegalStateException("the CSRF token does not check");
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
    public Optional<String> csrfCheck() {
        return csrf.failure(decoded, form);
    }

    @Benchmark
    public Optional<String> csrfCheckNewRequest() {
        return csrf.failure(fixture.gatehouse.exchange(request), form);
    }
}

package dev.gatehouse.bench.micro;

import dev.gatehouse.session.SessionCodec;
import dev.gatehouse.session.SessionData;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
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
 * Session cookie decoding: a bare AES-256-GCM decrypt of the same cookie bytes (base64 decode and
 * decrypt with a cipher kept per thread, the floor) next to {@link SessionCodec#decode} (which also
 * parses the JSON into {@link SessionData}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SessionBenchmarks {
    private Fixture fixture;
    private SessionCodec codec;
    private String cookie;
    private SecretKeySpec key;

    /** Per-thread cipher, created once. */
    @State(Scope.Thread)
    public static class Aes {
        Cipher cipher;

        @Setup
        public void setUp() throws GeneralSecurityException {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        fixture = new Fixture();
        codec = fixture.gatehouse.sessionCodec();
        Instant now = Instant.now();
        cookie = codec.encode(SessionData.loggedIn(fixture.user.fsUniquifier(), now, false, now).withCsrf("0123456789abcdef0123456789abcdef01234567"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Fixture.SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        key = new SecretKeySpec(mac.doFinal("gatehouse.session.v1".getBytes(StandardCharsets.UTF_8)), "AES");
        if (codec.decode(cookie, now).isEmpty() || aesGcmReference(new Aes() {
            {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            }
        }).length == 0) {
            throw new IllegalStateException("the cookie does not decode");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public byte[] aesGcmReference(Aes a) throws GeneralSecurityException {
        byte[] raw = Base64.getUrlDecoder().decode(cookie);
        a.cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 1, 12));
        a.cipher.updateAAD(raw, 0, 1);
        return a.cipher.doFinal(raw, 13, raw.length - 13);
    }

    @Benchmark
    public Optional<SessionData> sessionCodecDecode() {
        return codec.decode(cookie, Instant.now());
    }
}

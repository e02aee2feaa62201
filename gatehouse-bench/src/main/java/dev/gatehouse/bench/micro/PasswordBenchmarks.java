package dev.gatehouse.bench.micro;

import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Password verification per scheme with Flask-Security's defaults (HMAC-SHA512 pre-hash, passlib's
 * default parameters), each next to the bare primitive it wraps computed on the same pre-hashed
 * bytes, and, for argon2id, next to the reference C implementation (Debian's {@code argon2} CLI)
 * with the same parameters and salt; the CLI's digest is checked to verify in Gatehouse first.
 *
 * <p>The CLI runs its {@code p} lanes on {@code p} threads; {@code argon2CliOneCore} pins it to one
 * core with {@code taskset} for a like-for-like comparison (Gatehouse computes the lanes one after
 * the other on the calling thread). {@code argon2CliSpawnOnly} is the cost of starting the process.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PasswordBenchmarks {
    static final String PASSWORD = "correct horse battery staple";
    static final String SALT_TEXT = "gatehouse-bench!"; // 16 ASCII bytes: the CLI takes the salt as text
    private static final Pattern ARGON2 = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([^$]+)\\$([^$]+)");

    private byte[] preHash;

    private PasswordHasher argon2;
    private String argon2Hash;
    private int memoryKib;
    private int iterations;
    private int lanes;
    private byte[] argon2Digest;
    private List<String> argon2Cli;

    private PasswordHasher bcrypt;
    private String bcryptHash;

    private PasswordHasher pbkdf2;
    private String pbkdf2Hash;
    private int pbkdf2Rounds;
    private byte[] pbkdf2Salt;
    private byte[] pbkdf2Digest;

    private PasswordHasher sha512Crypt;
    private String sha512CryptHash;
    private String sha512CryptSetting;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PasswordSettings defaults = PasswordSettings.defaults(Fixture.PASSWORD_SALT);
        preHash = preHash(PASSWORD);

        // argon2id: the parameters Gatehouse uses by default, read back from a hash it made.
        argon2 = new PasswordHasher(defaults.withDefaultScheme("argon2"));
        Matcher m = ARGON2.matcher(argon2.hash(PASSWORD));
        if (!m.matches()) {
            throw new IllegalStateException("unexpected argon2 hash format");
        }
        memoryKib = Integer.parseInt(m.group(1));
        iterations = Integer.parseInt(m.group(2));
        lanes = Integer.parseInt(m.group(3));
        argon2Cli = List.of("argon2", SALT_TEXT, "-id", "-t", String.valueOf(iterations), "-k", String.valueOf(memoryKib),
                "-p", String.valueOf(lanes), "-l", "32", "-r");
        // The C reference computes the digest; Gatehouse must accept it (same parameters, same salt).
        argon2Digest = HexFormat.of().parseHex(runCli(argon2Cli, preHash).strip());
        byte[] salt = SALT_TEXT.getBytes(StandardCharsets.US_ASCII);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        argon2Hash = "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + lanes + "$" + b64.encodeToString(salt)
                + "$" + b64.encodeToString(argon2Digest);
        check(argon2.verify(PASSWORD, argon2Hash).valid(), "argon2 CLI digest verifies in Gatehouse");
        check(Arrays.equals(argon2BouncyCastle(), argon2Digest), "BouncyCastle digest equals the CLI's");

        bcrypt = new PasswordHasher(defaults.withDefaultScheme("bcrypt"));
        bcryptHash = bcrypt.hash(PASSWORD);
        check(bcrypt.verify(PASSWORD, bcryptHash).valid() && bcryptBouncyCastle(), "bcrypt verifies");

        pbkdf2 = new PasswordHasher(defaults.withDefaultScheme("pbkdf2_sha512"));
        pbkdf2Hash = pbkdf2.hash(PASSWORD);
        String[] p = pbkdf2Hash.split("\\$"); // "", "pbkdf2-sha512", rounds, salt, digest
        pbkdf2Rounds = Integer.parseInt(p[2]);
        pbkdf2Salt = ab64(p[3]);
        pbkdf2Digest = ab64(p[4]);
        check(pbkdf2.verify(PASSWORD, pbkdf2Hash).valid() && pbkdf2Jdk(), "pbkdf2_sha512 verifies");

        sha512Crypt = new PasswordHasher(defaults.withDefaultScheme("sha512_crypt"));
        sha512CryptHash = sha512Crypt.hash(PASSWORD);
        sha512CryptSetting = sha512CryptHash.substring(0, sha512CryptHash.lastIndexOf('$'));
        check(sha512Crypt.verify(PASSWORD, sha512CryptHash).valid() && sha512CryptCommonsCodec(), "sha512_crypt verifies");
    }

    // ---------------------------------------------------------------- argon2id

    @Benchmark
    public boolean argon2Verify() {
        return argon2.verify(PASSWORD, argon2Hash).valid();
    }

    @Benchmark
    public byte[] argon2BouncyCastle() {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(iterations).withMemoryAsKB(memoryKib).withParallelism(lanes)
                .withSalt(SALT_TEXT.getBytes(StandardCharsets.US_ASCII)).build());
        byte[] out = new byte[32];
        g.generateBytes(preHash, out);
        return out;
    }

    @Benchmark
    public String argon2Cli() throws IOException, InterruptedException {
        return runCli(argon2Cli, preHash);
    }

    @Benchmark
    public String argon2CliOneCore() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0"));
        cmd.addAll(argon2Cli);
        return runCli(cmd, preHash);
    }

    @Benchmark
    public String argon2CliSpawnOnly() throws IOException, InterruptedException {
        return runCli(List.of("argon2", SALT_TEXT, "-id", "-t", "1", "-k", "8", "-p", "1", "-r"), preHash);
    }

    // ---------------------------------------------------------------- bcrypt

    @Benchmark
    public boolean bcryptVerify() {
        return bcrypt.verify(PASSWORD, bcryptHash).valid();
    }

    @Benchmark
    public boolean bcryptBouncyCastle() {
        // passlib (and Gatehouse) hand bcrypt the first 72 bytes of the 88-byte pre-hash.
        return OpenBSDBCrypt.checkPassword(bcryptHash, Arrays.copyOf(preHash, 72));
    }

    // ---------------------------------------------------------------- pbkdf2_sha512

    @Benchmark
    public boolean pbkdf2Sha512Verify() {
        return pbkdf2.verify(PASSWORD, pbkdf2Hash).valid();
    }

    @Benchmark
    public boolean pbkdf2Jdk() throws GeneralSecurityException {
        char[] chars = new String(preHash, StandardCharsets.US_ASCII).toCharArray();
        byte[] d = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(chars, pbkdf2Salt, pbkdf2Rounds, pbkdf2Digest.length * 8)).getEncoded();
        return MessageDigest.isEqual(d, pbkdf2Digest);
    }

    // ---------------------------------------------------------------- sha512_crypt

    @Benchmark
    public boolean sha512CryptVerify() {
        return sha512Crypt.verify(PASSWORD, sha512CryptHash).valid();
    }

    @Benchmark
    public boolean sha512CryptCommonsCodec() {
        return MessageDigest.isEqual(Sha2Crypt.sha512Crypt(preHash, sha512CryptSetting).getBytes(StandardCharsets.US_ASCII),
                sha512CryptHash.getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- helpers

    /** Flask-Security's pre-hash: base64(HMAC-SHA512(key = password salt, NFKD(password))). */
    static byte[] preHash(String password) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(Fixture.PASSWORD_SALT.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return Base64.getEncoder().encode(mac.doFinal(Normalizer.normalize(password, Normalizer.Form.NFKD)
                .getBytes(StandardCharsets.UTF_8)));
    }

    static String runCli(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** passlib's "ab64": standard base64 with '.' for '+', no padding. */
    private static byte[] ab64(String s) {
        return Base64.getDecoder().decode(s.replace('.', '+'));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("setup check failed: " + what);
        }
    }
}

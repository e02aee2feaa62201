package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips, formats, re-hash rules and bad input, with cheap parameters so the class runs in seconds. */
class PasswordHasherTest {
    static final String SALT = "test-password-salt";
    static final String PASSWORD = "correct horse battery staple";

    /** Every scheme at its cheapest sensible cost. */
    static final Map<String, String> CHEAP = Map.of(
            "argon2__rounds", "1",
            "argon2__memory_cost", "256",
            "argon2__parallelism", "2",
            "argon2__digest_size", "16",
            "bcrypt__rounds", "4",
            "pbkdf2_sha256__rounds", "1000",
            "pbkdf2_sha512__rounds", "1000",
            "sha256_crypt__rounds", "1000",
            "sha512_crypt__rounds", "1000");

    static PasswordSettings cheap() {
        return PasswordSettings.defaults(SALT).withPasslibOptions(CHEAP);
    }

    static PasswordHasher cheapHasher(String defaultScheme) {
        return new PasswordHasher(cheap().withDefaultScheme(defaultScheme));
    }

    private static final Map<String, Pattern> CHEAP_FORMATS = Map.of(
            "argon2", Pattern.compile("\\$argon2id\\$v=19\\$m=256,t=1,p=2\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{22}"),
            "bcrypt", Pattern.compile("\\$2b\\$04\\$[./A-Za-z0-9]{53}"),
            "des_crypt", Pattern.compile("[./A-Za-z0-9]{13}"),
            "pbkdf2_sha256", Pattern.compile("\\$pbkdf2-sha256\\$1000\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{43}"),
            "pbkdf2_sha512", Pattern.compile("\\$pbkdf2-sha512\\$1000\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{86}"),
            "sha256_crypt", Pattern.compile("\\$5\\$rounds=1000\\$[./A-Za-z0-9]{16}\\$[./A-Za-z0-9]{43}"),
            "sha512_crypt", Pattern.compile("\\$6\\$rounds=1000\\$[./A-Za-z0-9]{16}\\$[./A-Za-z0-9]{86}"));

    static List<String> producibleSchemes() {
        return PasswordSettings.DEFAULT_SCHEMES;
    }

    @ParameterizedTest
    @MethodSource("producibleSchemes")
    void roundTripsWithThePreHash(String scheme) {
        PasswordHasher hasher = cheapHasher(scheme);
        String hash = hasher.hash(PASSWORD);
        if (scheme.equals("plaintext")) {
            assertThat(hash).isEqualTo(PASSWORD); // single-hash by default, stored as typed (normalized)
        } else {
            assertThat(hash).matches(CHEAP_FORMATS.get(scheme));
            assertThat(hasher.hash(PASSWORD)).as("fresh salt").isNotEqualTo(hash);
        }
        assertThat(hasher.verify(PASSWORD, hash)).isEqualTo(new Verification(true, false));
        assertThat(hasher.verify(PASSWORD + " ", hash)).isEqualTo(Verification.INVALID);
        assertThat(hasher.verify("wrong-password", hash)).isEqualTo(Verification.INVALID);

        // Under the defaults (argon2) the same hash still verifies and is due for a re-hash.
        PasswordHasher argon2 = cheapHasher("argon2");
        assertThat(argon2.verify(PASSWORD, hash)).isEqualTo(new Verification(true, !scheme.equals("argon2")));
    }

    @ParameterizedTest
    @MethodSource("producibleSchemes")
    void roundTripsSingleHashed(String scheme) {
        PasswordHasher hasher = new PasswordHasher(cheap().withDefaultScheme(scheme).withSingleHashAll(true));
        for (String password : List.of(PASSWORD, "Päßwörd✓", "", "x".repeat(100))) {
            String hash = hasher.hash(password);
            if (hash.isEmpty()) {
                // plaintext of "": an empty stored value means "no password" and never verifies
                assertThat(hasher.verify(password, hash)).isEqualTo(Verification.INVALID);
                continue;
            }
            assertThat(hasher.verify(password, hash).valid()).as(scheme + " '" + password + "'").isTrue();
            assertThat(hasher.verify(password + "!", hash).valid())
                    .as(scheme + " '" + password + "!'")
                    .isEqualTo(utf8Length(password) >= limit(scheme)); // bcrypt/des_crypt ignore the excess
        }
    }

    private static int utf8Length(String password) {
        return PasswordHasher.normalize(password, "NFKD").getBytes(StandardCharsets.UTF_8).length;
    }

    private static int limit(String scheme) {
        return switch (scheme) {
            case "bcrypt" -> 72;
            case "des_crypt" -> 8;
            default -> Integer.MAX_VALUE;
        };
    }

    @Test
    void normalizesBeforeHashingAndVerifying() {
        PasswordHasher hasher = cheapHasher("argon2");
        String composed = "Caf\u00e9-\ufb01sh-\u2460\u2461-\uff38";
        String hash = hasher.hash(composed);
        assertThat(hasher.verify("Cafe\u0301-fish-12-X", hash).valid()).isTrue();

        PasswordHasher plain = new PasswordHasher(cheap().withDefaultScheme("plaintext"));
        assertThat(plain.hash(composed)).isEqualTo("Cafe\u0301-fish-12-X");

        PasswordHasher raw = new PasswordHasher(cheap().withNormalizeForm(null));
        assertThat(raw.verify("Cafe\u0301-fish-12-X", raw.hash(composed)).valid()).isFalse();
    }

    @Test
    void normalize() {
        assertThat(PasswordHasher.normalize("\ufb01\u2460\u00e9", "NFKD")).isEqualTo("fi1e\u0301");
        assertThat(PasswordHasher.normalize("e\u0301", "NFC")).isEqualTo("\u00e9");
        assertThat(PasswordHasher.normalize("\ufb01", null)).isEqualTo("\ufb01");
        assertThatThrownBy(() -> PasswordHasher.normalize("x", "nfkd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void preHashIsPaddedBase64OfHmacSha512() {
        PasswordHasher hasher = cheapHasher("argon2");
        String preHash = new String(hasher.preHash("x"), StandardCharsets.US_ASCII);
        assertThat(preHash).hasSize(88).endsWith("==");
        assertThat(Base64.getDecoder().decode(preHash)).hasSize(64);
    }

    @Test
    void defaultArgon2ParametersAreFlaskSecurityHeads() {
        PasswordHasher hasher = new PasswordHasher(PasswordSettings.defaults(SALT));
        String hash = hasher.hash(PASSWORD);
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=65536,t=3,p=4\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify(PASSWORD, hash)).isEqualTo(new Verification(true, false));
    }

    @Test
    void defaultParametersOfTheOtherSchemesArePasslibs() {
        // One hash each at passlib's default cost (no dummy: constructing with these as default would double it).
        PasslibOptions none = PasslibOptions.parse(Map.of());
        SecureRandom random = new SecureRandom();
        byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
        assertThat(new BcryptScheme(none, random).hash(secret)).matches("\\$2b\\$12\\$[./A-Za-z0-9]{53}");
        assertThat(Pbkdf2Scheme.sha256(none, random).hash(secret)).startsWith("$pbkdf2-sha256$29000$");
        assertThat(Pbkdf2Scheme.sha512(none, random).hash(secret)).startsWith("$pbkdf2-sha512$25000$");
        assertThat(ShaCryptScheme.sha256(none, random).hash(secret)).startsWith("$5$rounds=535000$");
    }

    @Test
    void deprecatedSchemesAreRehashed() {
        PasswordHasher bcrypt = cheapHasher("bcrypt");
        PasswordHasher pbkdf2 = cheapHasher("pbkdf2_sha512");
        PasswordHasher explicit = new PasswordHasher(cheap().withDeprecatedSchemes(List.of("bcrypt")));
        assertThat(explicit.verify(PASSWORD, bcrypt.hash(PASSWORD))).isEqualTo(new Verification(true, true));
        assertThat(explicit.verify(PASSWORD, pbkdf2.hash(PASSWORD))).isEqualTo(new Verification(true, false));
        PasswordHasher none = new PasswordHasher(cheap().withDeprecatedSchemes(List.of()));
        assertThat(none.verify(PASSWORD, bcrypt.hash(PASSWORD))).isEqualTo(new Verification(true, false));
    }

    static List<Arguments> argon2Variants() {
        return List.of(
                Arguments.of("argon2__memory_cost", "512", true),
                Arguments.of("argon2__parallelism", "1", true),
                Arguments.of("argon2__digest_size", "32", true),
                Arguments.of("argon2__type", "i", true),
                Arguments.of("argon2__type", "d", true),
                Arguments.of("argon2__salt_size", "32", false),
                Arguments.of("argon2__rounds", "2", true)); // base argon2__rounds=1 makes 1 the only good value
    }

    @ParameterizedTest
    @MethodSource("argon2Variants")
    void argon2RehashFollowsPasslib(String option, String value, boolean rehash) {
        PasswordHasher base = cheapHasher("argon2");
        PasswordHasher variant = new PasswordHasher(cheap().withPasslibOption(option, value));
        String hash = variant.hash(PASSWORD);
        assertThat(base.verify(PASSWORD, hash)).isEqualTo(new Verification(true, rehash));
        assertThat(base.needsUpdate(hash)).isEqualTo(rehash);
    }

    @Test
    void roundsAreCheckedOnlyWhenDesiredRoundsAreConfigured() {
        String t1 = cheapHasher("argon2").hash(PASSWORD);
        String t2 = new PasswordHasher(cheap().withPasslibOption("argon2__rounds", "2")).hash(PASSWORD);
        // default_rounds sets new hashes' rounds only: any stored time cost is fine
        PasswordHasher defaultOnly = new PasswordHasher(cheap().withPasslibOptions(Map.of(
                "argon2__default_rounds", "2", "argon2__memory_cost", "256", "argon2__parallelism", "2",
                "argon2__digest_size", "16")));
        assertThat(defaultOnly.hash(PASSWORD)).contains(",t=2,");
        assertThat(defaultOnly.verify(PASSWORD, t1)).isEqualTo(new Verification(true, false));
        assertThat(defaultOnly.verify(PASSWORD, t2)).isEqualTo(new Verification(true, false));
        // rounds fixes them
        PasswordHasher fixed = new PasswordHasher(cheap().withPasslibOption("argon2__rounds", "2"));
        assertThat(fixed.verify(PASSWORD, t1)).isEqualTo(new Verification(true, true));
        assertThat(fixed.verify(PASSWORD, t2)).isEqualTo(new Verification(true, false));
        // min_rounds bounds them from below only
        PasswordHasher min1 = new PasswordHasher(defaultOnly.settings().withPasslibOption("argon2__min_rounds", "1"));
        assertThat(min1.verify(PASSWORD, t2)).isEqualTo(new Verification(true, false));

        PasswordSettings bcryptDefault = cheap().withDefaultScheme("bcrypt")
                .withPasslibOptions(Map.of("bcrypt__default_rounds", "4"));
        String cost5 = new PasswordHasher(bcryptDefault.withPasslibOption("bcrypt__default_rounds", "5")).hash(PASSWORD);
        assertThat(cost5).startsWith("$2b$05$");
        assertThat(new PasswordHasher(bcryptDefault).verify(PASSWORD, cost5)).isEqualTo(new Verification(true, false));
        PasswordHasher max4 = new PasswordHasher(bcryptDefault.withPasslibOption("bcrypt__max_rounds", "4"));
        assertThat(max4.verify(PASSWORD, cost5)).isEqualTo(new Verification(true, true));
        PasswordHasher fixed4 = new PasswordHasher(bcryptDefault.withPasslibOption("bcrypt__rounds", "4"));
        assertThat(fixed4.verify(PASSWORD, cost5)).isEqualTo(new Verification(true, true));
    }

    @Test
    void argon2Version16HashesVerifyAndAreRehashed() {
        byte[] salt = "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII);
        PasswordHasher hasher = cheapHasher("argon2");
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_10)
                .withIterations(1).withMemoryAsKB(256).withParallelism(2).withSalt(salt).build());
        byte[] digest = new byte[16];
        generator.generateBytes(hasher.preHash(PASSWORD), digest);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String hash = "$argon2id$m=256,t=1,p=2$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);
        assertThat(hasher.verify(PASSWORD, hash)).isEqualTo(new Verification(true, true));
        assertThat(hasher.verify("wrong", hash)).isEqualTo(Verification.INVALID);
    }

    @Test
    void bcrypt2aAnd2yVerify() {
        PasswordHasher hasher = cheapHasher("argon2");
        for (String ident : List.of("2a", "2y")) {
            String hash = new PasswordHasher(cheap().withDefaultScheme("bcrypt")
                    .withPasslibOption("bcrypt__ident", ident)).hash(PASSWORD);
            assertThat(hash).startsWith("$" + ident + "$04$");
            assertThat(hasher.verify(PASSWORD, hash)).isEqualTo(new Verification(true, true));
        }
    }

    @Test
    void storedPlaintextVerifiesAndIsRehashed() {
        PasswordHasher hasher = cheapHasher("argon2");
        assertThat(hasher.verify("hello world", "hello world")).isEqualTo(new Verification(true, true));
        assertThat(hasher.verify("hello", "hello world")).isEqualTo(Verification.INVALID);
    }

    static List<String> malformed() {
        String salt = "c2FsdHNhbHRzYWx0c2FsdA";
        String digest = "aGFzaGhhc2hoYXNoaGFzaA";
        String bcryptTail = "HipPKDt./gsm.XUE6bExIuxnWBZATyCiTmRY1zYvpHOOMQ9/q6RJW";
        String pbkdf2Salt = "lBKCMGZsDUEIoXTu/b/3Xg";
        String sha512Sum = "x".repeat(86);
        return List.of(
                "$argon2id$v=19$m=256,t=1,p=2$" + salt,
                "$argon2id$v=19$m=256,t=1,p=2$" + salt + "$",
                "$argon2id$v=19$m=abc,t=1,p=2$" + salt + "$" + digest,
                "$argon2id$v=18$m=256,t=1,p=2$" + salt + "$" + digest,
                "$argon2x$v=19$m=256,t=1,p=2$" + salt + "$" + digest,
                "$argon2id$v=19$m=8,t=1,p=2$" + salt + "$" + digest,
                "$argon2id$v=19$m=99999999999,t=1,p=2$" + salt + "$" + digest,
                "$argon2id$v=19$m=256,t=0,p=2$" + salt + "$" + digest,
                "$argon2id$v=19$m=256,t=1,p=0$" + salt + "$" + digest,
                "$argon2id$v=19$m=256,t=1,p=2,keyid=abc$" + salt + "$" + digest,
                "$argon2id$v=19$m=256,t=1,p=2$!!!!$" + digest,
                "$argon2id$v=19$m=256,t=1,p=2$c2FsdA$" + digest,
                "$argon2id$v=19$m=256,t=1,p=2$" + salt + "$aGFzaA=",
                "$argon2id$v=19$m=256,t=1,p=2$" + salt + "$" + digest + "$extra",
                "$argon2id$",
                "$2b$12$short",
                "$2b$03$" + bcryptTail,
                "$2b$32$" + bcryptTail,
                "$2b$1a$" + bcryptTail,
                "$2x$12$" + bcryptTail,
                "$2$12$" + bcryptTail,
                "$2b$12$" + bcryptTail + "X",
                "$pbkdf2-sha512$0$" + pbkdf2Salt + "$" + sha512Sum,
                "$pbkdf2-sha512$025000$" + pbkdf2Salt + "$" + sha512Sum,
                "$pbkdf2-sha512$25000$" + pbkdf2Salt + "$short",
                "$pbkdf2-sha512$25000$" + pbkdf2Salt,
                "$pbkdf2-sha512$99999999999$" + pbkdf2Salt + "$" + sha512Sum,
                "$pbkdf2-sha256$29000$" + pbkdf2Salt + "$" + sha512Sum,
                "$5$rounds=999$saltsalt$" + "x".repeat(43),
                "$5$rounds=abc$saltsalt$" + "x".repeat(43),
                "$5$rounds=01000$saltsalt$" + "x".repeat(43),
                "$6$saltsalt$short",
                "$6$rounds=1000$salt_with_bad*chars$" + sha512Sum,
                "$6$rounds=1000$saltsaltsaltsaltX$" + sha512Sum,
                "ab",
                "$unknown$abc$def",
                "$1$saltsalt$abcdefghijklmnopqrstuv",
                "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedOrUnknownHashIsInvalidNotAnException(String hash) {
        PasswordHasher hasher = cheapHasher("argon2");
        assertThat(hasher.verify(PASSWORD, hash)).isEqualTo(Verification.INVALID);
        // Submitting the stored text itself must not pass as a plaintext match.
        assertThat(hasher.verify(hash, hash)).isEqualTo(Verification.INVALID);
        assertThat(hasher.needsUpdate(hash)).isFalse();
    }

    @Test
    void nullOrEmptyStoredHashIsInvalid() {
        PasswordHasher hasher = cheapHasher("argon2");
        assertThat(hasher.verify(PASSWORD, null)).isEqualTo(Verification.INVALID);
        assertThat(hasher.verify("", "")).isEqualTo(Verification.INVALID);
    }

    @Test
    void withoutPlaintextAnUnknownValueIsInvalid() {
        PasswordHasher hasher = new PasswordHasher(cheap().withSchemes(List.of("argon2", "bcrypt")));
        assertThat(hasher.verify("hello", "hello")).isEqualTo(Verification.INVALID);
        // a scheme that is not configured is not tried, even when the hash is good
        String pbkdf2 = cheapHasher("pbkdf2_sha512").hash(PASSWORD);
        assertThat(hasher.verify(PASSWORD, pbkdf2)).isEqualTo(Verification.INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bcrypt", "des_crypt", "sha256_crypt", "sha512_crypt"})
    void nulIsRefusedByCStringSchemesWhenSingleHashed(String scheme) {
        PasswordSettings settings = cheap().withDefaultScheme(scheme).withSingleHashAll(true);
        PasswordHasher hasher = new PasswordHasher(settings);
        assertThatThrownBy(() -> hasher.hash("pass\u0000word")).isInstanceOf(IllegalArgumentException.class);
        assertThat(hasher.verify("pass\u0000word", hasher.hash("pass"))).isEqualTo(Verification.INVALID);
        // with the pre-hash the scheme never sees the NUL
        PasswordHasher preHashed = cheapHasher(scheme);
        assertThat(preHashed.verify("pass\u0000word", preHashed.hash("pass\u0000word")).valid()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("producibleSchemes")
    void verifyDummyRunsForEveryDefaultScheme(String scheme) {
        PasswordHasher hasher = cheapHasher(scheme);
        for (String password : List.of(PASSWORD, "", "Päßwörd✓", "\u0000")) {
            assertThatCode(() -> hasher.verifyDummy(password)).doesNotThrowAnyException();
        }
    }

    @Test
    void verifyDummyCostsAboutAsMuchAsARealVerification() {
        // Wide bounds: the point is that it does the hashing work, not a precise timing on a busy machine.
        PasswordHasher hasher = new PasswordHasher(cheap()
                .withPasslibOption("argon2__memory_cost", "8192").withPasslibOption("argon2__rounds", "2"));
        String hash = hasher.hash(PASSWORD);
        long real = Long.MAX_VALUE;
        long dummy = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            hasher.verify("wrong-password", hash);
            long t1 = System.nanoTime();
            hasher.verifyDummy("wrong-password");
            long t2 = System.nanoTime();
            real = Math.min(real, t1 - t0);
            dummy = Math.min(dummy, t2 - t1);
        }
        assertThat(dummy).isGreaterThan(real / 4);
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        PasswordHasher hasher = cheapHasher("argon2");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String password = "password-" + i;
                results.add(pool.submit(() -> {
                    String hash = hasher.hash(password);
                    return hasher.verify(password, hash).valid() && !hasher.verify(password + "x", hash).valid();
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.gatehouse.password;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * passlib's {@code argon2}: PHC strings {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash} with unpadded standard
 * base64, computed by BouncyCastle's generator on the calling thread (lanes run one after the other).
 *
 * <p>All hashes share one pool of argon2 memory blocks, sized for one hash with the configured parameters: a
 * steady stream of hashes then reuses the same memory instead of allocating and collecting {@code memory_cost}
 * KiB each time. Concurrent hashes beyond the first allocate their own blocks; the pool keeps no more than its
 * size.
 */
final class Argon2Scheme implements Scheme {
    // Without options Flask-Security 5.5+ (PASSWORD_HASH_PASSLIB_OPTIONS = {}) gets these from passlib/libpass,
    // which copies argon2-cffi's PasswordHasher defaults: the RFC 9106 low-memory profile since argon2-cffi 21.2.
    static final int DEFAULT_TIME_COST = 3;
    static final int DEFAULT_MEMORY_KIB = 65536;
    static final int DEFAULT_PARALLELISM = 4;
    static final int DEFAULT_DIGEST_SIZE = 32;
    static final int DEFAULT_SALT_SIZE = 16;

    /** Stored hashes asking for more memory than this (4 GiB) are treated as malformed rather than tried. */
    static final int MAX_MEMORY_KIB = 1 << 22;
    static final int MAX_PARALLELISM = (1 << 24) - 1;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_DIGEST_BYTES = 4;
    private static final int MAX_DIGEST_BYTES = 1024;

    private static final Pattern IDENT = Pattern.compile("^\\$argon2[a-z]+\\$");
    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2([a-z]+)\\$(?:v=(\\d{1,10})\\$)?m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})"
                    + "(,keyid=[^,$]*)?(?:,data=([^,$]+))?\\$([^$]+)\\$([^$]+)");

    private final SecureRandom random;
    private final int type;
    private final String typeName;
    private final int timeCost;
    private final int memoryKib;
    private final int parallelism;
    private final int digestSize;
    private final int saltSize;
    private final PasslibOptions.Rounds rounds;
    private final Argon2BytesGenerator.BlockPool pool;

    Argon2Scheme(PasslibOptions options, SecureRandom random) {
        this.random = random;
        this.typeName = options.text("argon2", "type", "id");
        this.type = typeCode(typeName);
        this.rounds = options.rounds("argon2");
        this.timeCost = rounds.defaultRounds();
        this.memoryKib = options.integer("argon2", "memory_cost", DEFAULT_MEMORY_KIB);
        this.parallelism = options.integer("argon2", "parallelism", DEFAULT_PARALLELISM);
        this.digestSize = options.integer("argon2", "digest_size", DEFAULT_DIGEST_SIZE);
        this.saltSize = options.integer("argon2", "salt_size", DEFAULT_SALT_SIZE);
        this.pool = new Argon2BytesGenerator.FixedBlockPool(Argon2BytesGenerator.getBlockCount(memoryKib, parallelism));
    }

    private static int typeCode(String name) {
        return switch (name) {
            case "id" -> Argon2Parameters.ARGON2_id;
            case "i" -> Argon2Parameters.ARGON2_i;
            case "d" -> Argon2Parameters.ARGON2_d;
            default -> -1;
        };
    }

    @Override
    public String name() {
        return "argon2";
    }

    @Override
    public boolean identifies(String hash) {
        return IDENT.matcher(hash).find();
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[saltSize];
        random.nextBytes(salt);
        byte[] digest = compute(type, Argon2Parameters.ARGON2_VERSION_13, memoryKib, timeCost, parallelism, salt,
                null, secret, digestSize);
        return "$argon2" + typeName + "$v=19$m=" + memoryKib + ",t=" + timeCost + ",p=" + parallelism + "$"
                + HashEncodings.b64s(salt) + "$" + HashEncodings.b64s(digest);
    }

    private byte[] compute(int typeCode, int version, int memory, int iterations, int lanes, byte[] salt,
                           byte[] data, byte[] secret, int outLength) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(typeCode)
                .withVersion(version)
                .withIterations(iterations)
                .withMemoryAsKB(memory)
                .withParallelism(lanes)
                .withSalt(salt)
                .withBlockPool(pool);
        if (data != null) {
            builder.withAdditional(data);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[outLength];
        generator.generateBytes(secret, out);
        return out;
    }

    @Override
    public StoredHash parse(String hash) {
        Matcher m = FORMAT.matcher(hash);
        if (!m.matches() || m.group(6) != null) {
            return null; // passlib does not support keyid either
        }
        int typeCode = typeCode(m.group(1));
        long version = m.group(2) == null ? 0x10 : Long.parseLong(m.group(2));
        long memory = Long.parseLong(m.group(3));
        long iterations = Long.parseLong(m.group(4));
        long lanes = Long.parseLong(m.group(5));
        byte[] data = m.group(7) == null ? null : HashEncodings.fromB64s(m.group(7));
        byte[] salt = HashEncodings.fromB64s(m.group(8));
        byte[] digest = HashEncodings.fromB64s(m.group(9));
        if (typeCode < 0
                || (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13)
                || lanes < 1 || lanes > MAX_PARALLELISM
                || memory < 8 * lanes || memory > MAX_MEMORY_KIB
                || iterations < 1 || iterations > Integer.MAX_VALUE
                || (m.group(7) != null && data == null)
                || salt == null || salt.length < MIN_SALT_BYTES
                || digest == null || digest.length < MIN_DIGEST_BYTES || digest.length > MAX_DIGEST_BYTES) {
            return null;
        }
        return new Stored(m.group(1), typeCode, (int) version, (int) memory, (int) iterations, (int) lanes, data,
                salt, digest);
    }

    private final class Stored implements StoredHash {
        private final String typeName;
        private final int typeCode;
        private final int version;
        private final int memory;
        private final int iterations;
        private final int lanes;
        private final byte[] data;
        private final byte[] salt;
        private final byte[] digest;

        Stored(String typeName, int typeCode, int version, int memory, int iterations, int lanes, byte[] data,
               byte[] salt, byte[] digest) {
            this.typeName = typeName;
            this.typeCode = typeCode;
            this.version = version;
            this.memory = memory;
            this.iterations = iterations;
            this.lanes = lanes;
            this.data = data;
            this.salt = salt;
            this.digest = digest;
        }

        @Override
        public boolean matches(byte[] secret) {
            byte[] computed = compute(typeCode, version, memory, iterations, lanes, salt, data, secret,
                    digest.length);
            return MessageDigest.isEqual(computed, digest);
        }

        @Override
        public boolean outdated() {
            // passlib's argon2 needs_update: type, version, memory, digest size and parallelism must match the
            // configuration; time cost only against the desired rounds (argon2__rounds fixes them).
            return !typeName.equals(Argon2Scheme.this.typeName)
                    || version < Argon2Parameters.ARGON2_VERSION_13
                    || memory != memoryKib
                    || digest.length != digestSize
                    || lanes != parallelism
                    || !rounds.accepts(iterations);
        }
    }
}

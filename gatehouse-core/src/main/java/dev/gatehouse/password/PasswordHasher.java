package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes and verifies passwords the way Flask-Security does, so that hashes move freely between a
 * Flask-Security application and Gatehouse.
 *
 * <p>A password is first normalized ({@link PasswordSettings#normalizeForm()}, NFKD by default). Unless the
 * scheme is single-hash, the scheme then gets Flask-Security's pre-hash instead of the password:
 * {@code base64(HMAC-SHA512(key = UTF-8(SECURITY_PASSWORD_SALT), message = UTF-8(password)))}, 88 characters
 * with padding. Otherwise it gets the UTF-8 bytes of the normalized password. Hashes are written in passlib's
 * formats.
 *
 * <p>{@link #verify} identifies a stored hash's scheme the way passlib does, by trying the configured schemes
 * in order, and reports a re-hash when the scheme is deprecated or, following passlib's {@code needs_update},
 * when an argon2 hash's type, version, memory cost, parallelism or digest size differ from the configured ones,
 * or when a hash's rounds (argon2's time cost) fall outside the desired rounds, which exist only when
 * {@code <scheme>__rounds} (exactly those rounds) or {@code min_rounds}/{@code max_rounds} are configured.
 * A bcrypt {@code $2a$} hash with non-zero salt padding bits is re-hashed too, as passlib does.
 *
 * <p>Deliberate differences from passlib: a stored value shaped like a modular-crypt hash ({@code $name$...})
 * is never compared as {@code plaintext}, so the text of a hash in an unconfigured scheme does not work as a
 * password; an empty stored value never verifies; a malformed hash is a failed verification, not an error.
 *
 * <p>Instances are immutable and thread-safe. Hashing runs on the calling thread (argon2's lanes one after the
 * other, no thread pool). An instance keeps one argon2 hash's worth of memory blocks ({@code memory_cost} KiB,
 * 64 MiB by default) for reuse by later hashes.
 */
public final class PasswordHasher {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);
    private static final String HMAC = "HmacSHA512";

    private final PasswordSettings settings;
    private final List<Scheme> schemes;
    private final Scheme defaultScheme;
    private final Mac preHashMac;
    private final String dummyHash;

    /**
     * A hasher with a fresh {@link SecureRandom} for salts.
     *
     * @param settings the settings
     */
    public PasswordHasher(PasswordSettings settings) {
        this(settings, new SecureRandom());
    }

    /**
     * A hasher; computes one hash of a random password in the default scheme for {@link #verifyDummy}.
     *
     * @param settings the settings
     * @param random   the source of salts
     */
    public PasswordHasher(PasswordSettings settings, SecureRandom random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(random, "random");
        PasslibOptions options = PasslibOptions.parse(settings.passlibOptions());
        List<Scheme> list = new ArrayList<>();
        for (String name : settings.schemes()) {
            list.add(switch (name) {
                case "argon2" -> new Argon2Scheme(options, random);
                case "bcrypt" -> new BcryptScheme(options, random);
                case "des_crypt" -> new DesCryptScheme(random);
                case "pbkdf2_sha256" -> Pbkdf2Scheme.sha256(options, random);
                case "pbkdf2_sha512" -> Pbkdf2Scheme.sha512(options, random);
                case "sha256_crypt" -> ShaCryptScheme.sha256(options, random);
                case "sha512_crypt" -> ShaCryptScheme.sha512(options, random);
                case "plaintext" -> new PlaintextScheme();
                default -> throw new IllegalArgumentException("unsupported password scheme '" + name + "'");
            });
        }
        this.schemes = List.copyOf(list);
        this.defaultScheme = schemes.get(settings.schemes().indexOf(settings.defaultScheme()));
        String salt = settings.passwordSalt();
        if (salt == null || salt.isEmpty()) {
            this.preHashMac = null;
        } else {
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), HMAC));
                this.preHashMac = mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(HMAC + " is not available", e);
            }
        }
        byte[] dummy = new byte[18];
        random.nextBytes(dummy);
        this.dummyHash = hash(Base64.getEncoder().encodeToString(dummy));
    }

    /**
     * The settings this hasher was built from.
     *
     * @return the settings
     */
    public PasswordSettings settings() {
        return settings;
    }

    /**
     * Hashes a password with the default scheme, for storing.
     *
     * @param password the password as the user typed it; it is normalized here
     * @return the hash in passlib's format for the scheme
     * @throws IllegalArgumentException when a single-hash bcrypt, des_crypt or sha-crypt default is given a
     *                                  password containing NUL, which those schemes cannot take
     */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        return defaultScheme.hash(secret(defaultScheme, normalize(password, settings.normalizeForm())));
    }

    /**
     * Checks a password against a stored hash. Never throws for a bad stored value: a {@code null}, empty,
     * unidentifiable or malformed hash is simply {@link Verification#INVALID}.
     *
     * @param password   the password as the user typed it; it is normalized here
     * @param storedHash the stored hash, in any configured scheme
     * @return whether it matched, and whether the stored hash should be replaced
     */
    public Verification verify(String password, String storedHash) {
        Objects.requireNonNull(password, "password");
        if (storedHash == null || storedHash.isEmpty()) {
            return Verification.INVALID;
        }
        Scheme scheme = identify(storedHash);
        if (scheme == null) {
            LOG.warn("Stored password hash matches none of the configured schemes {}", settings.schemes());
            return Verification.INVALID;
        }
        Scheme.StoredHash parsed = scheme.parse(storedHash);
        if (parsed == null) {
            LOG.warn("Stored password hash looks like {} but is malformed", scheme.name());
            return Verification.INVALID;
        }
        byte[] secret = secret(scheme, normalize(password, settings.normalizeForm()));
        if (!parsed.matches(secret)) {
            return Verification.INVALID;
        }
        return new Verification(true, settings.isDeprecated(scheme.name()) || parsed.outdated());
    }

    /**
     * Does the work of verifying a password against a hash in the default scheme and throws the result away,
     * so that a login for an unknown user (or one without a password) takes as long as one for a known user.
     *
     * @param password the submitted password
     */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    /**
     * Unicode-normalizes a password the way Flask-Security's forms do.
     *
     * @param password the password
     * @param form     {@code NFKD}, {@code NFKC}, {@code NFD}, {@code NFC}, or {@code null} to leave it as is
     * @return the normalized password
     * @throws IllegalArgumentException for another form name
     */
    public static String normalize(String password, String form) {
        Objects.requireNonNull(password, "password");
        if (form == null) {
            return password;
        }
        Normalizer.Form f = switch (form) {
            case "NFKD" -> Normalizer.Form.NFKD;
            case "NFKC" -> Normalizer.Form.NFKC;
            case "NFD" -> Normalizer.Form.NFD;
            case "NFC" -> Normalizer.Form.NFC;
            default -> throw new IllegalArgumentException("unknown normalization form '" + form + "'");
        };
        return Normalizer.normalize(password, f);
    }

    /** passlib's {@code CryptContext.identify} over the configured schemes, or {@code null}. */
    Scheme identify(String storedHash) {
        for (Scheme scheme : schemes) {
            if (scheme.identifies(storedHash)) {
                return scheme;
            }
        }
        return null;
    }

    /**
     * passlib's {@code needs_update} for a stored hash, whatever the password: deprecated scheme or outdated
     * parameters. {@code false} for a hash that cannot be identified or parsed.
     */
    boolean needsUpdate(String storedHash) {
        Scheme scheme = identify(storedHash);
        Scheme.StoredHash parsed = scheme == null ? null : scheme.parse(storedHash);
        return parsed != null && (settings.isDeprecated(scheme.name()) || parsed.outdated());
    }

    /** Flask-Security's pre-hash of an already normalized password, as ASCII bytes (88 of them). */
    byte[] preHash(String normalized) {
        if (preHashMac == null) {
            throw new IllegalStateException("SECURITY_PASSWORD_SALT is not set");
        }
        Mac mac;
        try {
            mac = (Mac) preHashMac.clone();
        } catch (CloneNotSupportedException e) {
            mac = freshPreHashMac();
        }
        return Base64.getEncoder().encode(mac.doFinal(normalized.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac freshPreHashMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(settings.passwordSalt().getBytes(StandardCharsets.UTF_8), HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is not available", e);
        }
    }

    private byte[] secret(Scheme scheme, String normalized) {
        return settings.usesPreHash(scheme.name()) ? preHash(normalized) : normalized.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.gatehouse.password;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How passwords are hashed and verified: the Flask-Security settings {@code SECURITY_PASSWORD_HASH},
 * {@code SECURITY_PASSWORD_SCHEMES}, {@code SECURITY_DEPRECATED_PASSWORD_SCHEMES},
 * {@code SECURITY_PASSWORD_SINGLE_HASH}, {@code SECURITY_PASSWORD_SALT},
 * {@code SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS} and {@code SECURITY_PASSWORD_NORMALIZE_FORM}.
 *
 * <p>Supported schemes: {@code argon2}, {@code bcrypt}, {@code des_crypt}, {@code pbkdf2_sha256},
 * {@code pbkdf2_sha512}, {@code sha256_crypt}, {@code sha512_crypt} and {@code plaintext}.
 *
 * <p>Supported passlib options ({@code <scheme>__<option>}; values are decimal integers unless noted). As in
 * passlib's {@code CryptContext}, {@code rounds} sets the rounds of new hashes <em>and</em>, unless
 * {@code min_rounds}/{@code max_rounds} are given, the only rounds a stored hash may have without being
 * re-hashed; {@code default_rounds} sets only the rounds of new hashes.
 * <ul>
 *   <li>{@code argon2}: {@code rounds} (alias {@code time_cost}), {@code default_rounds}, {@code min_rounds},
 *       {@code max_rounds}, {@code memory_cost} (KiB), {@code parallelism}, {@code digest_size} (alias
 *       {@code hash_len}, {@code checksum_size}), {@code salt_size} (alias {@code salt_len}), {@code type}
 *       ({@code id}, {@code i} or {@code d}). Without options: argon2id, t=3, m=65536, p=4, 32-byte hash,
 *       16-byte salt, which is what Flask-Security 5.5+ (its {@code PASSWORD_HASH_PASSLIB_OPTIONS} default is
 *       empty) gets from passlib/libpass with argon2-cffi &ge; 21.2 (RFC 9106's low-memory profile).</li>
 *   <li>{@code bcrypt} (default 12 rounds): {@code rounds}, {@code default_rounds}, {@code min_rounds},
 *       {@code max_rounds}, {@code ident} ({@code 2b} default, {@code 2a}, {@code 2y}).</li>
 *   <li>{@code pbkdf2_sha256} (default 29000 rounds), {@code pbkdf2_sha512} (default 25000 rounds):
 *       {@code rounds}, {@code default_rounds}, {@code min_rounds}, {@code max_rounds}, {@code salt_size}
 *       (bytes, default 16).</li>
 *   <li>{@code sha256_crypt} (default 535000 rounds), {@code sha512_crypt} (default 656000 rounds):
 *       {@code rounds}, {@code default_rounds}, {@code min_rounds}, {@code max_rounds}, {@code salt_size}
 *       (characters, default 16).</li>
 * </ul>
 * Unknown schemes, unknown options and out-of-range or contradictory values are rejected when the settings
 * are built, with an {@link IllegalArgumentException} naming the setting; the collections are copied.
 *
 * @param defaultScheme   the scheme new hashes are made with ({@code SECURITY_PASSWORD_HASH}); must be in
 *                        {@code schemes}
 * @param schemes         the schemes a stored hash may use, in the order they are tried when identifying a
 *                        hash ({@code SECURITY_PASSWORD_SCHEMES})
 * @param deprecatedSchemes schemes whose hashes are replaced after a successful verification;
 *                        {@code ["auto"]} means every scheme but the default
 * @param singleHash      schemes that get the password itself instead of the HMAC pre-hash; when empty,
 *                        {@code plaintext} alone (as Flask-Security does)
 * @param singleHashAll   {@code SECURITY_PASSWORD_SINGLE_HASH=True}: no scheme gets the pre-hash
 * @param passwordSalt    {@code SECURITY_PASSWORD_SALT}, the HMAC key of the pre-hash; required unless no
 *                        configured scheme uses the pre-hash
 * @param passlibOptions  {@code SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS}, values as strings
 * @param normalizeForm   the Unicode normalization applied to passwords ({@code NFKD}, {@code NFKC},
 *                        {@code NFD}, {@code NFC}), or {@code null} for none
 */
public record PasswordSettings(
        String defaultScheme,
        List<String> schemes,
        List<String> deprecatedSchemes,
        Set<String> singleHash,
        boolean singleHashAll,
        String passwordSalt,
        Map<String, String> passlibOptions,
        String normalizeForm) {

    /** Flask-Security's default {@code SECURITY_PASSWORD_SCHEMES}. */
    public static final List<String> DEFAULT_SCHEMES = List.of(
            "bcrypt", "argon2", "des_crypt", "pbkdf2_sha256", "pbkdf2_sha512", "sha256_crypt", "sha512_crypt",
            "plaintext");

    /** Flask-Security's default {@code SECURITY_PASSWORD_SINGLE_HASH}. */
    public static final Set<String> DEFAULT_SINGLE_HASH = Set.of(
            "django_argon2", "django_bcrypt_sha256", "django_pbkdf2_sha256", "django_pbkdf2_sha1",
            "django_bcrypt", "django_salted_md5", "django_salted_sha1", "django_des_crypt", "plaintext");

    /** The value of {@code deprecatedSchemes} that deprecates every scheme except the default. */
    public static final String AUTO = "auto";

    static final Set<String> SUPPORTED_SCHEMES = Set.of(
            "argon2", "bcrypt", "des_crypt", "pbkdf2_sha256", "pbkdf2_sha512", "sha256_crypt", "sha512_crypt",
            "plaintext");

    private static final Set<String> NORMALIZE_FORMS = Set.of("NFC", "NFD", "NFKC", "NFKD");

    /**
     * Validates and copies the settings; see the class description for each component.
     *
     * @param defaultScheme     {@code SECURITY_PASSWORD_HASH}
     * @param schemes           {@code SECURITY_PASSWORD_SCHEMES}
     * @param deprecatedSchemes {@code SECURITY_DEPRECATED_PASSWORD_SCHEMES}
     * @param singleHash        {@code SECURITY_PASSWORD_SINGLE_HASH} as a set
     * @param singleHashAll     {@code SECURITY_PASSWORD_SINGLE_HASH=True}
     * @param passwordSalt      {@code SECURITY_PASSWORD_SALT}
     * @param passlibOptions    {@code SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS}
     * @param normalizeForm     {@code SECURITY_PASSWORD_NORMALIZE_FORM}
     * @throws IllegalArgumentException naming the offending setting when the settings are inconsistent
     */
    public PasswordSettings {
        Objects.requireNonNull(defaultScheme, "defaultScheme");
        schemes = List.copyOf(schemes);
        deprecatedSchemes = List.copyOf(deprecatedSchemes);
        singleHash = Set.copyOf(singleHash);
        passlibOptions = Map.copyOf(passlibOptions);

        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("SECURITY_PASSWORD_SCHEMES must not be empty");
        }
        for (String scheme : schemes) {
            if (!SUPPORTED_SCHEMES.contains(scheme)) {
                throw new IllegalArgumentException("SECURITY_PASSWORD_SCHEMES: unsupported scheme '" + scheme
                        + "'; supported are " + DEFAULT_SCHEMES);
            }
        }
        if (Set.copyOf(schemes).size() != schemes.size()) {
            throw new IllegalArgumentException("SECURITY_PASSWORD_SCHEMES lists a scheme twice: " + schemes);
        }
        if (!schemes.contains(defaultScheme)) {
            throw new IllegalArgumentException("SECURITY_PASSWORD_HASH '" + defaultScheme
                    + "' is not one of SECURITY_PASSWORD_SCHEMES " + schemes);
        }
        if (deprecatedSchemes.contains(AUTO)) {
            if (deprecatedSchemes.size() != 1) {
                throw new IllegalArgumentException(
                        "SECURITY_DEPRECATED_PASSWORD_SCHEMES: 'auto' cannot be combined with other schemes");
            }
        } else {
            for (String scheme : deprecatedSchemes) {
                if (!schemes.contains(scheme)) {
                    throw new IllegalArgumentException("SECURITY_DEPRECATED_PASSWORD_SCHEMES: '" + scheme
                            + "' is not one of SECURITY_PASSWORD_SCHEMES");
                }
            }
            if (deprecatedSchemes.contains(defaultScheme)) {
                throw new IllegalArgumentException("SECURITY_DEPRECATED_PASSWORD_SCHEMES: the default scheme '"
                        + defaultScheme + "' cannot be deprecated");
            }
        }
        if (normalizeForm != null && !NORMALIZE_FORMS.contains(normalizeForm)) {
            throw new IllegalArgumentException("SECURITY_PASSWORD_NORMALIZE_FORM must be one of "
                    + NORMALIZE_FORMS + " or unset, not '" + normalizeForm + "'");
        }
        if (passwordSalt == null || passwordSalt.isEmpty()) {
            for (String scheme : schemes) {
                if (usesPreHash(scheme, singleHash, singleHashAll)) {
                    throw new IllegalArgumentException("SECURITY_PASSWORD_SALT is required: scheme '" + scheme
                            + "' is not in SECURITY_PASSWORD_SINGLE_HASH, so its input is the HMAC pre-hash");
                }
            }
        }
        PasslibOptions.parse(passlibOptions);
    }

    /**
     * Flask-Security's defaults: argon2 for new hashes, the default scheme list with every other scheme
     * deprecated, the default single-hash set, no passlib options and NFKD normalization.
     *
     * @param passwordSalt the {@code SECURITY_PASSWORD_SALT}
     * @return the default settings
     * @throws IllegalArgumentException when the salt is missing
     */
    public static PasswordSettings defaults(String passwordSalt) {
        return new PasswordSettings("argon2", DEFAULT_SCHEMES, List.of(AUTO), DEFAULT_SINGLE_HASH, false,
                passwordSalt, Map.of(), "NFKD");
    }

    /**
     * A copy with another default scheme.
     *
     * @param scheme the new {@code SECURITY_PASSWORD_HASH}
     * @return the changed settings
     */
    public PasswordSettings withDefaultScheme(String scheme) {
        return new PasswordSettings(scheme, schemes, deprecatedSchemes, singleHash, singleHashAll, passwordSalt,
                passlibOptions, normalizeForm);
    }

    /**
     * A copy with another list of accepted schemes.
     *
     * @param newSchemes the new {@code SECURITY_PASSWORD_SCHEMES}
     * @return the changed settings
     */
    public PasswordSettings withSchemes(List<String> newSchemes) {
        return new PasswordSettings(defaultScheme, newSchemes, deprecatedSchemes, singleHash, singleHashAll,
                passwordSalt, passlibOptions, normalizeForm);
    }

    /**
     * A copy with other deprecated schemes.
     *
     * @param newDeprecated the new {@code SECURITY_DEPRECATED_PASSWORD_SCHEMES}
     * @return the changed settings
     */
    public PasswordSettings withDeprecatedSchemes(List<String> newDeprecated) {
        return new PasswordSettings(defaultScheme, schemes, newDeprecated, singleHash, singleHashAll,
                passwordSalt, passlibOptions, normalizeForm);
    }

    /**
     * A copy with another set of single-hash schemes ({@code SECURITY_PASSWORD_SINGLE_HASH} as a set).
     *
     * @param newSingleHash the schemes that get the password without the pre-hash
     * @return the changed settings, with {@code singleHashAll} false
     */
    public PasswordSettings withSingleHash(Set<String> newSingleHash) {
        return new PasswordSettings(defaultScheme, schemes, deprecatedSchemes, newSingleHash, false,
                passwordSalt, passlibOptions, normalizeForm);
    }

    /**
     * A copy with {@code SECURITY_PASSWORD_SINGLE_HASH} set to a boolean.
     *
     * @param all {@code true}: no scheme gets the pre-hash; {@code false}: only {@code plaintext} is single-hash
     * @return the changed settings
     */
    public PasswordSettings withSingleHashAll(boolean all) {
        return new PasswordSettings(defaultScheme, schemes, deprecatedSchemes, all ? singleHash : Set.of(), all,
                passwordSalt, passlibOptions, normalizeForm);
    }

    /**
     * A copy with other passlib options.
     *
     * @param options the new {@code SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS}
     * @return the changed settings
     */
    public PasswordSettings withPasslibOptions(Map<String, String> options) {
        return new PasswordSettings(defaultScheme, schemes, deprecatedSchemes, singleHash, singleHashAll,
                passwordSalt, options, normalizeForm);
    }

    /**
     * A copy with one passlib option added or replaced.
     *
     * @param key   {@code <scheme>__<option>}, e.g. {@code argon2__rounds}
     * @param value the value
     * @return the changed settings
     */
    public PasswordSettings withPasslibOption(String key, String value) {
        Map<String, String> options = new LinkedHashMap<>(passlibOptions);
        options.put(key, value);
        return withPasslibOptions(options);
    }

    /**
     * A copy with another normalization form.
     *
     * @param form {@code NFKD}, {@code NFKC}, {@code NFD}, {@code NFC} or {@code null} for none
     * @return the changed settings
     */
    public PasswordSettings withNormalizeForm(String form) {
        return new PasswordSettings(defaultScheme, schemes, deprecatedSchemes, singleHash, singleHashAll,
                passwordSalt, passlibOptions, form);
    }

    /** Whether a scheme's input is the HMAC pre-hash (Flask-Security's {@code use_double_hash}). */
    boolean usesPreHash(String scheme) {
        return usesPreHash(scheme, singleHash, singleHashAll);
    }

    /** Whether hashes of a scheme are replaced after a successful verification. */
    boolean isDeprecated(String scheme) {
        return deprecatedSchemes.contains(AUTO) ? !scheme.equals(defaultScheme) : deprecatedSchemes.contains(scheme);
    }

    private static boolean usesPreHash(String scheme, Set<String> singleHash, boolean singleHashAll) {
        if (singleHashAll) {
            return false;
        }
        // Flask-Security treats an empty (falsy) setting as {"plaintext"}.
        Set<String> single = singleHash.isEmpty() ? Set.of("plaintext") : singleHash;
        return !single.contains(scheme);
    }

    /** Like the generated one, but the password salt is a secret and is not shown. */
    @Override
    public String toString() {
        return "PasswordSettings[defaultScheme=" + defaultScheme + ", schemes=" + schemes
                + ", deprecatedSchemes=" + deprecatedSchemes + ", singleHash=" + singleHash
                + ", singleHashAll=" + singleHashAll + ", passwordSalt=" + (passwordSalt == null ? "null" : "***")
                + ", passlibOptions=" + passlibOptions + ", normalizeForm=" + normalizeForm + "]";
    }
}

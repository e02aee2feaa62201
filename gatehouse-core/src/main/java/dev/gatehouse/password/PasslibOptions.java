package dev.gatehouse.password;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS} parsed and checked: {@code <scheme>__<option>} keys, passlib's
 * aliases folded into one name, integers range-checked.
 */
final class PasslibOptions {
    private static final String SETTING = "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS";

    /** Integer options per scheme and their bounds; {@code type} and {@code ident} are text. */
    private record Bound(long min, long max) {
    }

    private static final Map<String, Map<String, Bound>> INTEGER_OPTIONS = Map.of(
            "argon2", Map.of(
                    "rounds", new Bound(1, Integer.MAX_VALUE),
                    "default_rounds", new Bound(1, Integer.MAX_VALUE),
                    "min_rounds", new Bound(1, Integer.MAX_VALUE),
                    "max_rounds", new Bound(1, Integer.MAX_VALUE),
                    "memory_cost", new Bound(8, Argon2Scheme.MAX_MEMORY_KIB),
                    "parallelism", new Bound(1, Argon2Scheme.MAX_PARALLELISM),
                    "digest_size", new Bound(16, 1024),
                    "salt_size", new Bound(8, 1024)),
            "bcrypt", Map.of(
                    "rounds", new Bound(4, 31),
                    "default_rounds", new Bound(4, 31),
                    "min_rounds", new Bound(4, 31),
                    "max_rounds", new Bound(4, 31)),
            "pbkdf2_sha256", pbkdf2Bounds(),
            "pbkdf2_sha512", pbkdf2Bounds(),
            "sha256_crypt", shaCryptBounds(),
            "sha512_crypt", shaCryptBounds(),
            "des_crypt", Map.of(),
            "plaintext", Map.of());

    private static final Map<String, Set<String>> TEXT_OPTIONS = Map.of(
            "argon2", Set.of("type"),
            "bcrypt", Set.of("ident"));

    /** passlib's argon2 aliases. */
    private static final Map<String, String> ARGON2_ALIASES = Map.of(
            "time_cost", "rounds",
            "hash_len", "digest_size",
            "checksum_size", "digest_size",
            "salt_len", "salt_size");

    /** passlib's default rounds of the schemes that have rounds. */
    private static final Map<String, Integer> DEFAULT_ROUNDS = Map.of(
            "argon2", Argon2Scheme.DEFAULT_TIME_COST,
            "bcrypt", BcryptScheme.DEFAULT_ROUNDS,
            "pbkdf2_sha256", Pbkdf2Scheme.SHA256_DEFAULT_ROUNDS,
            "pbkdf2_sha512", Pbkdf2Scheme.SHA512_DEFAULT_ROUNDS,
            "sha256_crypt", ShaCryptScheme.SHA256_DEFAULT_ROUNDS,
            "sha512_crypt", ShaCryptScheme.SHA512_DEFAULT_ROUNDS);

    private final Map<String, Map<String, String>> byScheme;

    private PasslibOptions(Map<String, Map<String, String>> byScheme) {
        this.byScheme = byScheme;
    }

    private static Map<String, Bound> pbkdf2Bounds() {
        return Map.of(
                "rounds", new Bound(1, Integer.MAX_VALUE),
                "default_rounds", new Bound(1, Integer.MAX_VALUE),
                "min_rounds", new Bound(1, Integer.MAX_VALUE),
                "max_rounds", new Bound(1, Integer.MAX_VALUE),
                "salt_size", new Bound(0, 1024));
    }

    private static Map<String, Bound> shaCryptBounds() {
        return Map.of(
                "rounds", new Bound(ShaCryptScheme.MIN_ROUNDS, ShaCryptScheme.MAX_ROUNDS),
                "default_rounds", new Bound(ShaCryptScheme.MIN_ROUNDS, ShaCryptScheme.MAX_ROUNDS),
                "min_rounds", new Bound(ShaCryptScheme.MIN_ROUNDS, ShaCryptScheme.MAX_ROUNDS),
                "max_rounds", new Bound(ShaCryptScheme.MIN_ROUNDS, ShaCryptScheme.MAX_ROUNDS),
                "salt_size", new Bound(1, 16));
    }

    /** Parses and checks every option; throws {@link IllegalArgumentException} naming the bad key. */
    static PasslibOptions parse(Map<String, String> raw) {
        Map<String, Map<String, String>> byScheme = new HashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            int sep = key.indexOf("__");
            if (sep <= 0) {
                throw new IllegalArgumentException(SETTING + ": key '" + key + "' is not <scheme>__<option>");
            }
            String scheme = key.substring(0, sep);
            String option = key.substring(sep + 2);
            if (scheme.equals("argon2")) {
                option = ARGON2_ALIASES.getOrDefault(option, option);
            }
            Map<String, Bound> integers = INTEGER_OPTIONS.get(scheme);
            if (integers == null) {
                throw new IllegalArgumentException(SETTING + ": unsupported scheme in '" + key + "'");
            }
            String value = e.getValue();
            if (value == null) {
                throw new IllegalArgumentException(SETTING + ": '" + key + "' has no value");
            }
            value = value.trim();
            Bound bound = integers.get(option);
            if (bound != null) {
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(SETTING + ": '" + key + "' must be an integer, not '"
                            + value + "'");
                }
                if (n < bound.min() || n > bound.max()) {
                    throw new IllegalArgumentException(SETTING + ": '" + key + "' must be between " + bound.min()
                            + " and " + bound.max() + ", not " + n);
                }
                value = Long.toString(n);
            } else if (TEXT_OPTIONS.getOrDefault(scheme, Set.of()).contains(option)) {
                value = checkText(key, option, value);
            } else {
                throw new IllegalArgumentException(SETTING + ": unsupported option '" + key + "'");
            }
            String previous = byScheme.computeIfAbsent(scheme, s -> new HashMap<>()).put(option, value);
            if (previous != null && !previous.equals(value)) {
                throw new IllegalArgumentException(SETTING + ": '" + key + "' conflicts with an alias of it");
            }
        }
        PasslibOptions options = new PasslibOptions(byScheme);
        options.checkConsistent();
        return options;
    }

    private static String checkText(String key, String option, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (option.equals("type")) {
            if (v.equals("id") || v.equals("i") || v.equals("d")) {
                return v;
            }
            throw new IllegalArgumentException(SETTING + ": '" + key + "' must be id, i or d, not '" + value + "'");
        }
        // bcrypt ident, given as "2b" or "$2b$"
        if (v.startsWith("$") && v.endsWith("$") && v.length() > 2) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.equals("2a") || v.equals("2b") || v.equals("2y")) {
            return v;
        }
        throw new IllegalArgumentException(SETTING + ": '" + key + "' must be 2a, 2b or 2y, not '" + value + "'");
    }

    private void checkConsistent() {
        for (String scheme : byScheme.keySet()) {
            if (!DEFAULT_ROUNDS.containsKey(scheme)) {
                continue;
            }
            Rounds r = rounds(scheme);
            if (r.min() > 0 && r.max() > 0 && r.min() > r.max()) {
                throw new IllegalArgumentException(SETTING + ": " + scheme + "__min_rounds is above "
                        + scheme + "__max_rounds");
            }
            if (!r.accepts(r.defaultRounds())) {
                throw new IllegalArgumentException(SETTING + ": the default rounds of " + scheme
                        + " are outside its min_rounds..max_rounds");
            }
        }
        int parallelism = integer("argon2", "parallelism", Argon2Scheme.DEFAULT_PARALLELISM);
        int memory = integer("argon2", "memory_cost", Argon2Scheme.DEFAULT_MEMORY_KIB);
        if (memory < 8L * parallelism) {
            throw new IllegalArgumentException(SETTING + ": argon2__memory_cost (" + memory
                    + ") must be at least 8 * argon2__parallelism (" + parallelism + ")");
        }
    }

    /**
     * Rounds as passlib's {@code CryptContext} reads them: {@code rounds} sets the default and, unless given
     * separately, the minimum and maximum too (so any other value asks for a re-hash); {@code default_rounds}
     * sets only the default. A bound of 0 means none.
     */
    record Rounds(int defaultRounds, int min, int max) {
        /** Whether a stored hash's rounds are within the desired bounds. */
        boolean accepts(int rounds) {
            return (min == 0 || rounds >= min) && (max == 0 || rounds <= max);
        }
    }

    Rounds rounds(String scheme) {
        int fixed = integer(scheme, "rounds", 0);
        int defaultRounds = integer(scheme, "default_rounds", fixed == 0 ? DEFAULT_ROUNDS.get(scheme) : fixed);
        return new Rounds(defaultRounds, integer(scheme, "min_rounds", fixed), integer(scheme, "max_rounds", fixed));
    }

    /** An integer option (canonical name) or the default. */
    int integer(String scheme, String option, int defaultValue) {
        String v = byScheme.getOrDefault(scheme, Map.of()).get(option);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    /** A text option (canonical name, lower case) or the default. */
    String text(String scheme, String option, String defaultValue) {
        return byScheme.getOrDefault(scheme, Map.of()).getOrDefault(option, defaultValue);
    }
}

package dev.gatehouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gatehouse's configuration: immutable, built with {@link #builder()}, validated when built, with
 * Flask-Security's key names and defaults. A Flask app's settings port over as they are:
 *
 * <pre>{@code
 * GatehouseConfig config = GatehouseConfig.fromEnv();                 // SECRET_KEY, SECURITY_* ...
 * GatehouseConfig config = GatehouseConfig.builder()
 *         .set(ConfigKeys.SECRET_KEY, secret)
 *         .set("SECURITY_PASSWORD_SALT", salt)
 *         .set(ConfigKeys.TOKEN_MAX_AGE, Duration.ofHours(1))
 *         .build();
 * }</pre>
 *
 * <p>Text values are read as Flask-Security writes them: durations as seconds, ISO-8601
 * ({@code PT15M}) or {@code "2 days"}; lists as a JSON array or comma-separated; maps as a JSON
 * object; booleans {@code true}/{@code false} in any case. An unknown {@code SECURITY_*} key, a
 * malformed value or a missing secret fails {@link Builder#build()} with a message naming the key.
 */
public final class GatehouseConfig {
    private static final Set<String> AUTH_METHODS = Set.of("session", "token", "basic");

    private final Map<ConfigKey<?>, Object> values;

    private GatehouseConfig(Map<ConfigKey<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** A builder with every key at its default. */
    public static Builder builder() {
        return new Builder(new HashMap<>());
    }

    /**
     * Reads the Flask names from a map (such as the environment): every {@code SECURITY_*} key must
     * be known; other names are used when Gatehouse knows them ({@code SECRET_KEY}, {@code MAIL_*})
     * and ignored otherwise.
     */
    public static GatehouseConfig fromMap(Map<String, String> settings) {
        return builder().putAll(settings).build();
    }

    /** {@link #fromMap} over {@link System#getenv()}. */
    public static GatehouseConfig fromEnv() {
        return fromMap(System.getenv());
    }

    /** The value of a key: the one set, or the key's default (possibly {@code null}). */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key);
        if (v == NONE) {
            return null;
        }
        return v != null ? (T) v : key.defaultValue();
    }

    /** Whether the key was set explicitly (rather than left at its default). */
    public boolean isSet(ConfigKey<?> key) {
        return values.containsKey(key);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(new HashMap<>(values));
    }

    /** The signing keys: {@code SECRET_KEY} first (it signs), then every fallback (they only verify). */
    public List<String> secretKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(get(ConfigKeys.SECRET_KEY));
        keys.addAll(get(ConfigKeys.SECRET_KEY_FALLBACKS));
        return List.copyOf(keys);
    }

    /** The sender of every mail, as Flask-Security chooses it. */
    public String emailSender() {
        String s = get(ConfigKeys.EMAIL_SENDER);
        if (s == null) {
            s = get(ConfigKeys.MAIL_DEFAULT_SENDER);
        }
        return s != null ? s : "no-reply@localhost";
    }

    /** Builds a {@link GatehouseConfig}; not thread-safe. */
    public static final class Builder {
        private final Map<ConfigKey<?>, Object> values;
        private final List<String> problems = new ArrayList<>();

        private Builder(Map<ConfigKey<?>, Object> values) {
            this.values = values;
        }

        /** Sets a typed value ({@code null} sets the key to "none"). */
        public <T> Builder set(ConfigKey<T> key, T value) {
            values.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Sets a value from its text form under its Flask name; problems are reported by {@link #build()}. */
        public Builder set(String name, String text) {
            ConfigKey<?> key = ConfigKeys.all().get(name);
            if (key == null) {
                problems.add(name + ": unknown setting");
                return this;
            }
            if (text == null) {
                values.put(key, null);
                return this;
            }
            try {
                String t = text.strip();
                values.put(key, t.equalsIgnoreCase("none") || t.equalsIgnoreCase("null") ? null : key.parse(t));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            return this;
        }

        /** {@link #set(String, String)} for each known name and every {@code SECURITY_*} name; others are skipped. */
        public Builder putAll(Map<String, String> settings) {
            settings.forEach((name, text) -> {
                if (name.startsWith("SECURITY_") || ConfigKeys.all().containsKey(name)) {
                    set(name, text);
                }
            });
            return this;
        }

        /** Validates and builds; {@link IllegalArgumentException} lists every problem, each naming its key. */
        public GatehouseConfig build() {
            List<String> all = new ArrayList<>(problems);
            GatehouseConfig c = new GatehouseConfig(withoutNulls());
            validate(c, all);
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid Gatehouse configuration: " + String.join("; ", all));
            }
            return c;
        }

        private Map<ConfigKey<?>, Object> withoutNulls() {
            // Map.copyOf refuses nulls, so an explicit "None" is kept as a marker that get() turns back into null.
            Map<ConfigKey<?>, Object> copy = new HashMap<>();
            values.forEach((k, v) -> copy.put(k, v == null ? NONE : v));
            return copy;
        }
    }

    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private static void validate(GatehouseConfig c, List<String> problems) {
        String secret = c.get(ConfigKeys.SECRET_KEY);
        if (secret == null || secret.isBlank()) {
            problems.add("SECRET_KEY: required (a long random string)");
        }
        List<String> single = c.get(ConfigKeys.PASSWORD_SINGLE_HASH);
        String salt = c.get(ConfigKeys.PASSWORD_SALT);
        boolean allSingle = single != null && single.contains("*");
        if (!allSingle && (salt == null || salt.isBlank())) {
            problems.add("SECURITY_PASSWORD_SALT: required unless SECURITY_PASSWORD_SINGLE_HASH is true");
        }
        subset(problems, ConfigKeys.API_ENABLED_METHODS, c.get(ConfigKeys.API_ENABLED_METHODS), AUTH_METHODS);
        subset(problems, ConfigKeys.CSRF_PROTECT_MECHANISMS, c.get(ConfigKeys.CSRF_PROTECT_MECHANISMS), AUTH_METHODS);
        List<String> logout = c.get(ConfigKeys.LOGOUT_METHODS);
        if (logout != null) {
            subset(problems, ConfigKeys.LOGOUT_METHODS, logout.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(),
                    Set.of("GET", "POST"));
        }
        String redirect = c.get(ConfigKeys.REDIRECT_BEHAVIOR);
        if (redirect != null && !redirect.equals("spa")) {
            problems.add("SECURITY_REDIRECT_BEHAVIOR: expected spa or None, got '" + redirect + "'");
        }
        Integer min = c.get(ConfigKeys.PASSWORD_LENGTH_MIN);
        if (min == null || min < 1 || min > 128) {
            problems.add("SECURITY_PASSWORD_LENGTH_MIN: must be between 1 and 128");
        }
        String checker = c.get(ConfigKeys.PASSWORD_COMPLEXITY_CHECKER);
        if (checker != null && !checker.equals("zxcvbn")) {
            problems.add("SECURITY_PASSWORD_COMPLEXITY_CHECKER: expected zxcvbn or None, got '" + checker + "'");
        }
        Integer score = c.get(ConfigKeys.ZXCVBN_MINIMUM_SCORE);
        if (score == null || score < 0 || score > 4) {
            problems.add("SECURITY_ZXCVBN_MINIMUM_SCORE: must be between 0 and 4");
        }
        Integer breachedCount = c.get(ConfigKeys.PASSWORD_BREACHED_COUNT);
        if (breachedCount == null || breachedCount < 1) {
            problems.add("SECURITY_PASSWORD_BREACHED_COUNT: must be at least 1");
        }
        String rangeUrl = c.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_URL);
        if (c.get(ConfigKeys.PASSWORD_CHECK_BREACHED) != null && c.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_FILE) == null
                && (rangeUrl == null || !rangeUrl.matches("(?i)https?://[^\\s]+"))) {
            problems.add("GATEHOUSE_PASSWORD_BREACHED_URL: an http(s) URL is needed with SECURITY_PASSWORD_CHECK_BREACHED");
        }
        java.time.Duration breachedTimeout = c.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_TIMEOUT);
        if (breachedTimeout == null || breachedTimeout.isNegative() || breachedTimeout.isZero()) {
            problems.add("GATEHOUSE_PASSWORD_BREACHED_TIMEOUT: must be positive");
        }
        List<String> schemes = c.get(ConfigKeys.PASSWORD_SCHEMES);
        String hash = c.get(ConfigKeys.PASSWORD_HASH);
        if (schemes == null || hash == null || !schemes.contains(hash)) {
            problems.add("SECURITY_PASSWORD_HASH: '" + hash + "' must be one of SECURITY_PASSWORD_SCHEMES");
        }
        if (c.get(ConfigKeys.TWO_FACTOR) || c.get(ConfigKeys.UNIFIED_SIGNIN)) {
            Map<String, String> totp = c.get(ConfigKeys.TOTP_SECRETS);
            if (totp == null || totp.isEmpty()) {
                problems.add("SECURITY_TOTP_SECRETS: required with two-factor or unified sign-in (a JSON object {\"1\": \"secret\"})");
            }
            if (c.get(ConfigKeys.TOTP_ISSUER) == null) {
                problems.add("SECURITY_TOTP_ISSUER: required with two-factor or unified sign-in");
            }
        }
        for (ConfigKey<?> k : List.of(ConfigKeys.TOKEN_MAX_AGE, ConfigKeys.CONFIRM_EMAIL_WITHIN,
                ConfigKeys.RESET_PASSWORD_WITHIN, ConfigKeys.CHANGE_EMAIL_WITHIN, ConfigKeys.FRESHNESS_GRACE_PERIOD)) {
            Object v = c.get(k);
            if (v instanceof java.time.Duration d && d.isNegative()) {
                problems.add(k.name() + ": must not be negative");
            }
        }
    }

    private static void subset(List<String> problems, ConfigKey<?> key, List<String> given, Set<String> allowed) {
        if (given == null) {
            return;
        }
        for (String g : given) {
            if (!allowed.contains(g)) {
                problems.add(key.name() + ": unknown value '" + g + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}

package dev.gatehouse.password;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.i18n.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules a new password must meet (register, reset, change), in Flask-Security's order, each
 * one stopping the check when it fails:
 * <ol>
 *   <li>normalize ({@code SECURITY_PASSWORD_NORMALIZE_FORM});</li>
 *   <li>length: {@code SECURITY_PASSWORD_LENGTH_MIN} up to the hard maximum of 128 characters;</li>
 *   <li>breached ({@code SECURITY_PASSWORD_CHECK_BREACHED}): refused when the password appears at
 *       least {@code SECURITY_PASSWORD_BREACHED_COUNT} times in the breach source. When the source
 *       cannot be asked, {@code best-effort} lets the password pass and {@code strict} refuses it;</li>
 *   <li>complexity ({@code SECURITY_PASSWORD_COMPLEXITY_CHECKER="zxcvbn"}): zxcvbn's score must
 *       reach {@code SECURITY_ZXCVBN_MINIMUM_SCORE}, with the user's own fields (email, its local
 *       part, username) counted as guessable words. The message is zxcvbn's warning when it has
 *       one (in zxcvbn's words, as in Flask-Security), else {@code PASSWORD_TOO_SIMPLE}.</li>
 * </ol>
 * The breach source is the range API at {@code GATEHOUSE_PASSWORD_BREACHED_URL} (Pwned Passwords
 * by default), or the local list {@code GATEHOUSE_PASSWORD_BREACHED_FILE} when one is set, or
 * what the application passes in. Thread-safe.
 */
public final class PasswordRules {
    /** Flask-Security's hard upper limit on password length. */
    public static final int MAX_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(PasswordRules.class);

    private final GatehouseConfig config;
    private final Messages messages;
    private final Locale locale;
    private final BreachedPasswords breached;
    private final Zxcvbn zxcvbn;

    /** The rules of a configuration, with the breach source it names. */
    public PasswordRules(GatehouseConfig config, Messages messages) {
        this(config, messages, null, Locale.ROOT);
    }

    /**
     * The rules of a configuration.
     *
     * @param breached where breached passwords are looked up; null for the source the
     *                 configuration names (only used with {@code SECURITY_PASSWORD_CHECK_BREACHED})
     * @param locale   the language of zxcvbn's warnings
     * @throws IllegalArgumentException when a configured breach list cannot be read
     */
    public PasswordRules(GatehouseConfig config, Messages messages, BreachedPasswords breached, Locale locale) {
        this.config = config;
        this.messages = messages;
        this.locale = locale;
        boolean checkBreached = config.get(ConfigKeys.PASSWORD_CHECK_BREACHED) != null;
        this.breached = breached != null ? breached : checkBreached ? configuredSource(config) : null;
        this.zxcvbn = "zxcvbn".equals(config.get(ConfigKeys.PASSWORD_COMPLEXITY_CHECKER)) ? new Zxcvbn() : null;
    }

    /**
     * The breach source a configuration names: the local list when one is set, else the range API.
     *
     * @throws IllegalArgumentException when the list cannot be read
     */
    public static BreachedPasswords configuredSource(GatehouseConfig config) {
        String file = config.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_FILE);
        if (file != null && !file.isBlank()) {
            try {
                return BreachedPasswordList.load(Path.of(file), config.get(ConfigKeys.PASSWORD_NORMALIZE_FORM));
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("GATEHOUSE_PASSWORD_BREACHED_FILE: cannot read " + file + ": "
                        + e.getCause().getMessage(), e);
            }
        }
        return new PwnedPasswordsRange(config.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_URL),
                config.get(ConfigKeys.GATEHOUSE_PASSWORD_BREACHED_TIMEOUT));
    }

    /**
     * The problems with a new password, as messages; empty when it is acceptable.
     *
     * @param password   the password as typed
     * @param userFields the user's own string fields (email, username, …), which a complexity
     *                   checker must not let the password resemble
     */
    public List<String> validate(String password, Map<String, String> userFields) {
        String pw = PasswordHasher.normalize(password, config.get(ConfigKeys.PASSWORD_NORMALIZE_FORM));
        int min = config.get(ConfigKeys.PASSWORD_LENGTH_MIN);
        int length = pw.codePointCount(0, pw.length());
        if (length < min || length > MAX_LENGTH) {
            return List.of(messages.get("PASSWORD_INVALID_LENGTH", Map.of("length", min)));
        }
        String breachedProblem = breached(pw);
        if (breachedProblem != null) {
            return List.of(breachedProblem);
        }
        return complexity(pw, userFields);
    }

    private String breached(String pw) {
        String mode = config.get(ConfigKeys.PASSWORD_CHECK_BREACHED);
        if (mode == null || breached == null) {
            return null;
        }
        try {
            if (breached.count(pw) >= config.get(ConfigKeys.PASSWORD_BREACHED_COUNT)) {
                return messages.get("PASSWORD_BREACHED");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("the breached-password check failed ({}); the password is {}", e.toString(),
                    mode.equals("strict") ? "refused (strict)" : "accepted (best-effort)");
            return mode.equals("strict") ? messages.get("PASSWORD_BREACHED_SITE_ERROR") : null;
        }
    }

    private List<String> complexity(String pw, Map<String, String> userFields) {
        if (zxcvbn == null) {
            return List.of();
        }
        Strength s = zxcvbn.measure(pw, userInputs(userFields));
        if (s.getScore() >= config.get(ConfigKeys.ZXCVBN_MINIMUM_SCORE)) {
            return List.of();
        }
        String warning = s.getFeedback().getWarning(locale);
        return List.of(warning != null && !warning.isBlank() ? warning : messages.get("PASSWORD_TOO_SIMPLE"));
    }

    /** The user's values, and the local part of an email: "alice2024" should not pass for alice@…. */
    private static List<String> userInputs(Map<String, String> userFields) {
        Set<String> inputs = new LinkedHashSet<>();
        userFields.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            inputs.add(value);
            int at = value.lastIndexOf('@');
            if (at > 0) {
                inputs.add(value.substring(0, at));
            }
        });
        return new ArrayList<>(inputs);
    }
}

package dev.gatehouse.password;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.i18n.Messages;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules a new password must meet (register, reset, change), in Flask-Security's order:
 * normalize, length ({@code SECURITY_PASSWORD_LENGTH_MIN} up to the hard maximum of 128),
 * breached-password check, complexity. Returns the messages to show, empty when the password
 * passes.
 */
public final class PasswordRules {
    /** Flask-Security's hard upper limit on password length. */
    public static final int MAX_LENGTH = 128;

    private final GatehouseConfig config;
    private final Messages messages;

    /** Creates the rules of a configuration. */
    public PasswordRules(GatehouseConfig config, Messages messages) {
        this.config = config;
        this.messages = messages;
    }

    /**
     * The problems with a new password, as messages; empty when it is acceptable.
     *
     * @param password   the password as typed
     * @param userFields the user's own string fields (email, username, …), which a complexity
     *                   checker must not let the password resemble
     */
    public List<String> validate(String password, Map<String, String> userFields) {
        List<String> problems = new ArrayList<>();
        String form = config.get(ConfigKeys.PASSWORD_NORMALIZE_FORM);
        String pw = form == null ? password : Normalizer.normalize(password, Normalizer.Form.valueOf(form));
        int min = config.get(ConfigKeys.PASSWORD_LENGTH_MIN);
        int length = pw.codePointCount(0, pw.length());
        if (length < min || length > MAX_LENGTH) {
            problems.add(messages.get("PASSWORD_INVALID_LENGTH", Map.of("length", min)));
        }
        return problems;
    }
}

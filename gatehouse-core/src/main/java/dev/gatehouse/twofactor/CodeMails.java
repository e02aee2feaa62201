package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.login.Credentials;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.mail.Mails;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The mails of multi-factor sign-in, rendered from overridable templates like every other mail:
 * the two-factor code ({@code two_factor_instructions}), the plea for help to
 * {@code SECURITY_TWO_FACTOR_RESCUE_MAIL} ({@code two_factor_rescue}), and the unified sign-in code
 * with its sign-in link ({@code us_instructions}).
 */
public final class CodeMails {
    private final GatehouseConfig config;
    private final Mails mails;
    private final Credentials credentials;

    /** Creates the mails over the account mails' renderer and mailer. */
    public CodeMails(GatehouseConfig config, Mails mails, Credentials credentials) {
        this.config = config;
        this.mails = mails;
        this.credentials = credentials;
    }

    /**
     * Mails a two-factor code to the user.
     *
     * @throws MailException when it cannot be sent
     */
    public void twoFactorCode(User user, String code, Duration within) {
        Map<String, Object> m = model(user);
        m.put("token", code);
        m.put("within", Durations.describe(within));
        mails.send(user.email(), ConfigKeys.EMAIL_SUBJECT_TWO_FACTOR, "two_factor_instructions", m);
    }

    /**
     * Mails the administrator that the user cannot produce their second factor.
     *
     * @throws MailException when it cannot be sent
     */
    public void twoFactorRescue(User user) {
        mails.send(config.get(ConfigKeys.TWO_FACTOR_RESCUE_MAIL), ConfigKeys.EMAIL_SUBJECT_TWO_FACTOR_RESCUE,
                "two_factor_rescue", model(user));
    }

    /**
     * Mails a unified sign-in code, with a sign-in link when {@code link} is not null.
     *
     * @throws MailException when it cannot be sent
     */
    public void unifiedSigninCode(User user, String code, String link, Duration within) {
        Map<String, Object> m = model(user);
        m.put("login_token", code);
        m.put("login_link", link);
        m.put("within", Durations.describe(within));
        mails.send(user.email(), ConfigKeys.US_EMAIL_SUBJECT, "us_instructions", m);
    }

    private Map<String, Object> model(User user) {
        Map<String, Object> m = new HashMap<>();
        m.put("user", user);
        m.put("email", user.email());
        m.put("username", credentials.identityOf(user));
        return m;
    }
}

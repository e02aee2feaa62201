package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mails of multi-factor sign-in: the two-factor code ({@code two_factor_instructions}), the
 * rescue request to the administrator ({@code two_factor_rescue}) and the unified sign-in code
 * with its magic link ({@code us_instructions}).
 *
 * <p>Interim: until the mail module is merged these are written to the log only.
 */
public final class CodeMails {
    private static final Logger LOG = LoggerFactory.getLogger(CodeMails.class);
    private final GatehouseConfig config;

    /** Creates the mails for a configuration. */
    public CodeMails(GatehouseConfig config) {
        this.config = config;
    }

    /** Mails a two-factor code to the user. */
    public void twoFactorCode(User user, String code, Duration within) {
        LOG.info("mail '{}' to {}: code {} (valid {})", config.get(ConfigKeys.EMAIL_SUBJECT_TWO_FACTOR), user.email(), code, within);
    }

    /** Mails the administrator that the user cannot sign in with their second factor. */
    public void twoFactorRescue(User user) {
        LOG.info("mail '{}' to {}: {} asks for help", config.get(ConfigKeys.EMAIL_SUBJECT_TWO_FACTOR_RESCUE),
                config.get(ConfigKeys.TWO_FACTOR_RESCUE_MAIL), user.email());
    }

    /** Mails a unified sign-in code, with a sign-in link when {@code link} is not null. */
    public void unifiedSigninCode(User user, String code, String link, Duration within) {
        LOG.info("mail '{}' to {}: code {} link {} (valid {})", config.get(ConfigKeys.US_EMAIL_SUBJECT), user.email(), code,
                link, within);
    }
}

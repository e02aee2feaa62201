package dev.gatehouse.mail;

import dev.gatehouse.ConfigKey;
import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.web.Pages;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mails of the account lifecycle, rendered from overridable templates and handed to the
 * {@link Mailer}. Each mail is a template pair {@code security/email/<name>.txt} and
 * {@code .html} (either one per {@code SECURITY_EMAIL_PLAINTEXT} / {@code SECURITY_EMAIL_HTML}),
 * with its subject from the matching {@code SECURITY_EMAIL_SUBJECT_*} key. Links passed in are
 * absolute. A mail that cannot be sent is logged with the reason and reported as
 * {@link MailException}; the caller decides what the client is told.
 */
public final class Mails {
    private static final Logger LOG = LoggerFactory.getLogger(Mails.class);
    private static final String PREFIX = "security/email/";

    private final GatehouseConfig config;
    private final Pages templates;
    private final Mailer mailer;

    /**
     * @param config    subjects, sender and feature switches
     * @param templates the template renderer (the same override mechanism as the HTML pages)
     * @param mailer    where mails go
     */
    public Mails(GatehouseConfig config, Pages templates, Mailer mailer) {
        this.config = config;
        this.templates = templates;
        this.mailer = Objects.requireNonNull(mailer, "mailer");
    }

    /** The mailer in use. */
    public Mailer mailer() {
        return mailer;
    }

    /**
     * The welcome mail after registration ({@code welcome}); with the confirmation link when
     * the address must be confirmed.
     *
     * @param confirmationLink the absolute link, or null when confirmation is off
     */
    public void welcome(User user, String confirmationLink, Duration within) {
        Map<String, Object> m = model(user);
        m.put("confirmation_link", confirmationLink);
        m.put("within", Durations.describe(within));
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_REGISTER, "welcome", m);
    }

    /**
     * The mail to the owner of an address someone tried to register again, sent instead of an
     * error when generic responses are on ({@code welcome_existing}).
     *
     * @param resetLink        a password reset link, or null when recovery is off
     * @param confirmationLink a confirmation link when the owner has not confirmed yet, or null
     */
    public void welcomeExisting(User user, String resetLink, String confirmationLink) {
        Map<String, Object> m = model(user);
        m.put("reset_link", resetLink);
        m.put("confirmation_link", confirmationLink);
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_REGISTER, "welcome_existing", m);
    }

    /**
     * The mail to a new address whose chosen username is taken, sent instead of an error when
     * generic responses are on ({@code welcome_existing_username}).
     */
    public void welcomeExistingUsername(String email, String username) {
        Map<String, Object> m = new HashMap<>(flags());
        m.put("email", email);
        m.put("username", username);
        send(email, ConfigKeys.EMAIL_SUBJECT_REGISTER, "welcome_existing_username", m);
    }

    /** Confirmation instructions, sent again on request ({@code confirmation_instructions}). */
    public void confirmationInstructions(User user, String confirmationLink, Duration within) {
        Map<String, Object> m = model(user);
        m.put("confirmation_link", confirmationLink);
        m.put("within", Durations.describe(within));
        String template = config.get(ConfigKeys.EMAIL_TEMPLATE_CONFIRM);
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_CONFIRM,
                template.startsWith(PREFIX) ? template.substring(PREFIX.length()) : template, m);
    }

    /** The password reset link ({@code reset_instructions}). */
    public void resetInstructions(User user, String resetLink, Duration within) {
        Map<String, Object> m = model(user);
        m.put("reset_link", resetLink);
        m.put("within", Durations.describe(within));
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_PASSWORD_RESET, "reset_instructions", m);
    }

    /** The notice that the password was reset ({@code reset_notice}). */
    public void resetNotice(User user) {
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_PASSWORD_NOTICE, "reset_notice", model(user));
    }

    /**
     * The notice that the password was changed ({@code change_notice}).
     *
     * @param forgotPasswordLink the absolute link of the forgot-password page, or null when
     *                           recovery is off
     */
    public void passwordChangeNotice(User user, String forgotPasswordLink) {
        Map<String, Object> m = model(user);
        m.put("reset_link", forgotPasswordLink);
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE, "change_notice", m);
    }

    /**
     * The link that confirms a change of email, sent to the new address
     * ({@code change_email_instructions}).
     *
     * @param user     the user, still with the old address
     * @param newEmail the requested address, where the mail goes
     * @param link     the absolute confirmation link
     */
    public void changeEmailInstructions(User user, String newEmail, String link, Duration within) {
        Map<String, Object> m = model(user);
        m.put("new_email", newEmail);
        m.put("link", link);
        m.put("within", Durations.describe(within));
        send(newEmail, ConfigKeys.CHANGE_EMAIL_SUBJECT, "change_email_instructions", m);
    }

    /**
     * The notice to the old address that the account's email was changed
     * ({@code change_email_notice}; Gatehouse's own, Flask-Security sends none).
     *
     * @param user     the user, as stored with the new address
     * @param oldEmail the address the account had, where the mail goes
     */
    public void changeEmailNotice(User user, String oldEmail) {
        Map<String, Object> m = model(user);
        m.put("old_email", oldEmail);
        send(oldEmail, ConfigKeys.GATEHOUSE_EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE, "change_email_notice", m);
    }

    /**
     * The notice that the username was changed ({@code change_username_notice}).
     *
     * @param oldUsername the username before, or null
     */
    public void usernameChangeNotice(User user, String oldUsername) {
        Map<String, Object> m = model(user);
        m.put("old_username", oldUsername);
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_USERNAME_CHANGE_NOTICE, "change_username_notice", m);
    }

    /** The username of the account, sent on request ({@code username_recovery}). */
    public void usernameRecovery(User user) {
        send(user.email(), ConfigKeys.EMAIL_SUBJECT_USERNAME_RECOVERY, "username_recovery", model(user));
    }

    /**
     * Renders {@code security/email/<name>} and sends it.
     *
     * @throws MailException when it cannot be sent (already logged)
     */
    public void send(String to, ConfigKey<String> subjectKey, String name, Map<String, Object> model) {
        String text = config.get(ConfigKeys.EMAIL_PLAINTEXT) ? templates.renderToString(PREFIX + name + ".txt", model) : null;
        String html = config.get(ConfigKeys.EMAIL_HTML) ? templates.renderToString(PREFIX + name + ".html", model) : null;
        if (text == null && html == null) {
            LOG.warn("not sending the {} mail to {}: SECURITY_EMAIL_PLAINTEXT and SECURITY_EMAIL_HTML are both off",
                    name, to);
            return;
        }
        try {
            mailer.send(new MailMessage(to, config.emailSender(), config.get(subjectKey), text, html));
        } catch (MailException e) {
            LOG.error("could not send the {} mail to {}: {}", name, to, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("could not send the {} mail to {}", name, to, e);
            throw new MailException("the mailer failed: " + e, e);
        }
    }

    private Map<String, Object> model(User user) {
        Map<String, Object> m = new HashMap<>(flags());
        m.put("user", user);
        m.put("email", user.email());
        m.put("username", user.username());
        return m;
    }

    private Map<String, Object> flags() {
        return Map.of("confirmable", config.get(ConfigKeys.CONFIRMABLE), "recoverable", config.get(ConfigKeys.RECOVERABLE));
    }
}

package dev.gatehouse.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every mail to the log at INFO instead of sending it: recipient, subject and body, so a
 * developer can follow confirmation and reset links without a mail server. The default when
 * {@code MAIL_SERVER} is not set. Mails carry links and codes, never passwords; still, do not use
 * it where the log is less private than the mailboxes.
 */
public final class LogMailer implements Mailer {
    private static final Logger LOG = LoggerFactory.getLogger(LogMailer.class);

    @Override
    public void send(MailMessage m) {
        LOG.info("mail to {} from {}, subject \"{}\":\n{}", m.to(), m.from(), m.subject(),
                m.text() != null ? m.text() : m.html());
    }
}

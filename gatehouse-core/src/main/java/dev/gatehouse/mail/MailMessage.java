package dev.gatehouse.mail;

import java.util.Objects;

/**
 * One mail to one recipient, already rendered. At least one of the bodies is present; when both
 * are, the mail is sent as {@code multipart/alternative} (text first, so clients prefer HTML).
 *
 * @param to      the recipient's address
 * @param from    the sender ({@code SECURITY_EMAIL_SENDER}); an address, optionally with a display
 *                name ({@code Name <address>})
 * @param subject the subject line
 * @param text    the plain-text body, or null
 * @param html    the HTML body, or null
 */
public record MailMessage(String to, String from, String subject, String text, String html) {

    /** Checks that the message can be sent. */
    public MailMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        if (text == null && html == null) {
            throw new IllegalArgumentException("a mail needs a text or an HTML body");
        }
    }
}

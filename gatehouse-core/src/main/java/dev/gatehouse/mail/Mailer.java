package dev.gatehouse.mail;

/**
 * Sends mail: the SPI behind every mail Gatehouse sends. {@link SmtpMailer} talks SMTP,
 * {@link LogMailer} writes mails to the log (the development default when {@code MAIL_SERVER} is
 * not set); an application may plug in its own (a mail API, a queue) on
 * {@code Gatehouse.Builder.mailer}. Implementations must be thread-safe.
 */
public interface Mailer {

    /**
     * Sends the message, or fails with a reason.
     *
     * @throws MailException when the message could not be handed over for delivery
     */
    void send(MailMessage message);
}

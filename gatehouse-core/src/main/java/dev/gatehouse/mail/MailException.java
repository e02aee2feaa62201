package dev.gatehouse.mail;

/**
 * A mail could not be sent (server unreachable, refused, authentication failed …). The message
 * says why, for the log; it is never shown to a client.
 */
public final class MailException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason and its cause. */
    public MailException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

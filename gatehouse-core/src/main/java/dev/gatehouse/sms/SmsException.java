package dev.gatehouse.sms;

/**
 * A text message could not be sent. The message says why, for the log; clients are only told
 * that sending failed.
 */
public final class SmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason. */
    public SmsException(String reason) {
        super(reason);
    }

    /** Creates the exception with the reason and its cause. */
    public SmsException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package dev.gatehouse.sms;

/**
 * Sends text messages: the SPI behind SMS codes ({@code SECURITY_SMS_SERVICE}, Flask-Security's
 * {@code SmsSenderBase}). {@link LoggingSmsSender} ({@code "Dummy"}) writes messages to the log for
 * development; {@link TwilioSmsSender} ({@code "Twilio"}) talks to Twilio's REST API. An
 * application plugs in its own provider on {@code Gatehouse.Builder.smsSender}. Implementations
 * must be thread-safe.
 */
public interface SmsSender {

    /**
     * Sends one message.
     *
     * @param fromNumber the sender, {@code SECURITY_SMS_SERVICE_CONFIG["PHONE_NUMBER"]} (may be null)
     * @param toNumber   the recipient in E.164 ({@code +15555550100})
     * @param message    the text
     * @throws SmsException when the message could not be handed over for delivery
     */
    void send(String fromNumber, String toNumber, String message);
}

package dev.gatehouse.sms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each message to the log instead of sending it: {@code SECURITY_SMS_SERVICE="Dummy"}, the
 * default, for development. The log then holds sign-in codes: never use it in production.
 */
public final class LoggingSmsSender implements SmsSender {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSmsSender.class);

    @Override
    public void send(String fromNumber, String toNumber, String message) {
        LOG.info("SMS from {} to {}: {}", fromNumber, toNumber, message);
    }
}

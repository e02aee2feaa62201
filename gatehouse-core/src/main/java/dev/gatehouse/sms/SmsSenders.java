package dev.gatehouse.sms;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The built-in {@link SmsSender}s by their {@code SECURITY_SMS_SERVICE} names. */
public final class SmsSenders {
    private SmsSenders() {
    }

    /**
     * The sender {@code SECURITY_SMS_SERVICE} names: {@code Dummy} (log only) or {@code Twilio}
     * (with {@code ACCOUNT_SID}, {@code AUTH_TOKEN} and optionally {@code API_BASE_URL} from
     * {@code SECURITY_SMS_SERVICE_CONFIG}).
     *
     * @throws IllegalArgumentException for another name or incomplete Twilio settings
     */
    public static SmsSender fromConfig(GatehouseConfig config) {
        String service = config.get(ConfigKeys.SMS_SERVICE);
        Map<String, String> settings = config.get(ConfigKeys.SMS_SERVICE_CONFIG);
        String name = service == null ? "dummy" : service.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "dummy" -> new LoggingSmsSender();
            case "twilio" -> new TwilioSmsSender(settings.get("ACCOUNT_SID"), settings.get("AUTH_TOKEN"),
                    settings.get("API_BASE_URL") != null ? URI.create(settings.get("API_BASE_URL")) : TwilioSmsSender.DEFAULT_API,
                    Duration.ofSeconds(10));
            default -> throw new IllegalArgumentException("SECURITY_SMS_SERVICE: unknown service '" + service
                    + "' (built in: Dummy, Twilio; plug in others with Gatehouse.Builder.smsSender)");
        };
    }
}

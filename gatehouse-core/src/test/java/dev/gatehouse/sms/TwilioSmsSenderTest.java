package dev.gatehouse.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.GatehouseConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Twilio adapter against a local HTTP server that answers as Twilio's Messages API does. */
class TwilioSmsSenderTest {
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "test-auth-token";

    private HttpServer server;
    private final List<Map<String, String>> received = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private volatile int status = 201;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2010-04-01/Accounts/" + SID + "/Messages.json", ex -> {
            authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            received.add(fields);
            String answer = status == 201
                    ? "{\"sid\":\"SM0123\",\"status\":\"queued\",\"to\":\"" + fields.get("To") + "\",\"body\":\"x\"}"
                    : "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\","
                            + "\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI api() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void postsTheMessageWithBasicAuth() {
        new TwilioSmsSender(SID, TOKEN, api(), Duration.ofSeconds(5)).send("+15005550006", "+16502530000",
                "Use this code to sign in: 123456");
        assertThat(received).containsExactly(Map.of("To", "+16502530000", "From", "+15005550006",
                "Body", "Use this code to sign in: 123456"));
        assertThat(authorizations).containsExactly("Basic "
                + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void twiliosRefusalIsReportedWithItsCode() {
        status = 400;
        TwilioSmsSender sender = new TwilioSmsSender(SID, TOKEN, api(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> sender.send("+15005550006", "+1555", "hi"))
                .isInstanceOf(SmsException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("21211");
    }

    @Test
    void anUnreachableServiceIsAnSmsException() {
        TwilioSmsSender sender = new TwilioSmsSender(SID, TOKEN, URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> sender.send("+15005550006", "+16502530000", "hi")).isInstanceOf(SmsException.class);
    }

    @Test
    void builtFromFlaskSecuritySettings() {
        GatehouseConfig config = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s")
                .set("SECURITY_SMS_SERVICE", "Twilio")
                .set("SECURITY_SMS_SERVICE_CONFIG", "{\"ACCOUNT_SID\":\"" + SID + "\",\"AUTH_TOKEN\":\"" + TOKEN
                        + "\",\"PHONE_NUMBER\":\"+15005550006\",\"API_BASE_URL\":\"" + api() + "\"}")
                .build();
        SmsSenders.fromConfig(config).send("+15005550006", "+16502530000", "hello");
        assertThat(received).hasSize(1);
        GatehouseConfig dummy = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s").build();
        assertThat(SmsSenders.fromConfig(dummy)).isInstanceOf(LoggingSmsSender.class);
        GatehouseConfig missing = GatehouseConfig.builder().set("SECRET_KEY", "k").set("SECURITY_PASSWORD_SALT", "s")
                .set("SECURITY_SMS_SERVICE", "Twilio").build();
        assertThatThrownBy(() -> SmsSenders.fromConfig(missing)).hasMessageContaining("ACCOUNT_SID");
    }
}

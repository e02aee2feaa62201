package dev.gatehouse.sms;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends messages through Twilio's REST API ({@code SECURITY_SMS_SERVICE="Twilio"}):
 * {@code POST /2010-04-01/Accounts/<sid>/Messages.json} with the account SID and auth token as
 * HTTP Basic credentials and {@code To}, {@code From}, {@code Body} as form fields. Twilio answers
 * 201 with the queued message; any other answer is reported with Twilio's error code and text.
 * No SDK: one HTTP call does not need one. Thread-safe.
 */
public final class TwilioSmsSender implements SmsSender {
    /** Twilio's API host. */
    public static final URI DEFAULT_API = URI.create("https://api.twilio.com");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String accountSid;
    private final String authorization;
    private final URI api;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param accountSid the account SID ({@code ACCOUNT_SID})
     * @param authToken  the auth token ({@code AUTH_TOKEN})
     * @param api        the API base, {@link #DEFAULT_API} unless testing or using a regional edge
     * @param timeout    how long one call may take
     */
    public TwilioSmsSender(String accountSid, String authToken, URI api, Duration timeout) {
        this.accountSid = requireText(accountSid, "ACCOUNT_SID");
        String token = requireText(authToken, "AUTH_TOKEN");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((this.accountSid + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.api = Objects.requireNonNull(api, "api");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String requireText(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Twilio needs " + name + " in SECURITY_SMS_SERVICE_CONFIG");
        }
        return v;
    }

    @Override
    public void send(String fromNumber, String toNumber, String message) {
        if (fromNumber == null || fromNumber.isBlank()) {
            throw new SmsException("Twilio needs PHONE_NUMBER in SECURITY_SMS_SERVICE_CONFIG");
        }
        String base = api.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/2010-04-01/Accounts/" + URLEncoder.encode(accountSid, StandardCharsets.UTF_8)
                + "/Messages.json");
        String body = "To=" + form(toNumber) + "&From=" + form(fromNumber) + "&Body=" + form(message);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SmsException("Twilio could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsException("interrupted while sending through Twilio", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SmsException("Twilio refused the message: HTTP " + response.statusCode() + describe(response.body()));
        }
    }

    private static String describe(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                return " (code " + n.path("code").asString("?") + ": " + n.path("message").asString("") + ")";
            }
        } catch (JacksonException e) {
            // not JSON: say nothing more
        }
        return "";
    }

    private static String form(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}

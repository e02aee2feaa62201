package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.token.TimedSerializer;
import dev.gatehouse.token.TokenResult;
import tools.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CSRF protection with Flask-WTF's tokens and Flask-Security's rules. The session holds a random
 * secret; clients get it signed and timed (salt {@code wtf-csrf-token}) as {@code csrf_token} in
 * every successful JSON answer, and optionally in a cookie. They send it back in the form or JSON
 * field {@code csrf_token} or in one of the headers {@code SECURITY_CSRF_HEADER},
 * {@code X-CSRF-Token}, {@code X-CSRFToken}.
 */
public final class Csrf {
    private static final String FIELD = "csrf_token";

    private final GatehouseConfig config;
    private final TimedSerializer serializer;
    private final SecureRandom random;

    /** Creates the checker. */
    public Csrf(GatehouseConfig config, TimedSerializer serializer, SecureRandom random) {
        this.config = config;
        this.serializer = serializer;
        this.random = random;
    }

    /** The token for the exchange's session, creating the session secret when there is none. */
    public String token(Exchange ex) {
        String secret = ex.session().csrf();
        if (secret == null) {
            byte[] b = new byte[20];
            random.nextBytes(b);
            secret = HexFormat.of().formatHex(b);
            ex.setSession(ex.session().withCsrf(secret));
        }
        return serializer.dumps(secret);
    }

    /**
     * Whether a state-changing request must carry a valid token: never when
     * {@code WTF_CSRF_ENABLED} is off; for an anonymous caller unless
     * {@code CSRF_IGNORE_UNAUTH_ENDPOINTS}; for an authenticated one when the method that
     * authenticated it is in {@code CSRF_PROTECT_MECHANISMS}.
     */
    public boolean required(Optional<Authentication> auth) {
        if (!config.get(ConfigKeys.WTF_CSRF_ENABLED)) {
            return false;
        }
        if (auth.isEmpty()) {
            return !config.get(ConfigKeys.CSRF_IGNORE_UNAUTH_ENDPOINTS);
        }
        List<String> mechanisms = config.get(ConfigKeys.CSRF_PROTECT_MECHANISMS);
        return mechanisms != null && mechanisms.contains(auth.get().method());
    }

    /** The message key of the failure, or empty when the request carries a valid token. */
    public Optional<String> failure(Exchange ex, Form form) {
        Optional<String> sent = ex.request().header(config.get(ConfigKeys.CSRF_HEADER))
                .or(() -> ex.request().header("X-CSRF-Token"))
                .or(() -> ex.request().header("X-CSRFToken"))
                .or(() -> Optional.ofNullable(form.string(FIELD).textOrNull()))
                .filter(s -> !s.isBlank());
        if (sent.isEmpty()) {
            return Optional.of("CSRF_MISSING");
        }
        String secret = ex.session().csrf();
        if (secret == null) {
            return Optional.of("CSRF_SESSION_MISSING");
        }
        TokenResult<JsonNode> r = serializer.loads(sent.get(), config.get(ConfigKeys.WTF_CSRF_TIME_LIMIT));
        if (r instanceof TokenResult.Expired) {
            return Optional.of("CSRF_EXPIRED");
        }
        if (!(r instanceof TokenResult.Valid<JsonNode> v) || !v.payload().isString()
                || !MessageDigest.isEqual(v.payload().asString().getBytes(StandardCharsets.UTF_8),
                        secret.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("CSRF_INVALID");
        }
        return Optional.empty();
    }

    /** The CSRF cookie carrying a fresh token, when {@code CSRF_COOKIE_NAME} is set. */
    public Optional<Cookie> cookie(Exchange ex) {
        String name = config.get(ConfigKeys.CSRF_COOKIE_NAME);
        if (name == null) {
            return Optional.empty();
        }
        Map<String, String> attrs = config.get(ConfigKeys.CSRF_COOKIE);
        return Optional.of(new Cookie(name, token(ex), null, "true".equalsIgnoreCase(attrs.get("httponly")),
                "true".equalsIgnoreCase(attrs.get("secure")), sameSite(attrs)));
    }

    /** A cookie that deletes the CSRF cookie. */
    Cookie clearCookie(Exchange ex) {
        Map<String, String> attrs = config.get(ConfigKeys.CSRF_COOKIE);
        return Cookie.clear(config.get(ConfigKeys.CSRF_COOKIE_NAME), "true".equalsIgnoreCase(attrs.get("httponly")),
                "true".equalsIgnoreCase(attrs.get("secure")), sameSite(attrs));
    }

    private static String sameSite(Map<String, String> attrs) {
        String s = attrs.get("samesite");
        if (s == null || s.isBlank()) {
            return null;
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}

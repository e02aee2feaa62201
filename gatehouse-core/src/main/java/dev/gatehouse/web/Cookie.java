package dev.gatehouse.web;

import java.time.Duration;

/**
 * A cookie to set or clear on a response.
 *
 * @param name     cookie name
 * @param value    cookie value ("" to clear)
 * @param maxAge   lifetime; {@code null} for a browser-session cookie, {@link Duration#ZERO} to delete
 * @param httpOnly hidden from scripts
 * @param secure   only sent over HTTPS
 * @param sameSite {@code Strict}, {@code Lax}, {@code None} or {@code null} to leave it out
 */
public record Cookie(String name, String value, Duration maxAge, boolean httpOnly, boolean secure, String sameSite) {

    /** A cookie that deletes {@code name} in the browser. */
    public static Cookie clear(String name, boolean httpOnly, boolean secure, String sameSite) {
        return new Cookie(name, "", Duration.ZERO, httpOnly, secure, sameSite);
    }

    /** The {@code Set-Cookie} header value (path {@code /}). */
    public String toHeader() {
        StringBuilder sb = new StringBuilder(name).append('=').append(value);
        if (maxAge != null) {
            sb.append("; Max-Age=").append(maxAge.toSeconds());
            if (maxAge.isZero()) {
                sb.append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
            }
        }
        sb.append("; Path=/");
        if (secure) {
            sb.append("; Secure");
        }
        if (httpOnly) {
            sb.append("; HttpOnly");
        }
        if (sameSite != null) {
            sb.append("; SameSite=").append(sameSite);
        }
        return sb.toString();
    }
}

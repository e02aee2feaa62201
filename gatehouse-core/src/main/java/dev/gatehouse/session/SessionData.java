package dev.gatehouse.session;

import java.time.Instant;
import java.util.Map;

/**
 * What the session cookie holds. Immutable; change it with the {@code with…} copies.
 *
 * @param uid       the user's {@code fs_uniquifier}, or null for an anonymous session
 * @param paa       time of the last primary authentication (freshness), or null
 * @param graceEnd  end of the freshness grace period ({@code fs_gexp}), or null
 * @param csrf      the raw CSRF secret that CSRF tokens are bound to, or null
 * @param remember  whether the user asked to be remembered
 * @param issuedAt  when the session was first written (absolute lifetime)
 * @param extra     feature state (two-factor steps and the like), string to string
 */
public record SessionData(String uid, Instant paa, Instant graceEnd, String csrf, boolean remember, Instant issuedAt,
                          Map<String, String> extra) {

    /** Copies the map. */
    public SessionData {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** An empty anonymous session started now. */
    public static SessionData anonymous(Instant now) {
        return new SessionData(null, null, null, null, false, now, Map.of());
    }

    /** Whether a user is logged in. */
    public boolean authenticated() {
        return uid != null;
    }

    /** The session of a freshly logged-in user; every other value (CSRF secret included) starts anew. */
    public static SessionData loggedIn(String uid, Instant paa, boolean remember, Instant now) {
        return new SessionData(uid, paa, null, null, remember, now, Map.of());
    }

    /** A copy with another CSRF secret. */
    public SessionData withCsrf(String secret) {
        return new SessionData(uid, paa, graceEnd, secret, remember, issuedAt, extra);
    }

    /** A copy with a new primary authentication time. */
    public SessionData withPaa(Instant newPaa) {
        return new SessionData(uid, newPaa, graceEnd, csrf, remember, issuedAt, extra);
    }

    /** A copy with another grace end. */
    public SessionData withGraceEnd(Instant end) {
        return new SessionData(uid, paa, end, csrf, remember, issuedAt, extra);
    }

    /** A copy with other feature state. */
    public SessionData withExtra(Map<String, String> newExtra) {
        return new SessionData(uid, paa, graceEnd, csrf, remember, issuedAt, newExtra);
    }
}

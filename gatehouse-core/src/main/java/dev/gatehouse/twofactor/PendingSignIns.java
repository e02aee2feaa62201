package dev.gatehouse.twofactor;

import dev.gatehouse.session.SessionData;
import dev.gatehouse.token.TimedSerializer;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Form;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a {@link PendingSignIn} lives between requests: in the session (extra key
 * {@value #SESSION_KEY}, inside the encrypted cookie) and, for clients without cookies, in a
 * signed token returned as {@value #FIELD} and accepted back in the same field of the body. Both
 * forms expire {@code SECURITY_TWO_FACTOR_SETUP_WITHIN} after the first factor was proven.
 *
 * <p>The token is signed, not encrypted: it holds the uniquifier and, while a method is being set
 * up, the TOTP secret in passlib's encrypted form (as Flask-Security's own setup state token
 * does). Replaying it gains nothing: codes work once, and wrong guesses are counted server-side
 * against its nonce.
 */
final class PendingSignIns {
    /** The JSON field of the token, in answers and requests. */
    static final String FIELD = "tf_signin_state";
    static final String SESSION_KEY = "gh_tf";
    private static final String SALT = "gatehouse-tf-signin";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TimedSerializer serializer;
    private final Duration lifetime;

    PendingSignIns(java.util.List<String> secretKeys, Duration lifetime, java.time.Clock clock) {
        this.serializer = new TimedSerializer(secretKeys, SALT, clock);
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** When a pending sign-in started at {@code startedAt} stops being accepted. */
    Instant expiry(PendingSignIn p) {
        return p.startedAt().plus(lifetime);
    }

    /**
     * The pending sign-in of this request: from the body's token when the client sent one (a bad
     * or expired token then means none, whatever the session holds), else from the session.
     */
    Optional<PendingSignIn> load(Exchange ex, Form form) {
        String token = form.string(FIELD).textOrNull();
        if (token != null && !token.isBlank()) {
            TokenResult<JsonNode> r = serializer.loads(token.strip(), lifetime);
            return r.validPayload().flatMap(PendingSignIns::fromJson).filter(p -> !p.changing());
        }
        String stored = ex.session().extra().get(SESSION_KEY);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return fromJson(JSON.readTree(stored)).filter(p -> ex.now().isBefore(expiry(p)));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** Keeps the pending sign-in in the session. */
    void save(Exchange ex, PendingSignIn p) {
        Map<String, String> extra = new HashMap<>(ex.session().extra());
        extra.put(SESSION_KEY, toJson(p).toString());
        ex.setSession(ex.session().withExtra(extra));
    }

    /** Forgets any pending sign-in of the session. */
    void clear(Exchange ex) {
        SessionData s = ex.session();
        if (s.extra().containsKey(SESSION_KEY)) {
            Map<String, String> extra = new HashMap<>(s.extra());
            extra.remove(SESSION_KEY);
            ex.setSession(s.withExtra(extra));
        }
    }

    /** The signed token of a pending sign-in, for cookie-less clients. */
    String token(PendingSignIn p) {
        return serializer.dumps(toJson(p));
    }

    private static ObjectNode toJson(PendingSignIn p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("u", p.uid());
        o.put("st", p.state());
        putIf(o, "m", p.method());
        putIf(o, "s", p.secret());
        putIf(o, "p", p.phone());
        if (p.remember()) {
            o.put("r", true);
        }
        putIf(o, "v", p.via());
        putIf(o, "x", p.next());
        o.put("n", p.nonce());
        o.put("t", p.startedAt().getEpochSecond());
        if (p.changing()) {
            o.put("c", true);
        }
        return o;
    }

    private static void putIf(ObjectNode o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static Optional<PendingSignIn> fromJson(JsonNode o) {
        if (o == null || !o.isObject() || text(o, "u") == null || text(o, "st") == null || text(o, "n") == null
                || !o.path("t").isIntegralNumber()) {
            return Optional.empty();
        }
        return Optional.of(new PendingSignIn(text(o, "u"), text(o, "st"), text(o, "m"), text(o, "s"), text(o, "p"),
                o.path("r").asBoolean(false), text(o, "v"), text(o, "x"), text(o, "n"),
                Instant.ofEpochSecond(o.path("t").asLong()), o.path("c").asBoolean(false)));
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v != null && v.isString() ? v.asString() : null;
    }
}

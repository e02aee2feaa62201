package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds Flask-Security's success bodies: {@code csrf_token} always, {@code user} (the app's
 * security payload) when a user is in scope, the auth token inside {@code user} when asked for,
 * and the endpoint's own keys.
 */
public final class Responses {
    private final Gatehouse gh;
    private final Function<User, Map<String, Object>> payload;

    /**
     * @param gatehouse the instance
     * @param payload   what {@code response.user} holds for a user (Flask-Security's
     *                  {@code get_security_payload}, empty by default)
     */
    public Responses(Gatehouse gatehouse, Function<User, Map<String, Object>> payload) {
        this.gh = gatehouse;
        this.payload = payload;
    }

    /**
     * Whether this request gets an auth token: only on POST, and only when the query names
     * {@code include_auth_token} (or {@code BACKWARDS_COMPAT_AUTH_TOKEN} is on).
     */
    public boolean tokenRequested(Exchange ex) {
        return ex.request().method().equals("POST")
                && (ex.request().hasQueryParam("include_auth_token") || gh.config().get(ConfigKeys.BACKWARDS_COMPAT_AUTH_TOKEN));
    }

    /** A 200 JSON answer. */
    public HttpResponse ok(Exchange ex, User user, boolean includeToken, Map<String, ?> extra) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (user != null) {
            Map<String, Object> u = new LinkedHashMap<>(payload.apply(user));
            if (includeToken) {
                Authentication a = ex.currentAuthentication().filter(x -> x.user().id().equals(user.id())).orElse(null);
                u.put("authentication_token", gh.issueAuthToken(user, a != null && a.paa() != null ? a.paa() : ex.now()));
            }
            r.put("user", u);
        }
        r.put("csrf_token", gh.csrf().token(ex));
        r.putAll(extra);
        return Envelope.json(200, r);
    }
}

package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flask-Security's freshness rule for credential-changing endpoints: the last primary
 * authentication must lie within {@code SECURITY_FRESHNESS}, or the session must still be in its
 * grace period ({@code SECURITY_FRESHNESS_GRACE_PERIOD}, started by the last fresh check). HTTP
 * Basic is always fresh; a token counts with the time it carries when
 * {@code SECURITY_FRESHNESS_ALLOW_AUTH_TOKEN} is on. A negative freshness turns the check off.
 */
public final class Freshness {
    private final GatehouseConfig config;

    /** Creates the rule. */
    public Freshness(GatehouseConfig config) {
        this.config = config;
    }

    /** Empty when the caller is fresh enough; else the 401 (JSON) or the redirect to /verify (HTML). */
    public Optional<HttpResponse> require(Exchange ex, Authentication auth) {
        return isFresh(ex, auth, config.get(ConfigKeys.FRESHNESS), config.get(ConfigKeys.FRESHNESS_GRACE_PERIOD))
                ? Optional.empty() : Optional.of(reauthRequired(ex));
    }

    /** Whether the caller is fresh; a fresh session check (re)starts the grace period. */
    public boolean isFresh(Exchange ex, Authentication auth, Duration within, Duration grace) {
        if (within.isNegative() || auth.method().equals("basic")) {
            return true;
        }
        Instant now = ex.now();
        if (auth.method().equals("token")) {
            return config.get(ConfigKeys.FRESHNESS_ALLOW_AUTH_TOKEN) && auth.paa() != null
                    && !now.isAfter(auth.paa().plus(within));
        }
        Instant graceEnd = ex.session().graceEnd();
        if (graceEnd != null && now.isBefore(graceEnd)) {
            return true;
        }
        Instant paa = ex.session().paa();
        if (paa != null && now.isBefore(paa.plus(within))) {
            ex.setSession(ex.session().withGraceEnd(now.plus(grace)));
            return true;
        }
        return false;
    }

    private HttpResponse reauthRequired(Exchange ex) {
        String msg = ex.gatehouse().messages().get("REAUTHENTICATION_REQUIRED");
        if (ex.wantsJson()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("errors", List.of(msg));
            r.put("reauth_required", true);
            r.put("unified_signin_enabled", config.get(ConfigKeys.UNIFIED_SIGNIN));
            r.put("has_webauthn_verify_credential", false);
            r.put("oauth_enabled", false);
            r.put("oauth_providers", List.of());
            return Envelope.json(401, r);
        }
        return HttpResponse.redirect(config.get(ConfigKeys.VERIFY_URL) + "?next="
                + URLEncoder.encode(ex.request().path(), StandardCharsets.UTF_8));
    }
}

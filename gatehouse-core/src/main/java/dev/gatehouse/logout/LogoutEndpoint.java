package dev.gatehouse.logout;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.event.UserLoggedOut;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /logout} (GET only when {@code SECURITY_LOGOUT_METHODS} lists it): ends the
 * session, the remember-me cookie and the CSRF secret. Auth tokens stay valid until they expire,
 * as in Flask-Security; rotating {@code fs_uniquifier} is what ends them.
 */
public final class LogoutEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public LogoutEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) {
        ex.currentUser().ifPresent(u -> gh.events().publish(new UserLoggedOut(u)));
        ex.logout();
        if (ex.wantsJson()) {
            return Envelope.json(200, new LinkedHashMap<>());
        }
        String next = ex.request().queryParam("next").orElse(null);
        return HttpResponse.redirect(gh.redirects().safe(next, ex.request())
                .orElse(gh.config().get(ConfigKeys.POST_LOGOUT_VIEW)));
    }
}

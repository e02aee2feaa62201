package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.i18n.Messages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Flask-Security's answers when a guard refuses a request: 401, 403 or the HTML redirects. */
public final class Guards {
    private final GatehouseConfig config;
    private final Messages messages;

    /** Creates the answers for a configuration. */
    public Guards(GatehouseConfig config, Messages messages) {
        this.config = config;
        this.messages = messages;
    }

    /**
     * Not authenticated: JSON 401 with {@code UNAUTHENTICATED}; HTML redirects to the login page
     * with {@code next}. When HTTP Basic is among the accepted methods the 401 carries
     * {@code WWW-Authenticate} and HTML gets the 401 too (the browser asks for credentials).
     */
    public HttpResponse unauthenticated(Exchange ex, List<String> methods) {
        boolean basic = methods.contains("basic");
        String realm = "Basic realm=\"" + config.get(ConfigKeys.DEFAULT_HTTP_AUTH_REALM) + "\"";
        if (ex.wantsJson()) {
            HttpResponse r = Envelope.errors(401, List.of(messages.get("UNAUTHENTICATED")));
            return basic ? r.withHeader("WWW-Authenticate", realm) : r;
        }
        if (basic) {
            return HttpResponse.of(401, "text/plain; charset=utf-8", messages.get("UNAUTHENTICATED") + "\n")
                    .withHeader("WWW-Authenticate", realm);
        }
        String target = config.get(ConfigKeys.LOGIN_URL) + "?next="
                + URLEncoder.encode(ex.request().path(), StandardCharsets.UTF_8);
        return HttpResponse.redirect(target);
    }

    /** Authenticated but lacking a role or permission: JSON 403; HTML goes to UNAUTHORIZED_VIEW or gets a 403 page. */
    public HttpResponse forbidden(Exchange ex) {
        String msg = messages.get("UNAUTHORIZED");
        if (ex.wantsJson()) {
            return Envelope.errors(403, List.of(msg));
        }
        String view = config.get(ConfigKeys.UNAUTHORIZED_VIEW);
        return view != null ? HttpResponse.redirect(view) : HttpResponse.of(403, "text/plain; charset=utf-8", msg + "\n");
    }

    /** Logged in where only anonymous callers may go: JSON 400; HTML redirects to POST_LOGIN_VIEW. */
    public HttpResponse anonymousRequired(Exchange ex) {
        if (ex.wantsJson()) {
            return Envelope.errors(400, List.of(messages.get("ANONYMOUS_USER_REQUIRED")));
        }
        return HttpResponse.redirect(config.get(ConfigKeys.POST_LOGIN_VIEW));
    }
}

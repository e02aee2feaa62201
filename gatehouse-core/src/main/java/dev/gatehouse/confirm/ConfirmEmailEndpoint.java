package dev.gatehouse.confirm;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /confirm/<token>}, the mailed link: always a redirect, whatever the client accepts.
 * With {@code SECURITY_REDIRECT_BEHAVIOR="spa"} the outcome travels in the query of
 * {@code POST_CONFIRM_VIEW} ({@code identity}, {@code email}, {@code success}) or
 * {@code CONFIRM_ERROR_VIEW} ({@code error} or {@code info}, never an identity); otherwise as a
 * flashed notice on the login page or {@code /confirm}. The user is logged in only with
 * {@code SECURITY_AUTO_LOGIN_AFTER_CONFIRM}; anyone else logged in on this browser is logged out.
 */
final class ConfirmEmailEndpoint implements Endpoint {
    private final Gatehouse gh;

    ConfirmEmailEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) {
        GatehouseConfig c = gh.config();
        Confirmations.Verdict verdict = gh.confirmations().check(params.get("token"));
        if (verdict instanceof Confirmations.Verdict.Expired) {
            return refused(ex, "error", gh.messages().get("CONFIRMATION_EXPIRED",
                    Map.of("within", Durations.describe(c.get(ConfigKeys.CONFIRM_EMAIL_WITHIN)))));
        }
        if (verdict instanceof Confirmations.Verdict.Invalid) {
            return refused(ex, "error", gh.messages().get("INVALID_CONFIRMATION_TOKEN"));
        }
        if (verdict instanceof Confirmations.Verdict.AlreadyConfirmed) {
            return refused(ex, "info", gh.messages().get("ALREADY_CONFIRMED"));
        }
        User user = gh.confirmations().confirm(((Confirmations.Verdict.Confirmable) verdict).user(), ex.now());
        boolean autoLogin = c.get(ConfigKeys.AUTO_LOGIN_AFTER_CONFIRM);
        Optional<User> current = ex.currentUser();
        if (current.isEmpty() || !current.get().id().equals(user.id())) {
            if (current.isPresent()) {
                ex.logout();
            }
            if (autoLogin) {
                // Against OWASP's advice (whoever holds the link gets in), hence off by default.
                Optional<HttpResponse> secondFactor = gh.twoFactor().begin(ex, user, false, "confirm", null);
                if (secondFactor.isPresent()) {
                    return secondFactor.get();
                }
                user = ex.login(user, false);
                gh.csrf().cookie(ex).ifPresent(ex::addCookie);
                gh.events().publish(new UserAuthenticated(user, List.of("confirm")));
            }
        }
        String msg = gh.messages().get("EMAIL_CONFIRMED");
        if (gh.redirects().spa()) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("success", msg);
            q.put("email", user.email());
            q.put("identity", gh.credentials().identityOf(user));
            return HttpResponse.redirect(gh.redirects().view(
                    or(c.get(ConfigKeys.POST_CONFIRM_VIEW), c.get(ConfigKeys.LOGIN_URL)), q));
        }
        Flashes.add(ex, "success", msg);
        return HttpResponse.redirect(or(c.get(ConfigKeys.POST_CONFIRM_VIEW),
                autoLogin ? c.get(ConfigKeys.POST_LOGIN_VIEW) : c.get(ConfigKeys.LOGIN_URL)));
    }

    private HttpResponse refused(Exchange ex, String category, String msg) {
        String errorView = gh.config().get(ConfigKeys.CONFIRM_ERROR_VIEW);
        String fallback = gh.config().get(ConfigKeys.CONFIRM_URL);
        if (gh.redirects().spa()) {
            // No identity here: anyone may hold a stale link.
            return HttpResponse.redirect(gh.redirects().view(or(errorView, fallback), Map.of(category, msg)));
        }
        Flashes.add(ex, category, msg);
        return HttpResponse.redirect(or(errorView, fallback));
    }

    private static String or(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }
}

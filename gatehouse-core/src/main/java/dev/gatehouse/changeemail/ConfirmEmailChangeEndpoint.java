package dev.gatehouse.changeemail;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /change-email/<token>}, the link mailed to the new address: always a redirect. With
 * {@code SECURITY_REDIRECT_BEHAVIOR="spa"} the outcome travels in the query of
 * {@code POST_CHANGE_EMAIL_VIEW} ({@code identity}, {@code email}, {@code success}) or
 * {@code CHANGE_EMAIL_ERROR_VIEW} ({@code error}, never an identity); otherwise as a flashed
 * notice on {@code POST_CHANGE_EMAIL_VIEW} (else {@code POST_LOGIN_VIEW}) or the error view (else
 * {@code /change-email}). Nobody is logged in or out by it.
 */
final class ConfirmEmailChangeEndpoint implements Endpoint {
    private final Gatehouse gh;

    ConfirmEmailChangeEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) {
        GatehouseConfig c = gh.config();
        EmailChanges.Verdict verdict = gh.emailChanges().check(params.get("token"));
        if (verdict instanceof EmailChanges.Verdict.Expired) {
            return refused(ex, gh.messages().get("CHANGE_EMAIL_EXPIRED",
                    Map.of("within", Durations.describe(c.get(ConfigKeys.CHANGE_EMAIL_WITHIN)))));
        }
        if (!(verdict instanceof EmailChanges.Verdict.Usable usable)) {
            // Flask-Security's word for a link that is forged, used, or whose address went to another account.
            return refused(ex, gh.messages().get("API_ERROR"));
        }
        Optional<User> changed = gh.emailChanges().change(usable.user(), usable.newEmail(), ex.now());
        if (changed.isEmpty()) {
            return refused(ex, gh.messages().get("API_ERROR"));
        }
        User user = changed.get();
        String msg = gh.messages().get("CHANGE_EMAIL_CONFIRMED");
        if (gh.redirects().spa()) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("success", msg);
            q.put("email", user.email());
            q.put("identity", gh.credentials().identityOf(user));
            return HttpResponse.redirect(gh.redirects().view(
                    or(c.get(ConfigKeys.POST_CHANGE_EMAIL_VIEW), c.get(ConfigKeys.POST_LOGIN_VIEW)), q));
        }
        Flashes.add(ex, "success", msg);
        return HttpResponse.redirect(or(c.get(ConfigKeys.POST_CHANGE_EMAIL_VIEW), c.get(ConfigKeys.POST_LOGIN_VIEW)));
    }

    private HttpResponse refused(Exchange ex, String msg) {
        String target = or(gh.config().get(ConfigKeys.CHANGE_EMAIL_ERROR_VIEW), gh.config().get(ConfigKeys.CHANGE_EMAIL_URL));
        if (gh.redirects().spa()) {
            return HttpResponse.redirect(gh.redirects().view(target, Map.of("error", msg)));
        }
        Flashes.add(ex, "error", msg);
        return HttpResponse.redirect(target);
    }

    private static String or(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }
}

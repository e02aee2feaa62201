package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /us-verify-link?id=<fs_uniquifier>&code=<code>}: the sign-in link of a unified
 * sign-in mail. Always a redirect: into the application (or the two-factor step), or back to the
 * sign-in page with the reason; with {@code SECURITY_REDIRECT_BEHAVIOR=spa} to the configured views
 * with query parameters. No auth token ever goes into a URL, so SPAs use the session cookie; a link
 * that would need a second factor sends SPAs to {@code LOGIN_ERROR_VIEW?tf_required=1}.
 */
final class UsVerifyLinkEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;

    UsVerifyLinkEndpoint(UnifiedSignin us) {
        this.us = us;
        this.gh = us.gh;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) {
        String id = ex.request().queryParam("id").orElse(null);
        String code = ex.request().queryParam("code").orElse(null);
        boolean generic = gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES);
        if (id == null || id.isBlank() || code == null || code.isBlank()) {
            return refuse(ex, gh.messages().get("API_ERROR"), null);
        }
        Optional<User> found = gh.datastore().findUserByUniquifier(id.strip());
        if (found.isEmpty() || !found.get().active()) {
            String key = found.isEmpty() ? "USER_DOES_NOT_EXIST" : "DISABLED_ACCOUNT";
            return refuse(ex, gh.messages().get(generic ? "GENERIC_AUTHN_FAILED" : key), null);
        }
        User user = found.get();
        String secret = gh.datastore().usGetTotpSecrets(user).get("email");
        if (us.codesClosed(user, ex.now()) || !us.verifyCode(secret, code.strip(), ex.now())) {
            us.wrongPasscode(user, ex.now());
            gh.events().publish(new LoginFailed(user, "passcode"));
            return refuse(ex, gh.messages().get(generic ? "GENERIC_AUTHN_FAILED" : "INVALID_CODE"), user);
        }
        boolean spa = "spa".equals(gh.config().get(ConfigKeys.REDIRECT_BEHAVIOR));
        if (gh.config().get(ConfigKeys.US_MFA_REQUIRED).contains("email")) {
            if (spa && gh.twoFactor().wouldRequire(ex, user)) {
                Map<String, String> q = qparams(user);
                q.put("tf_required", "1");
                return HttpResponse.redirect(gh.redirects().view(errorView(), q));
            }
            Optional<HttpResponse> second = gh.twoFactor().begin(ex, user, false, "email", null);
            if (second.isPresent()) {
                return second.get();
            }
        }
        User loggedIn = ex.login(user, false);
        gh.events().publish(new UserAuthenticated(loggedIn, List.of("email")));
        gh.csrf().cookie(ex).ifPresent(ex::addCookie);
        if (spa) {
            return HttpResponse.redirect(gh.redirects().view(gh.config().get(ConfigKeys.POST_LOGIN_VIEW), qparams(loggedIn)));
        }
        Flashes.add(ex, "success", gh.messages().get("PASSWORDLESS_LOGIN_SUCCESSFUL"));
        return HttpResponse.redirect(gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
    }

    private HttpResponse refuse(Exchange ex, String msg, User user) {
        if ("spa".equals(gh.config().get(ConfigKeys.REDIRECT_BEHAVIOR))) {
            Map<String, String> q = user != null ? qparams(user) : new LinkedHashMap<>();
            q.put("error", msg);
            return HttpResponse.redirect(gh.redirects().view(errorView(), q));
        }
        Flashes.add(ex, "error", msg);
        return HttpResponse.redirect(gh.config().get(ConfigKeys.US_SIGNIN_URL));
    }

    private String errorView() {
        String v = gh.config().get(ConfigKeys.LOGIN_ERROR_VIEW);
        return v != null ? v : gh.config().get(ConfigKeys.US_SIGNIN_URL);
    }

    /** Flask-Security's {@code get_redirect_qparams}: the email and the identity. */
    private Map<String, String> qparams(User user) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("email", user.email());
        q.put("identity", gh.credentials().identityOf(user));
        return q;
    }
}

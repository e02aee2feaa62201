package dev.gatehouse.login;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET/POST /verify}: re-authentication of the signed-in user by password, which makes the
 * session fresh again (freshness-protected endpoints then pass for {@code SECURITY_FRESHNESS}).
 * The password is always checked against the current user, never anyone else.
 */
public final class VerifyEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public VerifyEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        User user = ex.currentUser().orElseThrow();
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? gh.responses().ok(ex, user, false, Map.of(
                    "has_webauthn_verify_credential", false, "oauth_enabled", false, "oauth_providers", List.of()))
                    : page(ex, new FieldErrors());
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Form.FieldValue pw = form.string("password");
        if (pw instanceof Form.FieldValue.NotAString) {
            errors.add("password", gh.messages().get("API_ERROR"));
        } else if (pw.textOrNull() == null || pw.textOrNull().isEmpty()) {
            errors.add("password", gh.messages().get("PASSWORD_NOT_PROVIDED"));
        } else if (!gh.credentials().verify(user, pw.textOrNull())) {
            gh.events().publish(new dev.gatehouse.event.LoginFailed(user, "password"));
            errors.add("password", gh.messages().get("INVALID_PASSWORD"));
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors);
        }
        ex.markFresh();
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, user, gh.responses().tokenRequested(ex), Map.of());
        }
        String next = form.string("next").textOrNull();
        if (next == null) {
            next = ex.request().queryParam("next").orElse(null);
        }
        String fallback = gh.config().get(ConfigKeys.POST_VERIFY_VIEW);
        return HttpResponse.redirect(gh.redirects().safe(next, ex.request())
                .orElse(fallback != null ? fallback : gh.config().get(ConfigKeys.POST_LOGIN_VIEW)));
    }

    private HttpResponse page(Exchange ex, FieldErrors errors) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Verify Password");
        String next = ex.request().queryParam("next").orElse(null);
        model.put("action", gh.config().get(ConfigKeys.VERIFY_URL));
        model.put("next", next);
        model.put("csrf_token", gh.csrf().token(ex));
        model.put("field_errors", errors.byField());
        model.put("form_errors", errors.byField().getOrDefault("", List.of()));
        return gh.pages().render(200, "security/verify_user.html", model);
    }
}

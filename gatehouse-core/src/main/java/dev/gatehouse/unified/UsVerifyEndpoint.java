package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /us-verify} (signed in): re-authentication with a passcode of the signed-in
 * user (never anyone else's), which makes the session fresh again.
 */
final class UsVerifyEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;

    UsVerifyEndpoint(UnifiedSignin us) {
        this.us = us;
        this.gh = us.gh;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        User user = ex.currentUser().orElseThrow();
        if (!ex.request().method().equals("POST")) {
            if (ex.wantsJson()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("available_methods", us.enabledMethods());
                json.put("code_methods", us.activeCodeMethods(user));
                json.put("has_webauthn_verify_credential", false);
                json.put("oauth_enabled", false);
                json.put("oauth_providers", List.of());
                return gh.responses().ok(ex, user, false, json);
            }
            return page(ex, user, new FieldErrors());
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Form.FieldValue passcode = form.code("passcode");
        if (passcode instanceof Form.FieldValue.NotAString) {
            errors.add("passcode", gh.messages().get("API_ERROR"));
        } else if (passcode.textOrNull() == null || passcode.textOrNull().isEmpty()) {
            errors.add("passcode", gh.messages().get("INVALID_PASSWORD_CODE"));
        } else if (us.verifyPasscode(user, passcode.textOrNull(), ex.now()).isEmpty()) {
            gh.events().publish(new LoginFailed(user, "passcode"));
            errors.add("passcode", gh.messages().get("INVALID_PASSWORD_CODE"));
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, user, errors);
        }
        ex.markFresh();
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, user, gh.responses().tokenRequested(ex), Map.of());
        }
        String next = Optional.ofNullable(form.string("next").textOrNull()).orElse(ex.request().queryParam("next").orElse(null));
        String fallback = gh.config().get(ConfigKeys.POST_VERIFY_VIEW);
        return HttpResponse.redirect(gh.redirects().safe(next, ex.request())
                .orElse(fallback != null ? fallback : gh.config().get(ConfigKeys.POST_LOGIN_VIEW)));
    }

    private HttpResponse page(Exchange ex, User user, FieldErrors errors) {
        Map<String, Object> model = gh.pages().formModel(ex, "Please Reauthenticate",
                gh.config().get(ConfigKeys.US_VERIFY_URL), errors);
        model.put("send_code_action", gh.config().get(ConfigKeys.US_VERIFY_SEND_CODE_URL));
        model.put("next", ex.request().queryParam("next").orElse(null));
        model.put("code_methods", us.activeCodeMethods(user));
        return gh.pages().render(errors.isEmpty() ? 200 : 400, "security/us_verify.html", model);
    }
}

package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.event.UserAuthenticated;
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
 * {@code GET/POST /us-signin}: sign in with an identity and a passcode (the password or a code).
 * Errors come in this order, so an account's state is told only after its passcode was proven:
 * unknown identity → wrong passcode → disabled → unconfirmed. With
 * {@code SECURITY_RETURN_GENERIC_RESPONSES} identity and passcode errors become one form-level
 * {@code GENERIC_AUTHN_FAILED}.
 */
final class UsSigninEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;

    UsSigninEndpoint(UnifiedSignin us) {
        this.us = us;
        this.gh = us.gh;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Optional<User> current = ex.currentUser();
        if (current.isPresent()) {
            // Only GET gets here: the router refuses POST from a signed-in caller.
            return ex.wantsJson() ? gh.responses().ok(ex, current.get(), false, info())
                    : HttpResponse.redirect(gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
        }
        if (!ex.request().method().equals("POST")) {
            gh.csrf().cookie(ex).ifPresent(ex::addCookie);
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, info()) : page(ex, new FieldErrors(), Form.empty(false));
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Form.FieldValue identity = form.string("identity");
        Form.FieldValue passcode = form.code("passcode");
        if (identity instanceof Form.FieldValue.NotAString) {
            errors.add("identity", gh.messages().get("API_ERROR"));
        } else if (identity.textOrNull() == null || identity.textOrNull().isBlank()) {
            errors.add("identity", gh.messages().get("FIELD_REQUIRED"));
        }
        if (passcode instanceof Form.FieldValue.NotAString) {
            errors.add("passcode", gh.messages().get("API_ERROR"));
        }
        if (form.has("remember") && form.isJson() && form.bool("remember").isEmpty()) {
            errors.add("remember", gh.messages().get("API_ERROR"));
        }
        Optional<User> user = Optional.empty();
        String method = null;
        if (errors.isEmpty()) {
            user = gh.credentials().findByAnyIdentity(identity.textOrNull());
            String code = passcode.textOrNull();
            if (user.isEmpty()) {
                gh.credentials().spendDummyWork(code);
                errors.add("identity", gh.messages().get("US_SPECIFY_IDENTITY"));
            } else if (code == null || code.isEmpty()) {
                errors.add("passcode", gh.messages().get("INVALID_PASSWORD_CODE"));
            } else {
                method = us.verifyPasscode(user.get(), code, ex.now()).orElse(null);
                if (method == null) {
                    gh.events().publish(new LoginFailed(user.get(), "passcode"));
                    errors.add("passcode", gh.messages().get("INVALID_PASSWORD_CODE"));
                } else if (!user.get().active()) {
                    errors.add("identity", gh.messages().get("DISABLED_ACCOUNT"));
                } else if (gh.requiresConfirmation(user.get())) {
                    errors.add("identity", gh.messages().get("CONFIRMATION_REQUIRED"));
                }
            }
        }
        if (!errors.isEmpty()) {
            if (gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
                errors = squash(errors);
            }
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, form);
        }
        User u = gh.datastore().reload(user.get());
        boolean remember = form.bool("remember").orElse(gh.config().get(ConfigKeys.DEFAULT_REMEMBER_ME));
        String next = form.string("next").textOrNull();
        if (next == null) {
            next = ex.request().queryParam("next").orElse(null);
        }
        if (gh.config().get(ConfigKeys.US_MFA_REQUIRED).contains(method)) {
            Optional<HttpResponse> second = gh.twoFactor().begin(ex, u, remember, method, next);
            if (second.isPresent()) {
                return second.get();
            }
        }
        User loggedIn = ex.login(u, remember);
        gh.events().publish(new UserAuthenticated(loggedIn, List.of(method)));
        gh.csrf().cookie(ex).ifPresent(ex::addCookie);
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, loggedIn, gh.responses().tokenRequested(ex), Map.of("tf_required", false));
        }
        return HttpResponse.redirect(gh.redirects().safe(next, ex.request()).orElse(gh.config().get(ConfigKeys.POST_LOGIN_VIEW)));
    }

    private Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available_methods", us.enabledMethods());
        m.put("code_methods", us.codeMethods());
        m.put("identity_attributes", gh.credentials().identityAttributes());
        return m;
    }

    private FieldErrors squash(FieldErrors errors) {
        FieldErrors out = new FieldErrors();
        String generic = gh.messages().get("GENERIC_AUTHN_FAILED");
        errors.byField().forEach((field, msgs) -> {
            if (field.equals("identity") || field.equals("passcode")) {
                if (!out.has("")) {
                    out.add("", generic);
                }
            } else {
                msgs.forEach(m -> out.add(field, m));
            }
        });
        return out;
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, Form form) {
        Map<String, Object> model = gh.pages().formModel(ex, "Sign In",
                gh.config().get(ConfigKeys.US_SIGNIN_URL), errors);
        String next = ex.request().queryParam("next").orElse(form.string("next").textOrNull());
        model.put("send_code_action", gh.config().get(ConfigKeys.US_SIGNIN_SEND_CODE_URL));
        model.put("next", next);
        model.put("identity", form.string("identity").textOrNull());
        model.put("code_methods", us.codeMethods());
        model.put("notice", null);
        return gh.pages().render(errors.isEmpty() ? 200 : 400, "security/us_signin.html", model);
    }
}

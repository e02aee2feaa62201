package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /us-signin/send-code} (anonymous: {@code identity} and {@code chosen_method}) and
 * {@code POST /us-verify/send-code} (signed in: {@code chosen_method}): sends a code of one of
 * the user's methods, by mail (with a sign-in link for sign-in) or SMS. With
 * {@code SECURITY_RETURN_GENERIC_RESPONSES} sign-in answers the same whether or not the identity
 * exists and has the method.
 */
final class UsSendCodeEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;
    private final boolean verify;

    UsSendCodeEndpoint(UnifiedSignin us, boolean verify) {
        this.us = us;
        this.gh = us.gh;
        this.verify = verify;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        User user = null;
        if (verify) {
            user = ex.currentUser().orElseThrow();
        } else {
            Form.FieldValue identity = form.string("identity");
            if (identity instanceof Form.FieldValue.NotAString) {
                errors.add("identity", gh.messages().get("API_ERROR"));
            } else if (identity.textOrNull() == null || identity.textOrNull().isBlank()) {
                errors.add("identity", gh.messages().get("FIELD_REQUIRED"));
            } else {
                Optional<User> found = gh.credentials().findByAnyIdentity(identity.textOrNull());
                if (found.isEmpty()) {
                    errors.add("identity", gh.messages().get("US_SPECIFY_IDENTITY"));
                } else if (!found.get().active()) {
                    errors.add("identity", gh.messages().get("DISABLED_ACCOUNT"));
                } else {
                    user = found.get();
                }
            }
        }
        Form.FieldValue chosen = form.string("chosen_method");
        String method = chosen.textOrNull();
        if (chosen instanceof Form.FieldValue.NotAString) {
            errors.add("chosen_method", gh.messages().get("API_ERROR"));
        } else if (method != null && !method.isEmpty() && !method.equals("email") && !method.equals("sms")) {
            errors.add("chosen_method", gh.messages().get("NOT_A_VALID_CHOICE"));
        } else if (user != null) {
            Map<String, String> secrets = gh.datastore().usGetTotpSecrets(user);
            if (method == null || !us.enabledMethods().contains(method) || !secrets.containsKey(method)) {
                errors.add("chosen_method", gh.messages().get("US_METHOD_NOT_AVAILABLE"));
            } else if (method.equals("sms") && user.usPhoneNumber() == null) {
                errors.add("chosen_method", gh.messages().get("PHONE_INVALID"));
            }
        }
        if (errors.isEmpty() && !verify && gh.requiresConfirmation(user)) {
            errors.add("identity", gh.messages().get("CONFIRMATION_REQUIRED"));
        }
        if (!errors.isEmpty()) {
            if (!verify && gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
                // The very answer of a code sent, and the same work (one code computed).
                gh.credentials().spendDummyWork("");
                return sent(ex);
            }
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, null);
        }
        String secret = gh.datastore().usGetTotpSecrets(user).get(method);
        if (!us.sendCode(ex, user, method, secret, user.usPhoneNumber(), !verify)) {
            FieldErrors failed = new FieldErrors().add("chosen_method", gh.messages().get("FAILED_TO_SEND_CODE"));
            return ex.wantsJson() ? Envelope.errors(500, failed) : page(ex, failed, null);
        }
        return sent(ex);
    }

    private HttpResponse sent(Exchange ex) {
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, null, false, Map.of());
        }
        String msg = verify || !gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)
                ? gh.messages().get("CODE_HAS_BEEN_SENT") : gh.messages().get("GENERIC_US_SIGNIN");
        return page(ex, new FieldErrors(), msg);
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, String notice) {
        int status = errors.isEmpty() ? 200 : errors.all().contains(gh.messages().get("FAILED_TO_SEND_CODE")) ? 500 : 400;
        if (verify) {
            Map<String, Object> model = gh.pages().formModel(ex, "Please Reauthenticate",
                    gh.config().get(ConfigKeys.US_VERIFY_URL), errors);
            model.put("notice", notice);
            model.put("send_code_action", gh.config().get(ConfigKeys.US_VERIFY_SEND_CODE_URL));
            model.put("code_methods", us.activeCodeMethods(ex.currentUser().orElseThrow()));
            return gh.pages().render(status, "security/us_verify.html", model);
        }
        Form form;
        try {
            form = ex.form();
        } catch (Exchange.BadRequestException e) {
            form = Form.empty(false);
        }
        Map<String, Object> model = gh.pages().formModel(ex, "Sign In",
                gh.config().get(ConfigKeys.US_SIGNIN_URL), errors);
        model.put("notice", notice);
        model.put("send_code_action", gh.config().get(ConfigKeys.US_SIGNIN_SEND_CODE_URL));
        model.put("identity", form.string("identity").textOrNull());
        model.put("chosen_method", form.string("chosen_method").textOrNull());
        model.put("code_methods", us.codeMethods());
        return gh.pages().render(status, "security/us_signin.html", model);
    }
}

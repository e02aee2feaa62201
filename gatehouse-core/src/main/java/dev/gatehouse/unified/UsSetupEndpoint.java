package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UnifiedSigninProfileChanged;
import dev.gatehouse.token.TimedSerializer;
import dev.gatehouse.totp.AuthenticatorSetup;
import dev.gatehouse.web.Authentication;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /us-setup} (signed in, fresh): add a sign-in method ({@code chosen_method},
 * with {@code phone} for SMS) or remove some ({@code delete_method}). A new method is stored only
 * once its first code comes back to {@code /us-setup/<state>}; meanwhile everything it needs is
 * in the signed {@code state} (Flask-Security's format, salt {@code SECURITY_US_SETUP_SALT}), so no
 * session is needed.
 */
final class UsSetupEndpoint implements Endpoint {
    private final UnifiedSignin us;
    private final Gatehouse gh;

    UsSetupEndpoint(UnifiedSignin us) {
        this.us = us;
        this.gh = us.gh;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Authentication auth = ex.currentAuthentication().orElseThrow();
        Optional<HttpResponse> stale = gh.freshness().require(ex, auth);
        if (stale.isPresent()) {
            return stale.get();
        }
        User user = auth.user();
        if (!ex.request().method().equals("POST")) {
            return info(ex, user, new FieldErrors(), null);
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Form.FieldValue chosenField = form.string("chosen_method");
        String chosen = chosenField.textOrNull();
        if (chosen != null && chosen.isEmpty()) {
            chosen = null;
        }
        Optional<List<String>> deleteField = form.stringList("delete_method");
        List<String> delete = deleteField.orElse(List.of()).stream().filter(m -> !m.isEmpty()).toList();
        String phone = null;
        if (chosenField instanceof Form.FieldValue.NotAString) {
            errors.add("chosen_method", gh.messages().get("API_ERROR"));
        }
        if (deleteField.isEmpty()) {
            errors.add("delete_method", gh.messages().get("API_ERROR"));
        }
        if (errors.isEmpty() && chosen == null && delete.isEmpty()) {
            errors.add("", gh.messages().get("API_ERROR"));
        }
        if (errors.isEmpty() && chosen != null) {
            if (!us.setupMethods().contains(chosen)) {
                errors.add("chosen_method", gh.messages().get("US_METHOD_NOT_AVAILABLE"));
            } else if (chosen.equals("sms")) {
                Form.FieldValue p = form.string("phone");
                if (p instanceof Form.FieldValue.NotAString) {
                    errors.add("phone", gh.messages().get("API_ERROR"));
                } else {
                    phone = gh.phoneNumbers().canonical(p.textOrNull()).orElse(null);
                    if (phone == null) {
                        errors.add("phone", gh.messages().get("PHONE_INVALID"));
                    }
                }
            }
        }
        if (errors.isEmpty() && !delete.isEmpty()) {
            List<String> active = us.activeMethods(user);
            // The password is not a method one can remove here (Flask-Security fails on it).
            if (!delete.stream().allMatch(m -> active.contains(m) && !m.equals("password"))) {
                errors.add("delete_method", gh.messages().get("US_METHOD_NOT_AVAILABLE"));
            }
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : info(ex, user, errors, null);
        }

        if (!delete.isEmpty()) {
            for (String m : delete) {
                user = gh.datastore().usReset(user, m);
            }
            gh.events().publish(new UnifiedSigninProfileChanged(user, delete, true));
        }
        if (chosen == null) {
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of()) : info(ex, user, errors, null);
        }
        String secret = gh.oneTimeCodes().newSecret();
        if (!us.sendCode(ex, user, chosen, secret, phone, false)) {
            FieldErrors failed = new FieldErrors().add("chosen_method", gh.messages().get("FAILED_TO_SEND_CODE"));
            return ex.wantsJson() ? Envelope.errors(500, failed) : info(ex, user, failed, null);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("totp_secret", secret);
        state.put("chosen_method", chosen);
        state.put("phone_number", phone);
        String token = serializer(gh).dumps(state);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("chosen_method", chosen);
        json.put("phone", phone);
        json.put("state", token);
        AuthenticatorSetup authr = null;
        if (chosen.equals("authenticator")) {
            authr = gh.oneTimeCodes().authenticatorSetup(secret, gh.credentials().identityOf(user));
            json.put("authr_key", authr.key());
            json.put("authr_b32key", authr.b32key());
            json.put("authr_username", authr.username());
            json.put("authr_issuer", authr.issuer());
            json.put("authr_uri", authr.uri());
        }
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, null, false, json);
        }
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("chosen_method", chosen);
        pending.put("state", token);
        pending.put("authr", authr);
        pending.put("code_sent", !chosen.equals("authenticator"));
        return info(ex, user, errors, pending);
    }

    static TimedSerializer serializer(Gatehouse gh) {
        return new TimedSerializer(gh.config().secretKeys(), gh.config().get(ConfigKeys.US_SETUP_SALT), gh.clock());
    }

    private HttpResponse info(Exchange ex, User user, FieldErrors errors, Map<String, Object> pending) {
        String phone = us.enabledMethods().contains("sms") ? user.usPhoneNumber() : null;
        List<String> active = us.activeMethods(user);
        if (ex.wantsJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("identity_attributes", gh.credentials().identityAttributes());
            json.put("available_methods", us.enabledMethods());
            json.put("active_methods", active);
            json.put("setup_methods", us.setupMethods());
            json.put("phone", phone);
            return gh.responses().ok(ex, null, false, json);
        }
        Map<String, Object> model = gh.pages().formModel(ex, "Setup Unified Sign In",
                gh.config().get(ConfigKeys.US_SETUP_URL), errors);
        model.put("current_methods_msg", gh.messages().get("US_CURRENT_METHODS",
                Map.of("method_list", active.isEmpty() ? "none" : String.join(", ", active))));
        List<String> addable = new ArrayList<>(us.setupMethods());
        addable.removeAll(active);
        model.put("setup_choices", addable);
        model.put("delete_choices", active.stream().filter(m -> !m.equals("password")).toList());
        model.put("phone", phone);
        if (pending != null) {
            model.putAll(pending);
            model.put("code_action", gh.config().get(ConfigKeys.US_SETUP_URL) + "/" + pending.get("state"));
        }
        int status = errors.isEmpty() ? 200 : errors.byField().values().stream().flatMap(List::stream)
                .anyMatch(m -> m.equals(gh.messages().get("FAILED_TO_SEND_CODE"))) ? 500 : 400;
        return gh.pages().render(status, "security/us_setup.html", model);
    }
}

package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.account.User;
import dev.gatehouse.event.TwoFactorDisabled;
import dev.gatehouse.totp.AuthenticatorSetup;
import dev.gatehouse.web.Authentication;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET/POST /tf-setup}: choose (or turn off) the second factor. Two callers: a signed-in
 * user changing their method (freshness required), or a user in the middle of a sign-in who must
 * set one up first ({@code setup_from_login}). The chosen method is stored only after its first
 * code was entered at {@code /tf-validate} or {@code /tf-setup/<state>}; until then it waits in
 * the pending state (and, for signed-in users, in {@code tf_state_token}).
 */
final class TfSetupEndpoint implements Endpoint {
    private static final Set<String> SETUP_STATES = Set.of(PendingSignIn.SETUP_FROM_LOGIN, PendingSignIn.VALIDATING_PROFILE);

    private final TwoFactor tf;

    TfSetupEndpoint(TwoFactor tf) {
        this.tf = tf;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        boolean post = ex.request().method().equals("POST");
        Form form = post ? ex.form() : Form.empty(false);
        Optional<Authentication> auth = ex.currentAuthentication();
        User user;
        TwoFactor.Continuation continuation = null;
        if (auth.isPresent()) {
            Optional<HttpResponse> stale = tf.gh.freshness().require(ex, auth.get());
            if (stale.isPresent()) {
                return stale.get();
            }
            user = auth.get().user();
        } else {
            Optional<TwoFactor.Continuation> c = tf.continuation(ex, form, SETUP_STATES);
            if (c.isEmpty()) {
                return tf.denied(ex);
            }
            continuation = c.get();
            user = continuation.user();
        }
        if (!post) {
            return info(ex, user, continuation, new FieldErrors());
        }

        FieldErrors errors = new FieldErrors();
        Form.FieldValue setupField = form.string("setup");
        String choice = setupField.textOrNull();
        if (setupField instanceof Form.FieldValue.NotAString) {
            errors.add("setup", tf.gh.messages().get("API_ERROR"));
        } else if (choice == null || !choices(true).contains(choice)) {
            errors.add("setup", tf.gh.messages().get("TWO_FACTOR_METHOD_NOT_AVAILABLE"));
        }
        String phone = null;
        if (errors.isEmpty() && choice.equals("sms")) {
            Form.FieldValue p = form.string("phone");
            if (p instanceof Form.FieldValue.NotAString) {
                errors.add("phone", tf.gh.messages().get("API_ERROR"));
            } else {
                phone = tf.gh.phoneNumbers().canonical(p.textOrNull()).orElse(null);
                if (phone == null) {
                    errors.add("phone", tf.gh.messages().get("PHONE_INVALID"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : info(ex, user, continuation, errors);
        }

        if (choice.equals("disable")) {
            User stored = tf.gh.datastore().tfReset(user);
            tf.pendings.clear(ex);
            tf.gh.events().publish(new TwoFactorDisabled(stored));
            if (ex.wantsJson()) {
                return tf.gh.responses().ok(ex, stored, false, Map.of());
            }
            Flashes.add(ex, "success", tf.gh.messages().get("TWO_FACTOR_DISABLED"));
            return HttpResponse.redirect(tf.viewUrl(tf.config.get(ConfigKeys.TWO_FACTOR_POST_SETUP_VIEW)));
        }

        String method = TwoFactor.canonical(choice);
        String secret = tf.gh.oneTimeCodes().newSecret();
        PendingSignIn pending = continuation != null
                ? continuation.signIn().validating(method, secret, phone)
                : new PendingSignIn(user.fsUniquifier(), PendingSignIn.VALIDATING_PROFILE, method, secret, phone, false, null,
                        null, tf.nonce(), ex.now(), true);
        tf.pendings.save(ex, pending);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tf_state", PendingSignIn.VALIDATING_PROFILE);
        json.put("tf_primary_method", method);
        json.put("tf_method", method);
        // Flask-Security's stateless variant: only for signed-in users (a sign-in has tf_signin_state).
        String stateToken = continuation == null ? SetupStates.dump(tf, secret, method, phone) : null;
        json.put("tf_state_token", stateToken);
        if (continuation != null) {
            json.put(PendingSignIns.FIELD, tf.pendings.token(pending));
        }
        if (!tf.sendCode(ex, user, method, secret, phone)) {
            FieldErrors failed = new FieldErrors().add("setup", tf.gh.messages().get("FAILED_TO_SEND_CODE"));
            return ex.wantsJson() ? Envelope.errors(500, failed) : info(ex, user, continuation, failed);
        }
        AuthenticatorSetup authr = null;
        if (method.equals("authenticator")) {
            authr = tf.gh.oneTimeCodes().authenticatorSetup(secret, tf.gh.credentials().identityOf(user));
            json.put("tf_authr_key", authr.key());
            json.put("tf_authr_b32key", authr.b32key());
            json.put("tf_authr_username", authr.username());
            json.put("tf_authr_issuer", authr.issuer());
            json.put("tf_authr_uri", authr.uri());
        }
        if (ex.wantsJson()) {
            return tf.gh.responses().ok(ex, null, false, json);
        }
        Map<String, Object> model = model(ex, user, continuation, new FieldErrors());
        model.put("chosen_method", method);
        model.put("authr", authr);
        // A browser has the session: its code goes to /tf-validate, which shows errors in place.
        model.put("code_action", tf.config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL));
        model.put("notice", method.equals("authenticator") ? null : tf.gh.messages().get("CODE_HAS_BEEN_SENT"));
        return tf.gh.pages().render(200, "security/two_factor_setup.html", model);
    }

    /** The choices a setup may make: the enabled methods, plus "disable" unless two-factor is required. */
    private List<String> choices(boolean withAliases) {
        List<String> c = new ArrayList<>(tf.config.get(ConfigKeys.TWO_FACTOR_ENABLED_METHODS));
        if (withAliases && c.contains("email")) {
            c.add("mail");
        }
        if (!tf.config.get(ConfigKeys.TWO_FACTOR_REQUIRED)) {
            c.add("disable");
        }
        return c;
    }

    private HttpResponse info(Exchange ex, User user, TwoFactor.Continuation c, FieldErrors errors) {
        boolean required = tf.config.get(ConfigKeys.TWO_FACTOR_REQUIRED);
        List<String> available = new ArrayList<>(tf.config.get(ConfigKeys.TWO_FACTOR_ENABLED_METHODS));
        if (!required && user.tfPrimaryMethod() != null) {
            available.add(0, "disable");
        }
        if (ex.wantsJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tf_required", required);
            json.put("tf_primary_method", tf.method(user));
            json.put("tf_method", tf.method(user));
            json.put("tf_phone_number", user.tfPhoneNumber());
            json.put("tf_available_methods", available);
            return tf.gh.responses().ok(ex, null, false, json);
        }
        Map<String, Object> model = model(ex, user, c, errors);
        return tf.gh.pages().render(errors.isEmpty() ? 200 : 400, "security/two_factor_setup.html", model);
    }

    private Map<String, Object> model(Exchange ex, User user, TwoFactor.Continuation c, FieldErrors errors) {
        Map<String, Object> model = tf.gh.pages().formModel(ex, "Two-factor authentication",
                tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_URL), errors);
        List<Map<String, String>> choices = new ArrayList<>();
        boolean required = tf.config.get(ConfigKeys.TWO_FACTOR_REQUIRED);
        if (!required && user.tfPrimaryMethod() != null) {
            choices.add(Map.of("value", "disable", "label", "Disable two-factor authentication"));
        }
        for (String m : tf.config.get(ConfigKeys.TWO_FACTOR_ENABLED_METHODS)) {
            choices.add(Map.of("value", m, "label", switch (m) {
                case "authenticator" -> "Set up using an authenticator app (e.g. Google, Lastpass, Authy)";
                case "email" -> "Set up using email";
                case "sms" -> "Set up using SMS";
                default -> m;
            }));
        }
        model.put("choices", choices);
        model.put("primary_method", tf.method(user));
        model.put("changing", c == null);
        model.put("phone", user.tfPhoneNumber());
        return model;
    }
}

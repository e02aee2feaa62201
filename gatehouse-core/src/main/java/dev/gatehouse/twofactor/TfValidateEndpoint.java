package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.account.User;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.event.TwoFactorCodeConfirmed;
import dev.gatehouse.event.TwoFactorProfileChanged;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET/POST /tf-validate}: the code of the second factor. For a sign-in (pending in the
 * session or in {@code tf_signin_state}) a right code logs the user in, storing the method first
 * when it was set up during this sign-in; wrong codes count against the pending sign-in. For a
 * signed-in user changing their method, a right code stores the new method.
 */
final class TfValidateEndpoint implements Endpoint {
    private static final Set<String> STATES = Set.of(PendingSignIn.READY, PendingSignIn.VALIDATING_PROFILE);

    private final TwoFactor tf;

    TfValidateEndpoint(TwoFactor tf) {
        this.tf = tf;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        boolean post = ex.request().method().equals("POST");
        Form form = post ? ex.form() : Form.empty(false);
        Optional<User> current = ex.currentUser();
        return current.isPresent() ? changing(ex, form, post, current.get()) : signingIn(ex, form, post);
    }

    /** A signed-in user confirming the method they just chose at /tf-setup. */
    private HttpResponse changing(Exchange ex, Form form, boolean post, User user) {
        Optional<PendingSignIn> pending = tf.pendings.load(ex, form).filter(p -> p.changing()
                && p.uid().equals(user.fsUniquifier()) && p.state().equals(PendingSignIn.VALIDATING_PROFILE)
                && p.method() != null && p.secret() != null);
        if (pending.isEmpty()) {
            return tf.denied(ex);
        }
        PendingSignIn p = pending.get();
        if (!post) {
            return ex.wantsJson() ? tf.gh.responses().ok(ex, user, false, Map.of()) : page(ex, p.method(), null, new FieldErrors());
        }
        FieldErrors errors = new FieldErrors();
        Optional<String> code = CodeField.read(form, "code", errors, tf.gh.messages());
        if (code.isPresent() && !tf.verify(ex, p.method(), p.secret(), code.get())) {
            errors.add("code", tf.gh.messages().get("TWO_FACTOR_INVALID_TOKEN"));
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, p.method(), null, errors);
        }
        tf.pendings.clear(ex);
        User stored = tf.gh.datastore().tfSet(user, p.method(), p.secret(), p.phone());
        tf.gh.events().publish(new TwoFactorProfileChanged(stored, p.method()));
        if (ex.wantsJson()) {
            return tf.gh.responses().ok(ex, stored, tf.gh.responses().tokenRequested(ex), Map.of());
        }
        Flashes.add(ex, "success", tf.gh.messages().get("TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL"));
        return HttpResponse.redirect(tf.viewUrl(tf.config.get(ConfigKeys.TWO_FACTOR_POST_SETUP_VIEW)));
    }

    /** The second step of a sign-in. */
    private HttpResponse signingIn(Exchange ex, Form form, boolean post) {
        Optional<TwoFactor.Continuation> found = tf.continuation(ex, form, STATES);
        if (found.isEmpty()) {
            return tf.denied(ex);
        }
        TwoFactor.Continuation c = found.get();
        PendingSignIn p = c.signIn();
        boolean settingUp = p.state().equals(PendingSignIn.VALIDATING_PROFILE);
        String method = settingUp ? p.method() : tf.method(c.user());
        String secret = settingUp ? p.secret() : c.user().tfTotpSecret();
        if (method == null || secret == null) {
            return tf.denied(ex);
        }
        if (!post) {
            if (ex.wantsJson()) {
                return tf.gh.responses().ok(ex, c.user(), false, Map.of("recovery_options", tf.recoveryOptions(c.user())));
            }
            return page(ex, method, c, new FieldErrors());
        }
        if (tf.exhausted(ex, p)) {
            return tf.voided(ex, errors -> page(ex, method, c, errors));
        }
        FieldErrors errors = new FieldErrors();
        Optional<String> code = CodeField.read(form, "code", errors, tf.gh.messages());
        if (code.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, method, c, errors);
        }
        if (!tf.verify(ex, method, secret, code.get())) {
            if (!settingUp) {
                tf.gh.events().publish(new LoginFailed(c.user(), "code"));
            }
            errors.add("code", tf.gh.messages().get("TWO_FACTOR_INVALID_TOKEN"));
            return tf.wrongCode(ex, c, errors, e -> page(ex, method, c, e));
        }
        User user = c.user();
        if (settingUp) {
            user = tf.gh.datastore().tfSet(user, method, secret, p.phone());
        }
        tf.gh.events().publish(new TwoFactorCodeConfirmed(user, method));
        return tf.complete(ex, new TwoFactor.Continuation(p, user), method, true, true);
    }

    private HttpResponse page(Exchange ex, String method, TwoFactor.Continuation c, FieldErrors errors) {
        Map<String, Object> model = tf.gh.pages().formModel(ex, "Two-factor authentication",
                tf.config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL), errors);
        model.put("chosen_method", method);
        if (c != null) {
            model.put("rescue_action", tf.config.get(ConfigKeys.TWO_FACTOR_RESCUE_URL));
            model.put("rescue_options", RescueChoices.labels(tf.recoveryOptions(c.user())));
        }
        return tf.gh.pages().render(errors.isEmpty() ? 200 : 400, "security/two_factor_verify_code.html", model);
    }
}

package dev.gatehouse.recovery;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.event.RecoveryCodeUsed;
import dev.gatehouse.twofactor.PendingSignIn;
import dev.gatehouse.twofactor.TwoFactor;
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
import java.util.Set;

/**
 * {@code GET/POST /mf-recovery}: a recovery code in place of the second factor of a pending
 * sign-in. A right code logs the user in and is used up; wrong ones count against the pending
 * sign-in like wrong codes at {@code /tf-validate}. As in Flask-Security, no auth token and no
 * {@code tf_validity} cookie come from this path.
 */
final class RecoveryEndpoint implements Endpoint {
    private final RecoveryCodes codes;
    private final Gatehouse gh;

    RecoveryEndpoint(RecoveryCodes codes) {
        this.codes = codes;
        this.gh = codes.gatehouse();
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        boolean post = ex.request().method().equals("POST");
        Form form = post ? ex.form() : Form.empty(false);
        TwoFactor tf = gh.twoFactor();
        Optional<TwoFactor.Continuation> found = tf.continuation(ex, form, Set.of(PendingSignIn.READY));
        if (found.isEmpty()) {
            return tf.denied(ex);
        }
        TwoFactor.Continuation c = found.get();
        if (!post) {
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of()) : page(ex, new FieldErrors());
        }
        if (tf.exhausted(ex, c.signIn())) {
            return tf.voided(ex, e -> page(ex, e));
        }
        FieldErrors errors = new FieldErrors();
        Form.FieldValue v = form.string("code");
        if (v instanceof Form.FieldValue.NotAString) {
            errors.add("code", gh.messages().get("API_ERROR"));
        } else if (v.textOrNull() == null || v.textOrNull().isBlank()) {
            errors.add("code", gh.messages().get("FIELD_REQUIRED"));
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors);
        }
        if (!codes.use(c.user(), v.textOrNull())) {
            errors.add("code", gh.messages().get("INVALID_RECOVERY_CODE"));
            return tf.wrongCode(ex, c, errors, e -> page(ex, e));
        }
        gh.events().publish(new RecoveryCodeUsed(c.user(), codes.remaining(c.user())));
        return tf.complete(ex, c, "recovery_code", false, false);
    }

    private HttpResponse page(Exchange ex, FieldErrors errors) {
        Map<String, Object> model = gh.pages().formModel(ex, "Enter Recovery Code",
                gh.config().get(ConfigKeys.MULTI_FACTOR_RECOVERY_URL), errors);
        return gh.pages().render(errors.isEmpty() ? 200 : 400, "security/mf_recovery.html", model);
    }
}

package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.account.User;
import dev.gatehouse.event.TwoFactorProfileChanged;
import dev.gatehouse.i18n.Durations;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /tf-setup/<tf_state_token>}: a signed-in user confirms a new method with its first
 * code; everything pending is in the signed token, so no session is needed. Then the method is
 * stored.
 */
final class TfSetupStateEndpoint implements Endpoint {
    private final TwoFactor tf;

    TfSetupStateEndpoint(TwoFactor tf) {
        this.tf = tf;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        User user = ex.currentUser().orElseThrow();
        Form form = ex.form();
        TokenResult<SetupStates.State> r = SetupStates.load(tf, params.get("token"));
        if (!(r instanceof TokenResult.Valid<SetupStates.State> valid)) {
            String msg = r instanceof TokenResult.Expired
                    ? tf.gh.messages().get("TWO_FACTOR_SETUP_EXPIRED",
                            Map.of("within", Durations.describe(tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_WITHIN))))
                    : tf.gh.messages().get("API_ERROR");
            tf.pendings.clear(ex);
            if (ex.wantsJson()) {
                return Envelope.errors(400, new FieldErrors().add("", msg));
            }
            Flashes.add(ex, "error", msg);
            return HttpResponse.redirect(tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_URL));
        }
        SetupStates.State state = valid.payload();
        FieldErrors errors = new FieldErrors();
        Optional<String> code = CodeField.read(form, "code", errors, tf.gh.messages());
        if (code.isPresent() && !tf.verify(ex, state.method(), state.secret(), code.get())) {
            errors.add("code", tf.gh.messages().get("TWO_FACTOR_INVALID_TOKEN"));
        }
        if (!errors.isEmpty()) {
            if (ex.wantsJson()) {
                return Envelope.errors(400, errors);
            }
            errors.all().forEach(m -> Flashes.add(ex, "error", m));
            return HttpResponse.redirect(tf.config.get(ConfigKeys.TWO_FACTOR_SETUP_URL));
        }
        tf.pendings.clear(ex);
        User stored = tf.gh.datastore().tfSet(user, state.method(), state.secret(), state.phone());
        tf.gh.events().publish(new TwoFactorProfileChanged(stored, state.method()));
        if (ex.wantsJson()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tf_method", state.method());
            json.put("tf_primary_method", state.method());
            json.put("tf_phone", stored.tfPhoneNumber());
            return tf.gh.responses().ok(ex, null, false, json);
        }
        Flashes.add(ex, "success", tf.gh.messages().get("TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL"));
        return HttpResponse.redirect(tf.viewUrl(tf.config.get(ConfigKeys.TWO_FACTOR_POST_SETUP_VIEW)));
    }
}

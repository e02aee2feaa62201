package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.event.TwoFactorRescueRequested;
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
 * {@code GET/POST /tf-rescue}: help for a user in the middle of a sign-in who cannot produce the
 * code: {@code help_setup} = {@code email} mails the code, {@code help} mails the administrator,
 * {@code recovery_code} sends the client to {@code /mf-recovery} (a 302 even for JSON, as in
 * Flask-Security).
 */
final class TfRescueEndpoint implements Endpoint {
    private final TwoFactor tf;

    TfRescueEndpoint(TwoFactor tf) {
        this.tf = tf;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        boolean post = ex.request().method().equals("POST");
        Form form = post ? ex.form() : Form.empty(false);
        Optional<TwoFactor.Continuation> found = tf.continuation(ex, form, Set.of(PendingSignIn.READY));
        if (found.isEmpty() || !tf.isSetUp(found.get().user())) {
            return tf.denied(ex);
        }
        TwoFactor.Continuation c = found.get();
        Map<String, String> options = tf.recoveryOptions(c.user());
        if (!post) {
            return answer(ex, c, options, new FieldErrors(), null);
        }
        String choice = form.string("help_setup").textOrNull();
        if (choice == null || !options.containsKey(choice)) {
            FieldErrors errors = new FieldErrors().add("help_setup", tf.gh.messages().get("NOT_A_VALID_CHOICE"));
            return ex.wantsJson() ? Envelope.errors(400, errors) : answer(ex, c, options, errors, null);
        }
        switch (choice) {
            case "recovery_code" -> {
                return HttpResponse.redirect(tf.config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_URL));
            }
            case "email" -> {
                if (!tf.sendCode(ex, c.user(), "email", c.user().tfTotpSecret(), null)) {
                    FieldErrors errors = new FieldErrors().add("help_setup", tf.gh.messages().get("FAILED_TO_SEND_CODE"));
                    return ex.wantsJson() ? Envelope.errors(500, errors) : answer(ex, c, options, errors, null);
                }
                return answer(ex, c, options, new FieldErrors(), tf.gh.messages().get("TWO_FACTOR_RESCUE_CODE_SENT"));
            }
            default -> {
                try {
                    tf.gh.codeMails().twoFactorRescue(c.user());
                } catch (RuntimeException e) {
                    FieldErrors errors = new FieldErrors().add("help_setup", tf.gh.messages().get("FAILED_TO_SEND_CODE"));
                    return ex.wantsJson() ? Envelope.errors(500, errors) : answer(ex, c, options, errors, null);
                }
                tf.gh.events().publish(new TwoFactorRescueRequested(c.user()));
                return answer(ex, c, options, new FieldErrors(), tf.gh.messages().get("TWO_FACTOR_RESCUE_HELP_SENT"));
            }
        }
    }

    private HttpResponse answer(Exchange ex, TwoFactor.Continuation c, Map<String, String> options, FieldErrors errors,
                                String notice) {
        if (ex.wantsJson()) {
            return tf.gh.responses().ok(ex, null, false, Map.of("recovery_options", options));
        }
        Map<String, Object> model = tf.gh.pages().formModel(ex, "Two-factor authentication",
                tf.config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL), errors);
        model.put("notice", notice);
        model.put("chosen_method", tf.method(c.user()));
        model.put("rescue_action", tf.config.get(ConfigKeys.TWO_FACTOR_RESCUE_URL));
        model.put("rescue_options", RescueChoices.labels(options));
        model.put("rescue_mail", tf.config.get(ConfigKeys.TWO_FACTOR_RESCUE_MAIL));
        return tf.gh.pages().render(errors.isEmpty() ? 200 : 400, "security/two_factor_verify_code.html", model);
    }
}

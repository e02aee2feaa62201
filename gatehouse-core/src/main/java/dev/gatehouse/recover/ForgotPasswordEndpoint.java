package dev.gatehouse.recover;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /reset}, "forgot password": mails a reset link to an active, confirmed user.
 * Unknown, disabled and unconfirmed addresses are field errors, or — with
 * {@code SECURITY_RETURN_GENERIC_RESPONSES} — answered exactly like a sent link, after the same
 * hashing work. The answer never carries user information.
 */
final class ForgotPasswordEndpoint implements Endpoint {
    private final Gatehouse gh;

    ForgotPasswordEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        if (!ex.request().method().equals("POST")) {
            if (ex.wantsJson()) {
                return gh.responses().ok(ex, null, false, Map.of());
            }
            return page(ex, 200, new FieldErrors(), ex.currentUser().map(User::email).orElse(""));
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        String email = gh.formFields().email(form, "email", errors);
        Optional<User> user = gh.credentials().recoveryTarget(email, errors, "email");
        boolean generic = gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES);
        // With a well-formed address, an email error says something about an account: generic
        // responses hide it. A malformed address says nothing about anyone and stays a 400.
        if (email != null && errors.has("email") && generic) {
            errors = errors.without("email");
            if (errors.isEmpty()) {
                gh.passwordResets().spendDummyWork();
            }
        } else if (errors.isEmpty()) {
            try {
                gh.passwordResets().sendInstructions(ex.request(), user.orElseThrow());
            } catch (MailException e) {
                // Logged already. With generic responses a failure must look like any other answer.
                if (!generic) {
                    String msg = gh.messages().get("MAIL_SEND_FAILED");
                    return ex.wantsJson() ? Envelope.errors(500, List.of(msg))
                            : page(ex, 500, new FieldErrors().add("", msg), email);
                }
            }
        }
        if (!errors.isEmpty()) {
            String typed = form.string("email").textOrNull();
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, 200, errors, typed == null ? "" : typed);
        }
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, null, false, Map.of());
        }
        Flashes.add(ex, "info", gh.messages().get(generic ? "GENERIC_RECOVERY" : "PASSWORD_RESET_REQUEST", Map.of("email", email)));
        return page(ex, 200, new FieldErrors(), email);
    }

    private HttpResponse page(Exchange ex, int status, FieldErrors errors, String email) {
        Map<String, Object> model = gh.pages().formModel(ex, "Forgot password", gh.config().get(ConfigKeys.RESET_URL), errors);
        model.put("email", email);
        return gh.pages().render(status, "security/forgot_password.html", model);
    }
}

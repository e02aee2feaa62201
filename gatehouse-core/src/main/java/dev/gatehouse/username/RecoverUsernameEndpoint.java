package dev.gatehouse.username;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UsernameRecoveryEmailSent;
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
 * {@code GET/POST /recover-username} (callers not signed in): mails the username of the account
 * with the given {@code email}. The account must exist, be active and — when confirmation is
 * required — be confirmed, as for "forgot password"; each refusal is a field error, or — with
 * {@code SECURITY_RETURN_GENERIC_RESPONSES} — answered exactly like a sent mail. The JSON answer
 * never carries user information.
 */
public final class RecoverUsernameEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public RecoverUsernameEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of()) : page(ex, 200, new FieldErrors(), "");
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
        } else if (errors.isEmpty()) {
            try {
                gh.mails().usernameRecovery(user.orElseThrow());
                gh.events().publish(new UsernameRecoveryEmailSent(user.get()));
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
        Flashes.add(ex, "info", gh.messages().get("USERNAME_RECOVERY_REQUEST"));
        // Flask-Security sends the browser to the login page after a sent mail; one flow for all
        // answers keeps generic responses indistinguishable here.
        return HttpResponse.redirect(gh.config().get(ConfigKeys.LOGIN_URL));
    }

    private HttpResponse page(Exchange ex, int status, FieldErrors errors, String email) {
        Map<String, Object> model = gh.pages().formModel(ex, "Recover username",
                gh.config().get(ConfigKeys.USERNAME_RECOVERY_URL), errors);
        model.put("email", email);
        return gh.pages().render(status, "security/recover_username.html", model);
    }
}

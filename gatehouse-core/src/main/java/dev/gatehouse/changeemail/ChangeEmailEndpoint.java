package dev.gatehouse.changeemail;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.web.Authentication;
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
 * {@code GET/POST /change-email} (authenticated by {@code SECURITY_API_ENABLED_METHODS}, and fresh
 * per {@code SECURITY_FRESHNESS}): the signed-in user names a new address in {@code email}; the
 * confirmation link goes to that address. Both answer {@code {user, current_email}}; the address
 * changes only when the link is followed.
 *
 * <p>An address that belongs to an account already is a field error
 * ({@code EMAIL_ALREADY_ASSOCIATED}), or — with {@code SECURITY_RETURN_GENERIC_RESPONSES} —
 * answered exactly like a sent link, after the same hashing work, and nobody is mailed (a mail
 * to the owner would let anyone pester them).
 */
final class ChangeEmailEndpoint implements Endpoint {
    private final Gatehouse gh;

    ChangeEmailEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Authentication auth = ex.currentAuthentication().orElseThrow();
        Optional<HttpResponse> reauth = gh.freshness().require(ex, auth);
        if (reauth.isPresent()) {
            return reauth.get();
        }
        User user = auth.user();
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? ok(ex, user) : page(ex, 200, new FieldErrors(), user, "");
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        String email = gh.formFields().email(form, "email", errors);
        boolean taken = false;
        if (email != null && gh.credentials().find("email", email).isPresent()) {
            // The user's own address too: there is nothing to change to.
            errors.add("email", gh.messages().get("EMAIL_ALREADY_ASSOCIATED", Map.of("email", email)));
            taken = true;
        }
        boolean generic = gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES);
        if (taken && generic) {
            errors = errors.without("email");
            if (errors.isEmpty()) {
                gh.emailChanges().spendDummyWork();
            }
        } else if (errors.isEmpty()) {
            try {
                gh.emailChanges().sendInstructions(ex.request(), user, email);
            } catch (MailException e) {
                // Logged already. With generic responses a failure must look like any other answer.
                if (!generic) {
                    String msg = gh.messages().get("MAIL_SEND_FAILED");
                    return ex.wantsJson() ? Envelope.errors(500, List.of(msg))
                            : page(ex, 500, new FieldErrors().add("", msg), user, email);
                }
            }
        }
        if (!errors.isEmpty()) {
            String typed = form.string("email").textOrNull();
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, 200, errors, user, typed == null ? "" : typed);
        }
        if (ex.wantsJson()) {
            return ok(ex, user);
        }
        Flashes.add(ex, "success", gh.messages().get("CHANGE_EMAIL_SENT", Map.of("email", email)));
        return page(ex, 200, new FieldErrors(), user, "");
    }

    private HttpResponse ok(Exchange ex, User user) {
        return gh.responses().ok(ex, user, false, Map.of("current_email", user.email()));
    }

    private HttpResponse page(Exchange ex, int status, FieldErrors errors, User user, String email) {
        Map<String, Object> model = gh.pages().formModel(ex, "Change email", gh.config().get(ConfigKeys.CHANGE_EMAIL_URL), errors);
        model.put("current_email", user.email());
        model.put("email", email);
        return gh.pages().render(status, "security/change_email.html", model);
    }
}

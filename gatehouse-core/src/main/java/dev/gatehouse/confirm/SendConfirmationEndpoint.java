package dev.gatehouse.confirm;

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
 * {@code GET/POST /confirm}: sends the confirmation instructions again. Unknown and already
 * confirmed addresses are field errors, or — with {@code SECURITY_RETURN_GENERIC_RESPONSES} —
 * answered exactly like a sent mail, after the same hashing work. The answer never names a user.
 */
final class SendConfirmationEndpoint implements Endpoint {
    private final Gatehouse gh;

    SendConfirmationEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of())
                    : page(ex, 200, new FieldErrors(), ex.request().queryParam("email").orElse(""));
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        String email = gh.formFields().email(form, "email", errors);
        Optional<User> user = Optional.empty();
        if (email != null) {
            user = gh.credentials().find("email", email);
            if (user.isEmpty()) {
                errors.add("email", gh.messages().get("USER_DOES_NOT_EXIST"));
            } else if (user.get().isConfirmed()) {
                errors.add("email", gh.messages().get("ALREADY_CONFIRMED"));
            }
        }
        // With a well-formed address, an email error says who is (not) registered: that is what
        // generic responses hide. A malformed address says nothing about anyone and stays a 400.
        boolean identityError = email != null && errors.has("email");
        if (identityError && gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
            errors = errors.without("email");
            if (errors.isEmpty()) {
                gh.confirmations().spendDummyWork();
            }
        } else if (errors.isEmpty()) {
            try {
                gh.confirmations().sendInstructions(ex.request(), user.orElseThrow());
            } catch (MailException e) {
                // Logged already. With generic responses a failure must look like any other answer.
                if (!gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
                    return failed(ex, form);
                }
            }
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, 200, errors, orEmpty(form));
        }
        if (ex.wantsJson()) {
            // An anonymous endpoint: never any user information.
            return gh.responses().ok(ex, null, false, Map.of());
        }
        Flashes.add(ex, "info", gh.messages().get("CONFIRMATION_REQUEST", Map.of("email", email)));
        return page(ex, 200, new FieldErrors(), email);
    }

    private HttpResponse failed(Exchange ex, Form form) {
        String msg = gh.messages().get("MAIL_SEND_FAILED");
        return ex.wantsJson() ? Envelope.errors(500, List.of(msg))
                : page(ex, 500, new FieldErrors().add("", msg), orEmpty(form));
    }

    private static String orEmpty(Form form) {
        String v = form.string("email").textOrNull();
        return v == null ? "" : v;
    }

    private HttpResponse page(Exchange ex, int status, FieldErrors errors, String email) {
        Map<String, Object> model = gh.pages().formModel(ex, "Send confirmation instructions",
                gh.config().get(ConfigKeys.CONFIRM_URL), errors);
        model.put("email", email);
        return gh.pages().render(status, "security/send_confirmation.html", model);
    }
}

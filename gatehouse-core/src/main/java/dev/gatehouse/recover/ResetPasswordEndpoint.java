package dev.gatehouse.recover;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.i18n.Durations;
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
 * {@code GET/POST /reset/<token>}, the mailed link. GET shows the form (HTML), answers the CSRF
 * token (JSON) or, with {@code SECURITY_REDIRECT_BEHAVIOR="spa"}, redirects to
 * {@code RESET_VIEW?token=} (never an identity) or {@code RESET_ERROR_VIEW?error=}. POST takes
 * {@code password} and {@code password_confirm}; a bad or used link is a form-level error. After
 * a reset nobody is logged in (unless {@code SECURITY_AUTO_LOGIN_AFTER_RESET}): the JSON answer
 * is an empty {@code response}.
 */
final class ResetPasswordEndpoint implements Endpoint {
    private final Gatehouse gh;

    ResetPasswordEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        GatehouseConfig c = gh.config();
        String token = params.get("token");
        PasswordResets.Verdict verdict = gh.passwordResets().check(token);
        boolean post = ex.request().method().equals("POST");
        Form form = post ? ex.form() : Form.empty(false);
        if (!(verdict instanceof PasswordResets.Verdict.Usable usable)) {
            String msg = verdict instanceof PasswordResets.Verdict.Expired
                    ? gh.messages().get("PASSWORD_RESET_EXPIRED", Map.of("within", Durations.describe(c.get(ConfigKeys.RESET_PASSWORD_WITHIN))))
                    : gh.messages().get("INVALID_RESET_PASSWORD_TOKEN");
            if (!post && gh.redirects().spa()) {
                return HttpResponse.redirect(gh.redirects().view(or(c.get(ConfigKeys.RESET_ERROR_VIEW), c.get(ConfigKeys.RESET_URL)),
                        Map.of("error", msg)));
            }
            if (ex.wantsJson()) {
                return Envelope.errors(400, new FieldErrors().add("", msg));
            }
            Flashes.add(ex, "error", msg);
            return HttpResponse.redirect(c.get(ConfigKeys.RESET_URL));
        }
        if (!post) {
            if (gh.redirects().spa()) {
                String view = c.get(ConfigKeys.RESET_VIEW);
                if (view != null && !view.isBlank()) {
                    return HttpResponse.redirect(gh.redirects().view(view, Map.of("token", token)));
                }
            }
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of()) : page(ex, new FieldErrors(), token);
        }

        User user = usable.user();
        FieldErrors errors = new FieldErrors();
        String password = gh.formFields().newPassword(form, "password", "password_confirm", true, true, errors);
        if (password != null) {
            gh.passwordRules().validate(password, user.personalFields()).forEach(m -> errors.add("password", m));
        }
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, token);
        }
        Optional<User> reset = gh.passwordResets().reset(user, password);
        if (reset.isEmpty()) {
            String msg = gh.messages().get("INVALID_RESET_PASSWORD_TOKEN");
            return ex.wantsJson() ? Envelope.errors(400, new FieldErrors().add("", msg)) : page(ex, new FieldErrors().add("", msg), token);
        }
        User stored = reset.get();
        if (c.get(ConfigKeys.AUTO_LOGIN_AFTER_RESET)) {
            // Deprecated in Flask-Security and against OWASP's advice: whoever holds the link gets in,
            // but never past the second factor (ASVS 6.4.3).
            Optional<HttpResponse> secondFactor = gh.twoFactor().begin(ex, stored, false, "reset", null);
            if (secondFactor.isPresent()) {
                return secondFactor.get();
            }
            stored = ex.login(stored, false);
            gh.csrf().cookie(ex).ifPresent(ex::addCookie);
            gh.events().publish(new UserAuthenticated(stored, List.of("reset")));
            if (ex.wantsJson()) {
                return gh.responses().ok(ex, stored, gh.responses().tokenRequested(ex), Map.of("tf_required", false));
            }
            Flashes.add(ex, "success", gh.messages().get("PASSWORD_RESET"));
            return HttpResponse.redirect(or(c.get(ConfigKeys.POST_RESET_VIEW), c.get(ConfigKeys.POST_LOGIN_VIEW)));
        }
        if (ex.wantsJson()) {
            // Flask-Security 5.9: nothing at all, not even a CSRF token.
            return Envelope.json(200, Map.of());
        }
        Flashes.add(ex, "success", gh.messages().get("PASSWORD_RESET_NO_LOGIN"));
        return HttpResponse.redirect(or(c.get(ConfigKeys.POST_RESET_VIEW), c.get(ConfigKeys.LOGIN_URL)));
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, String token) {
        Map<String, Object> model = gh.pages().formModel(ex, "Reset password",
                gh.config().get(ConfigKeys.RESET_URL) + "/" + token, errors);
        return gh.pages().render(200, "security/reset_password.html", model);
    }

    private static String or(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }
}

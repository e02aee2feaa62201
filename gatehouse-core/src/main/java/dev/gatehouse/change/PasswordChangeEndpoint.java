package dev.gatehouse.change;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.event.LoginFailed;
import dev.gatehouse.event.PasswordChanged;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.password.PasswordHasher;
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
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET/POST /change} (authenticated by {@code SECURITY_API_ENABLED_METHODS}): the signed-in
 * user changes their password with {@code password} (the current one), {@code new_password} and
 * {@code new_password_confirm}. A user without a password proves a fresh authentication instead.
 *
 * <p>Success rotates {@code fs_uniquifier}, so every other session, remember-me cookie and auth
 * token of the user dies, and logs the user in again on this request: the caller keeps going
 * with a new session (and a new token when it asks with {@code include_auth_token}). A notice
 * is mailed when {@code SECURITY_SEND_PASSWORD_CHANGE_EMAIL}.
 */
public final class PasswordChangeEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public PasswordChangeEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        Authentication auth = ex.currentAuthentication().orElseThrow();
        User user = auth.user();
        if (!user.hasPassword()) {
            Optional<HttpResponse> reauth = gh.freshness().require(ex, auth);
            if (reauth.isPresent()) {
                return reauth.get();
            }
        }
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? gh.responses().ok(ex, user, false, Map.of("active_password", user.hasPassword()))
                    : page(ex, new FieldErrors(), user);
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        String newPassword = check(form, user, errors);
        if (!errors.isEmpty()) {
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, user);
        }

        User stored = change(user, newPassword);
        // Log in again on this request: the rotation above ended the session it came with.
        boolean remember = ex.request().cookie(gh.rememberCookieName()).isPresent();
        stored = ex.login(stored, remember);
        gh.csrf().cookie(ex).ifPresent(ex::addCookie);
        gh.events().publish(new UserAuthenticated(stored, List.of("change")));
        if (gh.config().get(ConfigKeys.SEND_PASSWORD_CHANGE_EMAIL)) {
            try {
                String forgot = gh.config().get(ConfigKeys.RECOVERABLE)
                        ? gh.externalUrl(ex.request(), gh.config().get(ConfigKeys.RESET_URL)) : null;
                gh.mails().passwordChangeNotice(stored, forgot);
            } catch (MailException e) {
                // Logged by Mails; the password is changed and stays changed.
            }
        }
        gh.events().publish(new PasswordChanged(stored));
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, stored, gh.responses().tokenRequested(ex), Map.of());
        }
        Flashes.add(ex, "success", gh.messages().get("PASSWORD_CHANGE"));
        String view = gh.config().get(ConfigKeys.POST_CHANGE_VIEW);
        return HttpResponse.redirect(view != null ? view : gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
    }

    /**
     * Flask-Security's order: the new password typed twice first; then the current one (given,
     * right, and different from the new one); then the password rules.
     */
    private String check(Form form, User user, FieldErrors errors) {
        GatehouseConfig c = gh.config();
        String newPassword = gh.formFields().newPassword(form, "new_password", "new_password_confirm", true, true, errors);
        if (!errors.isEmpty()) {
            return null;
        }
        if (user.hasPassword()) {
            String current = gh.formFields().required(form, "password", "PASSWORD_NOT_PROVIDED", errors);
            if (current == null) {
                return null;
            }
            if (!gh.credentials().verify(user, current)) {
                // Someone holding a session is guessing: lockout policies want to know.
                gh.events().publish(new LoginFailed(user, "password"));
                errors.add("password", gh.messages().get("INVALID_PASSWORD"));
                return null;
            }
            String normalization = c.get(ConfigKeys.PASSWORD_NORMALIZE_FORM);
            if (Objects.equals(PasswordHasher.normalize(current, normalization), PasswordHasher.normalize(newPassword, normalization))) {
                errors.add("password", gh.messages().get("PASSWORD_IS_THE_SAME"));
                return null;
            }
        }
        gh.passwordRules().validate(newPassword, user.personalFields()).forEach(m -> errors.add("new_password", m));
        return errors.isEmpty() ? newPassword : null;
    }

    /** The new password and a new uniquifier, in one write. */
    private User change(User user, String newPassword) {
        String hash = gh.passwords().hash(newPassword);
        return gh.datastore().inTransaction(() -> gh.datastore().updateUser(gh.datastore().reload(user).toBuilder()
                .password(hash).fsUniquifier(Uniquifiers.newUniquifier()).build()));
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, User user) {
        Map<String, Object> model = gh.pages().formModel(ex, "Change password", gh.config().get(ConfigKeys.CHANGE_URL), errors);
        model.put("active_password", user.hasPassword());
        return gh.pages().render(200, "security/change_password.html", model);
    }
}

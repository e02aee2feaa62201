package dev.gatehouse.register;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.account.Usernames;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.event.UserNotRegistered;
import dev.gatehouse.event.UserRegistered;
import dev.gatehouse.mail.MailException;
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
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/POST /register} (anonymous callers only): creates an account from an email, a
 * password typed twice ({@code SECURITY_PASSWORD_CONFIRM_REQUIRED}) and, with
 * {@code SECURITY_USERNAME_ENABLE}, a username; mails the welcome (with the confirmation link when
 * {@code SECURITY_CONFIRMABLE}); logs the user in when no confirmation is needed.
 *
 * <p>Every field is checked, so a weak password is reported even next to a taken address. With
 * {@code SECURITY_RETURN_GENERIC_RESPONSES}, a taken email or username is not an error: the answer
 * is the one a new address gets, and the owner of the address is mailed instead. A welcome mail
 * that cannot be sent undoes the registration (500), so the address can simply register again.
 */
public final class RegisterEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RegisterEndpoint.class);
    private static final Set<String> PRIVATE_FIELDS = Set.of("password", "password_confirm", "csrf_token");

    private final Gatehouse gh;

    /** Creates the endpoint. */
    public RegisterEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    /** What the form holds once checked. */
    private record Input(String email, String password, String username, String next, User emailOwner,
                         User usernameOwner, Map<String, String> formData) {
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        if (!ex.request().method().equals("POST")) {
            return ex.wantsJson() ? gh.responses().ok(ex, null, false, Map.of()) : page(ex, 200, new FieldErrors(), Form.empty(false));
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Input in = check(ex, form, errors);
        if (!errors.isEmpty()) {
            if ((in.emailOwner() != null || in.usernameOwner() != null)
                    && gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
                // "Taken" is never said; other problems (a weak password …) still are.
                if (in.emailOwner() != null) {
                    errors = errors.without("email");
                }
                if (in.usernameOwner() != null) {
                    errors = errors.without("username");
                }
                if (errors.isEmpty()) {
                    return registerExisting(ex, in);
                }
            }
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, 200, errors, form);
        }
        return register(ex, form, in);
    }

    private Input check(Exchange ex, Form form, FieldErrors errors) {
        GatehouseConfig c = gh.config();
        String email = gh.formFields().email(form, "email", errors);
        User emailOwner = null;
        if (email != null) {
            emailOwner = gh.credentials().find("email", email).orElse(null);
            if (emailOwner != null) {
                errors.add("email", gh.messages().get("EMAIL_ALREADY_ASSOCIATED", Map.of("email", email)));
            }
        }
        String next = gh.formFields().text(form, "next", errors);
        if (next == null || next.isBlank()) {
            next = ex.request().queryParam("next").orElse(null);
        }
        if (next != null && !next.isBlank() && gh.redirects().safe(next, ex.request()).isEmpty()) {
            errors.add("next", gh.messages().get("INVALID_REDIRECT"));
        }
        boolean passwordRequired = c.get(ConfigKeys.PASSWORD_REQUIRED);
        String password = gh.formFields().newPassword(form, "password",
                c.get(ConfigKeys.PASSWORD_CONFIRM_REQUIRED) ? "password_confirm" : null, passwordRequired,
                passwordRequired, errors);
        String username = null;
        User usernameOwner = null;
        if (c.get(ConfigKeys.USERNAME_ENABLE)) {
            String raw = c.get(ConfigKeys.USERNAME_REQUIRED)
                    ? gh.formFields().required(form, "username", "USERNAME_NOT_PROVIDED", errors)
                    : gh.formFields().text(form, "username", errors);
            if (raw != null && !raw.isEmpty()) {
                Usernames.Check u = Usernames.validate(raw, c.get(ConfigKeys.USERNAME_NORMALIZE_FORM),
                        c.get(ConfigKeys.USERNAME_MIN_LENGTH), c.get(ConfigKeys.USERNAME_MAX_LENGTH));
                if (u instanceof Usernames.Check.Invalid bad) {
                    errors.add("username", gh.messages().get(bad.messageKey(), bad.args()));
                } else {
                    username = ((Usernames.Check.Valid) u).normalized();
                    usernameOwner = gh.credentials().find("username", username).orElse(null);
                    if (usernameOwner != null) {
                        errors.add("username", gh.messages().get("USERNAME_ALREADY_ASSOCIATED", Map.of("username", username)));
                    }
                }
            }
        }
        Map<String, String> formData = new LinkedHashMap<>(form.strings());
        formData.keySet().removeAll(PRIVATE_FIELDS);
        gh.registrationHook().validate(Map.copyOf(formData), errors);
        // The password rules run even when other fields failed, so every problem is reported at once.
        String typed = form.string("password").textOrNull();
        if (typed != null && !typed.isEmpty() && !errors.has("password")) {
            Map<String, String> own = new LinkedHashMap<>();
            own.put("email", email != null ? email : Objects.toString(form.string("email").textOrNull(), ""));
            if (username != null) {
                own.put("username", username);
            }
            gh.passwordRules().validate(typed, own).forEach(m -> errors.add("password", m));
        }
        return new Input(email, password, username, next, emailOwner, usernameOwner, formData);
    }

    private HttpResponse register(Exchange ex, Form form, Input in) {
        GatehouseConfig c = gh.config();
        String hash = in.password() != null ? gh.passwords().hash(in.password()) : null;
        User fresh = User.builder(in.email(), Uniquifiers.newUniquifier()).username(in.username()).password(hash).build();
        CreateResult created = gh.datastore().createUser(fresh);
        if (created instanceof CreateResult.AlreadyExists taken) {
            // Lost a race with another registration of the same address or username.
            FieldErrors errors = new FieldErrors();
            errors.add(taken.attribute(), taken.attribute().equals("username")
                    ? gh.messages().get("USERNAME_ALREADY_ASSOCIATED", Map.of("username", String.valueOf(in.username())))
                    : gh.messages().get("EMAIL_ALREADY_ASSOCIATED", Map.of("email", in.email())));
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, 200, errors, form);
        }
        User user = ((CreateResult.Created) created).user();
        boolean confirmable = c.get(ConfigKeys.CONFIRMABLE);
        String token = confirmable ? gh.confirmations().newToken(user) : null;
        if (c.get(ConfigKeys.SEND_REGISTER_EMAIL)) {
            try {
                gh.mails().welcome(user, token == null ? null : gh.confirmations().link(ex.request(), token),
                        c.get(ConfigKeys.CONFIRM_EMAIL_WITHIN));
            } catch (MailException e) {
                // No account without its welcome: undo, so that registering again just works.
                gh.datastore().deleteUser(user);
                String msg = gh.messages().get("MAIL_SEND_FAILED");
                return ex.wantsJson() ? Envelope.errors(500, List.of(msg)) : page(ex, 500, new FieldErrors().add("", msg), form);
            }
        }
        try {
            gh.registrationHook().registered(user, Map.copyOf(in.formData()));
        } catch (RuntimeException e) {
            LOG.error("the registration hook failed for a new user; the registration is undone", e);
            gh.datastore().deleteUser(user);
            throw e;
        }
        gh.events().publish(new UserRegistered(user, token, in.formData()));

        boolean loginNow = !confirmable || c.get(ConfigKeys.LOGIN_WITHOUT_CONFIRMATION);
        if (loginNow) {
            // As Flask-Security: a signed-up user who needs a second factor goes through it first.
            Optional<HttpResponse> secondFactor = gh.twoFactor().begin(ex, user, false, "register", in.next());
            if (secondFactor.isPresent()) {
                return secondFactor.get();
            }
            user = ex.login(user, false);
            gh.csrf().cookie(ex).ifPresent(ex::addCookie);
            gh.events().publish(new UserAuthenticated(user, List.of("register")));
            if (ex.wantsJson()) {
                return gh.responses().ok(ex, user, gh.responses().tokenRequested(ex), Map.of("tf_required", false));
            }
        } else if (ex.wantsJson()) {
            // With generic responses a new address must get the very answer a taken one gets.
            return gh.responses().ok(ex, c.get(ConfigKeys.RETURN_GENERIC_RESPONSES) ? null : user, false, Map.of());
        }
        if (confirmable) {
            Flashes.add(ex, "success", gh.messages().get("CONFIRM_REGISTRATION", Map.of("email", user.email())));
        }
        return HttpResponse.redirect(afterRegistration(ex, in.next()));
    }

    /**
     * A taken email or username under generic responses: the same answer as a registration, the
     * same hashing work, and a mail to the address telling its owner what happened.
     */
    private HttpResponse registerExisting(Exchange ex, Input in) {
        GatehouseConfig c = gh.config();
        gh.passwords().hash("not-a-password");
        boolean send = c.get(ConfigKeys.SEND_REGISTER_EMAIL);
        try {
            if (in.emailOwner() != null) {
                User owner = in.emailOwner();
                gh.events().publish(new UserNotRegistered(owner, true, in.usernameOwner() != null, in.formData()));
                if (send) {
                    String reset = c.get(ConfigKeys.RECOVERABLE)
                            ? gh.passwordResets().link(ex.request(), gh.passwordResets().newToken(owner)) : null;
                    String confirm = gh.requiresConfirmation(owner)
                            ? gh.confirmations().link(ex.request(), gh.confirmations().newToken(owner)) : null;
                    gh.mails().welcomeExisting(owner, reset, confirm);
                }
            } else {
                gh.events().publish(new UserNotRegistered(null, false, true, in.formData()));
                if (send) {
                    gh.mails().welcomeExistingUsername(in.email(), in.username());
                }
            }
        } catch (MailException e) {
            // Logged already; the answer must not differ from a successful registration.
        }
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, null, false, Map.of());
        }
        if (c.get(ConfigKeys.CONFIRMABLE)) {
            Flashes.add(ex, "success", gh.messages().get("CONFIRM_REGISTRATION", Map.of("email", in.email())));
        }
        return HttpResponse.redirect(afterRegistration(ex, in.next()));
    }

    private String afterRegistration(Exchange ex, String next) {
        String view = gh.config().get(ConfigKeys.POST_REGISTER_VIEW);
        return gh.redirects().safe(next, ex.request())
                .orElse(view != null ? view : gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
    }

    private HttpResponse page(Exchange ex, int status, FieldErrors errors, Form form) {
        GatehouseConfig c = gh.config();
        String next = form.string("next").textOrNull();
        if (next == null) {
            next = ex.request().queryParam("next").orElse(null);
        }
        Map<String, Object> model = gh.pages().formModel(ex, "Register", c.get(ConfigKeys.REGISTER_URL), errors);
        model.put("next", next);
        model.put("email", orEmpty(form.string("email").textOrNull()));
        model.put("username", orEmpty(form.string("username").textOrNull()));
        model.put("username_enabled", c.get(ConfigKeys.USERNAME_ENABLE));
        model.put("username_required", c.get(ConfigKeys.USERNAME_REQUIRED));
        model.put("password_required", c.get(ConfigKeys.PASSWORD_REQUIRED));
        model.put("password_confirm", c.get(ConfigKeys.PASSWORD_CONFIRM_REQUIRED));
        model.put("login_url", c.get(ConfigKeys.LOGIN_URL));
        return gh.pages().render(status, "security/register_user.html", model);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

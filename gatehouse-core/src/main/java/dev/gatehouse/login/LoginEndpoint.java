package dev.gatehouse.login;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.EmailAddresses;
import dev.gatehouse.account.User;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /login}: password sign-in by email (or username), with remember-me, safe
 * {@code next}, and the auth token when the query asks for {@code include_auth_token}.
 *
 * <p>Errors follow Flask-Security's order, so details are given only after the password is
 * proven: exists → password → active → confirmed. With {@code RETURN_GENERIC_RESPONSES} every
 * identity or password error becomes one form-level {@code GENERIC_AUTHN_FAILED}.
 */
public final class LoginEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public LoginEndpoint(Gatehouse gatehouse) {
        this.gh = gatehouse;
    }

    @Override
    public HttpResponse handle(Exchange ex, Map<String, String> params) throws Exchange.BadRequestException {
        boolean post = ex.request().method().equals("POST");
        if (ex.currentAuthentication().isPresent()) {
            // Only GET reaches here: the router refuses POST from a logged-in caller.
            if (ex.wantsJson()) {
                return gh.responses().ok(ex, ex.currentUser().orElseThrow(), false,
                        Map.of("identity_attributes", gh.credentials().identityAttributes()));
            }
            return HttpResponse.redirect(gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
        }
        if (!post) {
            gh.csrf().cookie(ex).ifPresent(ex::addCookie);
            return ex.wantsJson()
                    ? gh.responses().ok(ex, null, false, Map.of("identity_attributes", gh.credentials().identityAttributes()))
                    : page(ex, new FieldErrors(), Form.empty(false));
        }

        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        Optional<User> user = validate(form, errors);
        if (user.isEmpty()) {
            if (gh.config().get(ConfigKeys.RETURN_GENERIC_RESPONSES)) {
                errors = squash(errors);
            }
            return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, form);
        }
        boolean remember = form.bool("remember").orElse(gh.config().get(ConfigKeys.DEFAULT_REMEMBER_ME));
        Optional<HttpResponse> secondFactor = gh.twoFactor().begin(ex, user.get(), remember, "password", next(ex, form));
        if (secondFactor.isPresent()) {
            return secondFactor.get();
        }
        User loggedIn = ex.login(user.get(), remember);
        gh.events().publish(new dev.gatehouse.event.UserAuthenticated(loggedIn, List.of("password")));
        gh.csrf().cookie(ex).ifPresent(ex::addCookie);
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, loggedIn, gh.responses().tokenRequested(ex), Map.of("tf_required", false));
        }
        return HttpResponse.redirect(gh.redirects().safe(next(ex, form), ex.request())
                .orElse(gh.config().get(ConfigKeys.POST_LOGIN_VIEW)));
    }

    /** The requested {@code next}, from the form or else the query (not yet checked). */
    private static String next(Exchange ex, Form form) {
        String next = form.string("next").textOrNull();
        return next != null ? next : ex.request().queryParam("next").orElse(null);
    }

    /** Checks the form; on success the user whose credentials were proven. */
    private Optional<User> validate(Form form, FieldErrors errors) {
        GatehouseConfig c = gh.config();
        boolean usernameEnabled = c.get(ConfigKeys.USERNAME_ENABLE);
        List<String> attrs = gh.credentials().identityAttributes();

        String email = null;
        if (attrs.contains("email")) {
            Form.FieldValue v = form.string("email");
            if (v instanceof Form.FieldValue.NotAString) {
                errors.add("email", gh.messages().get("API_ERROR"));
            } else if (v.textOrNull() == null || v.textOrNull().isBlank()) {
                if (!usernameEnabled) {
                    errors.add("email", gh.messages().get("EMAIL_NOT_PROVIDED"));
                }
            } else if (EmailAddresses.normalize(v.textOrNull()).isEmpty()) {
                errors.add("email", gh.messages().get("INVALID_EMAIL_ADDRESS"));
            } else {
                email = EmailAddresses.normalize(v.textOrNull()).get();
            }
        }
        String username = null;
        if (usernameEnabled) {
            Form.FieldValue v = form.string("username");
            if (v instanceof Form.FieldValue.NotAString) {
                errors.add("username", gh.messages().get("API_ERROR"));
            } else if (v.textOrNull() != null && !v.textOrNull().isBlank()) {
                username = v.textOrNull().strip();
            }
        }
        Form.FieldValue pw = form.string("password");
        if (pw instanceof Form.FieldValue.NotAString) {
            errors.add("password", gh.messages().get("API_ERROR"));
        } else if (pw.textOrNull() == null || pw.textOrNull().isEmpty()) {
            errors.add("password", gh.messages().get("PASSWORD_NOT_PROVIDED"));
        }
        if (form.has("remember") && form.isJson() && form.bool("remember").isEmpty()) {
            errors.add("remember", gh.messages().get("API_ERROR"));
        }
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        if (email == null && username == null) {
            errors.add(usernameEnabled ? "username" : "email", gh.messages().get(
                    usernameEnabled ? "USERNAME_NOT_PROVIDED" : "EMAIL_NOT_PROVIDED"));
            return Optional.empty();
        }
        String password = pw.textOrNull();
        String identityField = email != null ? "email" : "username";
        Optional<User> found = email != null
                ? gh.credentials().find("email", email)
                : gh.credentials().find("username", username);
        if (found.isEmpty()) {
            gh.credentials().spendDummyWork(password);
            errors.add(identityField, gh.messages().get("USER_DOES_NOT_EXIST"));
            return Optional.empty();
        }
        User user = found.get();
        if (!gh.credentials().verify(user, password)) {
            gh.events().publish(new dev.gatehouse.event.LoginFailed(user, "password"));
            errors.add("password", gh.messages().get("INVALID_PASSWORD"));
            return Optional.empty();
        }
        if (!user.active()) {
            errors.add(identityField, gh.messages().get("DISABLED_ACCOUNT"));
            return Optional.empty();
        }
        if (gh.requiresConfirmation(user)) {
            errors.add(identityField, gh.messages().get("CONFIRMATION_REQUIRED"));
            return Optional.empty();
        }
        return Optional.of(gh.datastore().reload(user));
    }

    private FieldErrors squash(FieldErrors errors) {
        FieldErrors out = new FieldErrors();
        String generic = gh.messages().get("GENERIC_AUTHN_FAILED");
        for (Map.Entry<String, List<String>> e : errors.byField().entrySet()) {
            if (List.of("email", "username", "password").contains(e.getKey())) {
                if (!out.has("")) {
                    out.add("", generic);
                }
            } else {
                e.getValue().forEach(m -> out.add(e.getKey(), m));
            }
        }
        return out;
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, Form form) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Login");
        model.put("action", gh.config().get(ConfigKeys.LOGIN_URL)
                + ex.request().queryParam("next").map(n -> "?next=" + java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8)).orElse(""));
        model.put("csrf_token", gh.csrf().token(ex));
        model.put("field_errors", errors.byField());
        model.put("form_errors", errors.byField().getOrDefault("", List.of()));
        model.put("flashes", dev.gatehouse.web.Flashes.take(ex));
        model.put("next", form.string("next").textOrNull());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (String attr : gh.credentials().identityAttributes()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", attr);
            f.put("label", attr.equals("email") ? "Email Address" : "Username");
            f.put("type", attr.equals("email") ? "email" : "text");
            f.put("autocomplete", attr.equals("email") ? "email" : "username");
            f.put("value", form.string(attr).textOrNull() == null ? "" : form.string(attr).textOrNull());
            f.put("required", gh.credentials().identityAttributes().size() == 1);
            fields.add(f);
        }
        model.put("identity_fields", fields);
        List<Map<String, String>> links = new ArrayList<>();
        if (gh.config().get(ConfigKeys.REGISTERABLE)) {
            links.add(Map.of("href", gh.config().get(ConfigKeys.REGISTER_URL), "text", "Register"));
        }
        if (gh.config().get(ConfigKeys.RECOVERABLE)) {
            links.add(Map.of("href", gh.config().get(ConfigKeys.RESET_URL), "text", gh.messages().get("FORGOT_PASSWORD")));
        }
        if (gh.config().get(ConfigKeys.CONFIRMABLE)) {
            links.add(Map.of("href", gh.config().get(ConfigKeys.CONFIRM_URL), "text", "Confirm account"));
        }
        if (gh.config().get(ConfigKeys.USERNAME_RECOVERY)) {
            links.add(Map.of("href", gh.config().get(ConfigKeys.USERNAME_RECOVERY_URL), "text", "Recover Username"));
        }
        model.put("links", links);
        return gh.pages().render(200, "security/login_user.html", model);
    }
}

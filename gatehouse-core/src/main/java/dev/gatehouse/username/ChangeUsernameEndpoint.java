package dev.gatehouse.username;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.account.Usernames;
import dev.gatehouse.event.UsernameChanged;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.web.Authentication;
import dev.gatehouse.web.Endpoint;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /change-username} (authenticated by {@code SECURITY_API_ENABLED_METHODS}, and
 * fresh per {@code SECURITY_FRESHNESS}): the signed-in user picks a new {@code username}, checked
 * by the rules of registration ({@link Usernames}: letters and digits, normalized, within the
 * length limits) and free (case-insensitively). GET answers {@code {user, current_username}},
 * POST {@code {user}}. A notice goes to the account's address when
 * {@code SECURITY_SEND_USERNAME_CHANGE_EMAIL}.
 *
 * <p>Unless {@code SECURITY_USERNAME_REQUIRED}, an explicitly empty {@code username} removes the
 * username, as in Flask-Security; a request without the field at all is refused
 * ({@code USERNAME_NOT_PROVIDED}) rather than read as "remove".
 */
public final class ChangeUsernameEndpoint implements Endpoint {
    private final Gatehouse gh;

    /** Creates the endpoint. */
    public ChangeUsernameEndpoint(Gatehouse gatehouse) {
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
            if (ex.wantsJson()) {
                Map<String, Object> extra = new HashMap<>();
                extra.put("current_username", user.username());
                return gh.responses().ok(ex, user, false, extra);
            }
            return page(ex, new FieldErrors(), user, "");
        }
        Form form = ex.form();
        FieldErrors errors = new FieldErrors();
        String username = check(form, errors);
        if (errors.isEmpty() && username == null && user.username() == null) {
            // Removing a username the account does not have changes nothing.
            errors.add("username", gh.messages().get("USERNAME_NOT_PROVIDED"));
        }
        if (errors.isEmpty()) {
            Optional<User> changed = change(user, username);
            if (changed.isPresent()) {
                return changed(ex, changed.get(), user.username());
            }
            // Another account took the name between the check and the write.
            errors.add("username", gh.messages().get("USERNAME_ALREADY_ASSOCIATED", Map.of("username", username)));
        }
        String typed = form.string("username").textOrNull();
        return ex.wantsJson() ? Envelope.errors(400, errors) : page(ex, errors, user, typed == null ? "" : typed);
    }

    /** The new username, normalized; null with an error, or null without one to remove it. */
    private String check(Form form, FieldErrors errors) {
        GatehouseConfig c = gh.config();
        boolean required = c.get(ConfigKeys.USERNAME_REQUIRED);
        Form.FieldValue value = form.string("username");
        if (value instanceof Form.FieldValue.Missing || (required && value.textOrNull() != null && value.textOrNull().isBlank())) {
            errors.add("username", gh.messages().get("USERNAME_NOT_PROVIDED"));
            return null;
        }
        String raw = gh.formFields().text(form, "username", errors);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Usernames.Check check = Usernames.validate(raw, c.get(ConfigKeys.USERNAME_NORMALIZE_FORM),
                c.get(ConfigKeys.USERNAME_MIN_LENGTH), c.get(ConfigKeys.USERNAME_MAX_LENGTH));
        if (check instanceof Usernames.Check.Invalid bad) {
            errors.add("username", gh.messages().get(bad.messageKey(), bad.args()));
            return null;
        }
        String username = ((Usernames.Check.Valid) check).normalized();
        if (gh.credentials().find("username", username).isPresent()) {
            // The user's own name too: there is nothing to change to.
            errors.add("username", gh.messages().get("USERNAME_ALREADY_ASSOCIATED", Map.of("username", username)));
            return null;
        }
        return username;
    }

    /** Stores the new name; empty when another account took it first. */
    private Optional<User> change(User user, String username) {
        try {
            return Optional.of(gh.datastore().inTransaction(() ->
                    gh.datastore().updateUser(gh.datastore().reload(user).toBuilder().username(username).build())));
        } catch (IllegalStateException e) {
            // The datastore's report of a unique collision; anything else is a real failure.
            if (username != null && gh.credentials().find("username", username).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private HttpResponse changed(Exchange ex, User stored, String oldUsername) {
        if (gh.config().get(ConfigKeys.SEND_USERNAME_CHANGE_EMAIL)) {
            try {
                gh.mails().usernameChangeNotice(stored, oldUsername);
            } catch (MailException e) {
                // Logged by Mails; the username is changed and stays so.
            }
        }
        gh.events().publish(new UsernameChanged(stored, oldUsername));
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, stored, false, Map.of());
        }
        Flashes.add(ex, "success", gh.messages().get("USERNAME_CHANGE"));
        String view = gh.config().get(ConfigKeys.POST_CHANGE_USERNAME_VIEW);
        return HttpResponse.redirect(view != null && !view.isBlank() ? view : gh.config().get(ConfigKeys.POST_LOGIN_VIEW));
    }

    private HttpResponse page(Exchange ex, FieldErrors errors, User user, String username) {
        Map<String, Object> model = gh.pages().formModel(ex, "Change username", gh.config().get(ConfigKeys.CHANGE_USERNAME_URL), errors);
        model.put("current_username", user.username() == null ? "" : user.username());
        model.put("username", username);
        return gh.pages().render(200, "security/change_username.html", model);
    }
}

package dev.gatehouse.confirm;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.ConfirmInstructionsSent;
import dev.gatehouse.event.UserConfirmed;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.token.ConfirmTokens;
import dev.gatehouse.token.HashData;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.HttpRequest;
import dev.gatehouse.web.Route;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Email confirmation ({@code SECURITY_CONFIRMABLE}): the mailed links and what following one
 * does. A link carries the user's {@code fs_uniquifier} and a hash of the address it was sent
 * to (Flask-Security's format, salt {@code SECURITY_CONFIRM_SALT}), lives for
 * {@code SECURITY_CONFIRM_EMAIL_WITHIN}, dies when the address changes or the uniquifier is
 * rotated, and works once: a confirmed user's link only answers "already confirmed". An expired
 * link is refused without sending a new one (OWASP); the user asks again on {@code /confirm}.
 */
public final class Confirmations {
    private final Gatehouse gh;
    private final ConfirmTokens tokens;

    /** Confirmation for this Gatehouse instance. */
    public Confirmations(Gatehouse gatehouse) {
        this.gh = gatehouse;
        var c = gatehouse.config();
        this.tokens = new ConfirmTokens(c.secretKeys(), c.get(ConfigKeys.CONFIRM_SALT), c.get(ConfigKeys.CONFIRM_EMAIL_WITHIN),
                gatehouse.clock(), gatehouse.random());
    }

    /** What a confirmation link is worth. */
    public sealed interface Verdict {
        /** A genuine link of a user still to confirm. */
        record Confirmable(User user) implements Verdict {
        }

        /** A genuine link of a user who has confirmed already (links work once). */
        record AlreadyConfirmed(User user) implements Verdict {
        }

        /** A genuine link that is too old. */
        record Expired() implements Verdict {
        }

        /** Not a link we made, or one for an address or uniquifier the user no longer has. */
        record Invalid() implements Verdict {
        }
    }

    /** A new token for the user's current address (deliberately slow: it hashes the address). */
    public String newToken(User user) {
        return tokens.generate(user.fsUniquifier(), user.email());
    }

    /** The absolute link that confirms with this token. */
    public String link(HttpRequest request, String token) {
        return gh.externalUrl(request, gh.config().get(ConfigKeys.CONFIRM_URL) + "/" + token);
    }

    /** Spends the work of {@link #newToken}, so that answering for an unknown address takes as long. */
    public void spendDummyWork() {
        new HashData(gh.random()).hashData("not-an-email@invalid");
    }

    /**
     * Mails new confirmation instructions and announces them.
     *
     * @throws MailException when the mail cannot be sent (logged)
     */
    public void sendInstructions(HttpRequest request, User user) {
        String token = newToken(user);
        gh.mails().confirmationInstructions(user, link(request, token), gh.config().get(ConfigKeys.CONFIRM_EMAIL_WITHIN));
        gh.events().publish(new ConfirmInstructionsSent(user, token));
    }

    /** Checks a token from a link. */
    public Verdict check(String token) {
        TokenResult<ConfirmTokens.Confirmation> r = tokens.check(token);
        if (r instanceof TokenResult.Expired) {
            return new Verdict.Expired();
        }
        Optional<ConfirmTokens.Confirmation> c = r.validPayload();
        if (c.isEmpty()) {
            return new Verdict.Invalid();
        }
        Optional<User> user = gh.datastore().findUserByUniquifier(c.get().uniquifier());
        if (user.isEmpty() || !c.get().emailMatches(user.get().email())) {
            return new Verdict.Invalid();
        }
        return user.get().isConfirmed() ? new Verdict.AlreadyConfirmed(user.get()) : new Verdict.Confirmable(user.get());
    }

    /** Marks the user's address confirmed now and announces it; returns the stored user. */
    public User confirm(User user, Instant now) {
        User stored = gh.datastore().inTransaction(() -> {
            User current = gh.datastore().reload(user);
            return current.isConfirmed() ? current : gh.datastore().updateUser(current.toBuilder().confirmedAt(now).build());
        });
        gh.events().publish(new UserConfirmed(stored));
        return stored;
    }

    /** The routes {@code /confirm} and {@code /confirm/<token>}. */
    public List<Route> routes() {
        String url = gh.config().get(ConfigKeys.CONFIRM_URL);
        return List.of(
                new Route(url, Set.of("GET", "POST"), Route.Access.ANYONE, Route.CsrfRule.CHECK,
                        new SendConfirmationEndpoint(gh)),
                // The link is a GET from a mail client; a POST does the same (Flask-Security allows
                // both) and proves nothing more, so there is no CSRF check to make.
                new Route(url + "/{token}", Set.of("GET", "POST"), Route.Access.ANYONE, Route.CsrfRule.NONE,
                        new ConfirmEmailEndpoint(gh)));
    }
}

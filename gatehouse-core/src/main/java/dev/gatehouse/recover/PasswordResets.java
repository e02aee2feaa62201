package dev.gatehouse.recover;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.event.PasswordReset;
import dev.gatehouse.event.ResetInstructionsSent;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.token.HashData;
import dev.gatehouse.token.ResetTokens;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.HttpRequest;
import dev.gatehouse.web.Route;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Password reset ({@code SECURITY_RECOVERABLE}): the mailed links and the reset itself. A link
 * carries the user's {@code fs_uniquifier} and a hash of their password hash (Flask-Security's
 * format, salt {@code SECURITY_RESET_SALT}) and lives for {@code SECURITY_RESET_PASSWORD_WITHIN}.
 * A reset rotates the uniquifier, which ends every session and token of the user and makes the
 * link single use. Unlike Flask-Security, the password hash in the link is checked too, so a
 * link also dies when the password changes by other means.
 */
public final class PasswordResets {
    private final Gatehouse gh;
    private final ResetTokens tokens;

    /** Password reset for this Gatehouse instance. */
    public PasswordResets(Gatehouse gatehouse) {
        this.gh = gatehouse;
        var c = gatehouse.config();
        this.tokens = new ResetTokens(c.secretKeys(), c.get(ConfigKeys.RESET_SALT), c.get(ConfigKeys.RESET_PASSWORD_WITHIN),
                gatehouse.clock(), gatehouse.random());
    }

    /** What a reset link is worth. */
    public sealed interface Verdict {
        /** A genuine, current link of this user. */
        record Usable(User user) implements Verdict {
        }

        /** A genuine link that is too old. */
        record Expired() implements Verdict {
        }

        /** Not a link we made, already used, or made before the user's password last changed. */
        record Invalid() implements Verdict {
        }
    }

    /** A new token for the user (deliberately slow: it hashes the password hash). */
    public String newToken(User user) {
        return tokens.generate(user.fsUniquifier(), user.password());
    }

    /** The absolute link that opens the reset form with this token. */
    public String link(HttpRequest request, String token) {
        return gh.externalUrl(request, gh.config().get(ConfigKeys.RESET_URL) + "/" + token);
    }

    /** Spends the work of {@link #newToken}, so that answering for an unknown address takes as long. */
    public void spendDummyWork() {
        new HashData(gh.random()).hashData("$argon2id$v=19$m=65536,t=3,p=1$not-a-password-hash");
    }

    /**
     * Mails reset instructions (when {@code SECURITY_SEND_PASSWORD_RESET_EMAIL}) and announces them.
     *
     * @throws MailException when the mail cannot be sent (logged)
     */
    public void sendInstructions(HttpRequest request, User user) {
        String token = newToken(user);
        if (gh.config().get(ConfigKeys.SEND_PASSWORD_RESET_EMAIL)) {
            gh.mails().resetInstructions(user, link(request, token), gh.config().get(ConfigKeys.RESET_PASSWORD_WITHIN));
        }
        gh.events().publish(new ResetInstructionsSent(user, token));
    }

    /** Checks a token from a link. */
    public Verdict check(String token) {
        TokenResult<ResetTokens.Reset> r = tokens.check(token);
        if (r instanceof TokenResult.Expired) {
            return new Verdict.Expired();
        }
        Optional<ResetTokens.Reset> reset = r.validPayload();
        if (reset.isEmpty()) {
            return new Verdict.Invalid();
        }
        Optional<User> user = gh.datastore().findUserByUniquifier(reset.get().uniquifier());
        if (user.isEmpty() || !reset.get().passwordMatches(user.get().password())) {
            return new Verdict.Invalid();
        }
        return new Verdict.Usable(user.get());
    }

    /**
     * Sets the new password and rotates the uniquifier in one write, mails the reset notice (a
     * notice that cannot be sent is logged; the reset stands) and announces the reset.
     *
     * @param user the user of a {@link Verdict.Usable} link
     * @return the user as stored afterwards; empty when the link was used meanwhile (its
     *         uniquifier is gone), so a double submission resets only once
     */
    public Optional<User> reset(User user, String newPassword) {
        String hash = gh.passwords().hash(newPassword);
        User stored = gh.datastore().inTransaction(() -> {
            User current = gh.datastore().reload(user);
            if (!current.fsUniquifier().equals(user.fsUniquifier())) {
                return null;
            }
            return gh.datastore().updateUser(current.toBuilder().password(hash).fsUniquifier(Uniquifiers.newUniquifier()).build());
        });
        if (stored == null) {
            return Optional.empty();
        }
        if (gh.config().get(ConfigKeys.SEND_PASSWORD_RESET_NOTICE_EMAIL)) {
            try {
                gh.mails().resetNotice(stored);
            } catch (MailException e) {
                // Logged by Mails; the password is already changed and must stay so.
            }
        }
        gh.events().publish(new PasswordReset(stored));
        return Optional.of(stored);
    }

    /** The routes {@code /reset} and {@code /reset/<token>}. */
    public List<Route> routes() {
        String url = gh.config().get(ConfigKeys.RESET_URL);
        // Anyone: a signed-in user may have forgotten the password too (Flask-Security 5.7+).
        return List.of(
                new Route(url, Set.of("GET", "POST"), Route.Access.ANYONE, Route.CsrfRule.CHECK, new ForgotPasswordEndpoint(gh)),
                new Route(url + "/{token}", Set.of("GET", "POST"), Route.Access.ANYONE, Route.CsrfRule.CHECK,
                        new ResetPasswordEndpoint(gh)));
    }
}

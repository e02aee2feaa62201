package dev.gatehouse.changeemail;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.event.ChangeEmailConfirmed;
import dev.gatehouse.event.ChangeEmailInstructionsSent;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.token.ChangeEmailTokens;
import dev.gatehouse.token.HashData;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.HttpRequest;
import dev.gatehouse.web.Route;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Change of email ({@code SECURITY_CHANGE_EMAIL}): a signed-in, fresh user names a new address;
 * a link goes to that address, and following it makes it the account's address, confirmed.
 *
 * <p>A link carries the user's {@code fs_uniquifier}, a hash of the address the user had when
 * asking and the new address (Flask-Security's format, salt {@code SECURITY_CHANGE_EMAIL_SALT}),
 * and lives for {@code SECURITY_CHANGE_EMAIL_WITHIN}. It dies when the account's address changes
 * (so it works once), when the uniquifier is rotated, and when the new address has been taken by
 * another account meanwhile. The uniquifier is not rotated by the change: sessions and tokens
 * stay valid. The old address is told afterwards ({@code GATEHOUSE_SEND_CHANGE_EMAIL_NOTICE}).
 */
public final class EmailChanges {
    private final Gatehouse gh;
    private final ChangeEmailTokens tokens;

    /** Email changes for this Gatehouse instance. */
    public EmailChanges(Gatehouse gatehouse) {
        this.gh = gatehouse;
        var c = gatehouse.config();
        this.tokens = new ChangeEmailTokens(c.secretKeys(), c.get(ConfigKeys.CHANGE_EMAIL_SALT),
                c.get(ConfigKeys.CHANGE_EMAIL_WITHIN), gatehouse.clock(), gatehouse.random());
    }

    /** What a change-email link is worth. */
    public sealed interface Verdict {
        /** A genuine, current link: the user may take the new address. */
        record Usable(User user, String newEmail) implements Verdict {
        }

        /** A genuine link that is too old. */
        record Expired() implements Verdict {
        }

        /** Not a link we made, already used, or its new address is no longer free. */
        record Invalid() implements Verdict {
        }
    }

    /** A new token for moving the user to {@code newEmail} (deliberately slow: it hashes the address). */
    public String newToken(User user, String newEmail) {
        return tokens.generate(user.fsUniquifier(), user.email(), newEmail);
    }

    /** The absolute link that confirms with this token. */
    public String link(HttpRequest request, String token) {
        return gh.externalUrl(request, gh.config().get(ConfigKeys.CHANGE_EMAIL_URL) + "/" + token);
    }

    /** Spends the work of {@link #newToken}, so that refusing a taken address quietly takes as long. */
    public void spendDummyWork() {
        new HashData(gh.random()).hashData("not-an-email@invalid");
    }

    /**
     * Mails the confirmation link to the new address and announces it.
     *
     * @throws MailException when the mail cannot be sent (logged)
     */
    public void sendInstructions(HttpRequest request, User user, String newEmail) {
        String token = newToken(user, newEmail);
        gh.mails().changeEmailInstructions(user, newEmail, link(request, token), gh.config().get(ConfigKeys.CHANGE_EMAIL_WITHIN));
        gh.events().publish(new ChangeEmailInstructionsSent(user, newEmail, token));
    }

    /** Checks a token from a link. */
    public Verdict check(String token) {
        TokenResult<ChangeEmailTokens.EmailChange> r = tokens.check(token);
        if (r instanceof TokenResult.Expired) {
            return new Verdict.Expired();
        }
        Optional<ChangeEmailTokens.EmailChange> change = r.validPayload();
        if (change.isEmpty()) {
            return new Verdict.Invalid();
        }
        Optional<User> user = gh.datastore().findUserByUniquifier(change.get().uniquifier());
        if (user.isEmpty() || !change.get().oldEmailMatches(user.get().email())) {
            return new Verdict.Invalid();
        }
        String newEmail = change.get().newEmail();
        if (gh.credentials().find("email", newEmail).isPresent()) {
            return new Verdict.Invalid();
        }
        return new Verdict.Usable(user.get(), newEmail);
    }

    /**
     * Gives the user the new address, confirmed now, in one write; mails the notice to the old
     * address (a notice that cannot be sent is logged; the change stands) and announces it.
     *
     * @param user     the user of a {@link Verdict.Usable} link
     * @param newEmail its new address
     * @return the user as stored afterwards; empty when the account or the address changed since
     *         the link was checked (a double click, or another account took the address first)
     */
    public Optional<User> change(User user, String newEmail, Instant now) {
        String oldEmail = user.email();
        User stored;
        try {
            stored = gh.datastore().inTransaction(() -> {
                User current = gh.datastore().reload(user);
                if (!current.fsUniquifier().equals(user.fsUniquifier()) || !current.email().equals(oldEmail)) {
                    return null;
                }
                return gh.datastore().updateUser(current.toBuilder().email(newEmail).confirmedAt(now).build());
            });
        } catch (IllegalStateException e) {
            // The datastore's report of a unique collision: another account took the address
            // between the check and the write. Anything else is a real failure.
            if (gh.credentials().find("email", newEmail).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
        if (stored == null) {
            return Optional.empty();
        }
        if (gh.config().get(ConfigKeys.GATEHOUSE_SEND_CHANGE_EMAIL_NOTICE)) {
            try {
                gh.mails().changeEmailNotice(stored, oldEmail);
            } catch (MailException e) {
                // Logged by Mails; the address is changed and stays so.
            }
        }
        gh.events().publish(new ChangeEmailConfirmed(stored, oldEmail));
        return Optional.of(stored);
    }

    /** The routes {@code /change-email} and {@code /change-email/<token>}. */
    public List<Route> routes() {
        String url = gh.config().get(ConfigKeys.CHANGE_EMAIL_URL);
        return List.of(
                new Route(url, Set.of("GET", "POST"), Route.Access.AUTHENTICATED, Route.CsrfRule.CHECK,
                        new ChangeEmailEndpoint(gh)),
                // The link is a GET from a mail client, in whatever browser opens it: no sign-in,
                // and nothing for CSRF to protect (the token proves the intent).
                new Route(url + "/{token}", Set.of("GET"), Route.Access.ANYONE, Route.CsrfRule.NONE,
                        new ConfirmEmailChangeEndpoint(gh)));
    }
}

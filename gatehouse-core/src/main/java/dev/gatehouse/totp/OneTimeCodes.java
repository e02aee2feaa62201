package dev.gatehouse.totp;

import dev.gatehouse.account.UserDatastore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time codes of two-factor and unified sign-in, over secrets stored as Flask-Security
 * stores them ({@link TotpSecrets}), and safer than Flask-Security: a code is accepted once.
 *
 * <p>Each secret remembers, through {@link UserDatastore#advanceCounter}, the TOTP step of the
 * last code accepted for it; codes of that step or an earlier one are refused afterwards, on every
 * node. Codes sent by mail or SMS are those of the first step after the last accepted one (or of
 * the current step, whichever is later), so a code sent soon after a sign-in is never one that
 * was already used, and it still verifies within the method's window.
 *
 * <p>Secrets that cannot be read (malformed, or encrypted under a tag no longer configured) never
 * verify; they are logged, not thrown. Immutable and thread-safe.
 */
public final class OneTimeCodes {
    private static final Logger LOG = LoggerFactory.getLogger(OneTimeCodes.class);

    private final TotpSecrets secrets;
    private final UserDatastore datastore;
    private final String issuer;

    /**
     * @param secrets   {@code SECURITY_TOTP_SECRETS}
     * @param datastore where the last accepted step of each secret is kept
     * @param issuer    {@code SECURITY_TOTP_ISSUER}, shown by authenticator apps
     */
    public OneTimeCodes(TotpSecrets secrets, UserDatastore datastore, String issuer) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.datastore = Objects.requireNonNull(datastore, "datastore");
        this.issuer = issuer;
    }

    /** A new random secret in its stored (encrypted) form. */
    public String newSecret() {
        return secrets.newSecret();
    }

    /**
     * The code to send by mail or SMS for a stored secret at {@code now}: never one that was
     * already accepted.
     *
     * @throws IllegalArgumentException when the secret cannot be read
     */
    public String codeToSend(String storedSecret, Instant now) {
        Totp totp = secrets.decrypt(storedSecret);
        OptionalLong last = datastore.findCounter(counterName(totp), now);
        long step = Math.max(totp.counterAt(now), last.isPresent() ? last.getAsLong() + 1 : 0);
        return totp.codeForCounter(step);
    }

    /**
     * Whether {@code code} is a code of the secret within {@code window} (± seconds) of
     * {@code now} and newer than the last accepted one; when it is, it becomes the last accepted
     * one, so it never verifies again.
     */
    public boolean verify(String storedSecret, String code, Duration window, Instant now) {
        if (storedSecret == null || code == null) {
            return false;
        }
        Totp totp;
        try {
            totp = secrets.decrypt(storedSecret);
        } catch (IllegalArgumentException e) {
            LOG.warn("a stored TOTP secret cannot be read: {}", e.getMessage());
            return false;
        }
        String name = counterName(totp);
        OptionalLong last = datastore.findCounter(name, now);
        OptionalLong step = totp.verify(code, now, window, last.isPresent() ? last.getAsLong() : -1);
        if (step.isEmpty()) {
            return false;
        }
        // The step stays remembered while any code up to it could still fall inside a window.
        Instant keep = Instant.ofEpochSecond((step.getAsLong() + 1) * totp.periodSeconds()).plus(window).plusSeconds(1);
        // A concurrent request with the same code may have got here first: then this one loses.
        return datastore.advanceCounter(name, step.getAsLong(), keep.isAfter(now) ? keep : now.plusSeconds(1), now);
    }

    /** What an authenticator app needs for a stored secret; {@code username} labels the account. */
    public AuthenticatorSetup authenticatorSetup(String storedSecret, String username) {
        Totp totp = secrets.decrypt(storedSecret);
        String name = username == null || username.isBlank() ? "Unknown" : username.replace(":", "");
        String uri = totp.uri(name, issuer == null || issuer.isEmpty() ? null : issuer.replace(":", ""));
        return new AuthenticatorSetup(totp.prettyKey(), totp.base32Key(), uri, issuer, name, QrCodeSvg.dataUri(uri));
    }

    /** One counter per key (not per stored text), so re-encrypting a secret keeps its history. */
    private static String counterName(Totp totp) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("gatehouse.totp-step:".getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha.digest(totp.key());
            return "totp:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

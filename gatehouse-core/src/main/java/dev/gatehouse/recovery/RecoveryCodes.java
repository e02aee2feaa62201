package dev.gatehouse.recovery;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordSettings;
import dev.gatehouse.web.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Multi-factor recovery codes ({@code SECURITY_MULTI_FACTOR_RECOVERY_CODES}): single-use codes
 * shaped like Flask-Security's ({@code xxxx-xxxx-xxxx}, 48 random bits) that stand in for the
 * second factor.
 *
 * <p>Gatehouse stores new codes hashed, each as a salted passlib {@code pbkdf2_sha256} hash, so a
 * copy of the database does not give them away (Flask-Security stores them in plaintext, or
 * Fernet-encrypted when {@code SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS} is set). Codes a
 * Flask-Security database holds in either of those forms keep working, once each. A hashed code
 * can only be shown right after it was made: {@code GET /mf-recovery-codes} lists the codes made
 * in the same session, plus any stored readably.
 */
public final class RecoveryCodes {
    private static final String HASH_PREFIX = "$pbkdf2-sha256$";

    private final Gatehouse gh;
    private final GatehouseConfig config;
    private final PasswordHasher hasher;
    private final Fernet fernet;

    /** The recovery codes of a Gatehouse instance (inactive unless configured). */
    public RecoveryCodes(Gatehouse gatehouse) {
        this.gh = gatehouse;
        this.config = gatehouse.config();
        // A dedicated hasher: the code itself (no pre-hash, no normalization), passlib's format.
        this.hasher = new PasswordHasher(new PasswordSettings("pbkdf2_sha256", List.of("pbkdf2_sha256"), List.of(), Set.of(),
                true, null, Map.of(), null), gatehouse.random());
        List<String> keys = config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES_KEYS);
        this.fernet = keys == null || keys.isEmpty() ? null : new Fernet(keys);
    }

    /** Whether recovery codes are on: configured, and some second factor exists to recover from. */
    public boolean enabled() {
        return config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES)
                && (config.get(ConfigKeys.TWO_FACTOR) || config.get(ConfigKeys.WEBAUTHN));
    }

    /** The endpoints {@code /mf-recovery-codes} and {@code /mf-recovery}. */
    public List<Route> routes() {
        return List.of(
                new Route(config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES_URL), Set.of("GET", "POST"), Route.Access.AUTHENTICATED,
                        Route.CsrfRule.CHECK, new RecoveryCodesEndpoint(this)),
                new Route(config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_URL), Set.of("GET", "POST"), Route.Access.ANONYMOUS,
                        Route.CsrfRule.CHECK, new RecoveryEndpoint(this)));
    }

    Gatehouse gatehouse() {
        return gh;
    }

    /** A fresh set of {@code SECURITY_MULTI_FACTOR_RECOVERY_CODES_N} codes; replaces the old set. */
    public Generated generate(User user) {
        int n = Math.max(1, config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES_N));
        List<String> codes = new ArrayList<>();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[6];
            gh.random().nextBytes(b);
            String hex = HexFormat.of().formatHex(b);
            String code = hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12);
            codes.add(code);
            stored.add(hasher.hash(code));
        }
        gh.datastore().mfSetRecoveryCodes(user, stored);
        return new Generated(codes, stored);
    }

    /**
     * New codes and their stored forms, in the same order.
     *
     * @param codes  what the user gets to see, once
     * @param stored what the datastore holds
     */
    public record Generated(List<String> codes, List<String> stored) {
    }

    /** The user's codes that are stored readably (a Flask-Security database's); hashed ones are not. */
    public List<String> readable(User user) {
        List<String> out = new ArrayList<>();
        for (String s : gh.datastore().mfGetRecoveryCodes(user)) {
            if (s.startsWith(HASH_PREFIX)) {
                continue;
            }
            if (fernet != null && Fernet.looksLikeToken(s)) {
                decrypt(s).ifPresent(out::add);
            } else if (!Fernet.looksLikeToken(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** How many unused codes the user has, in any stored form. */
    public int remaining(User user) {
        return gh.datastore().mfGetRecoveryCodes(user).size();
    }

    /**
     * Uses a code: true when it is one of the user's and this call used it up (of two concurrent
     * uses of one code only one succeeds).
     */
    public boolean use(User user, String code) {
        String given = normalize(code);
        if (given == null) {
            return false;
        }
        for (String stored : gh.datastore().mfGetRecoveryCodes(user)) {
            if (matches(stored, given)) {
                return gh.datastore().mfDeleteRecoveryCode(user, stored);
            }
        }
        return false;
    }

    private boolean matches(String stored, String given) {
        if (stored.startsWith(HASH_PREFIX)) {
            return hasher.verify(given, stored).valid();
        }
        if (Fernet.looksLikeToken(stored)) {
            return fernet != null && decrypt(stored).map(p -> equal(normalize(p), given)).orElse(false);
        }
        return equal(normalize(stored), given);
    }

    private Optional<String> decrypt(String token) {
        return fernet.decrypt(token, config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODE_TTL), Instant.now(gh.clock()));
    }

    /** Codes are compared in their canonical form: lower case, grouped by four with hyphens. */
    static String normalize(String code) {
        if (code == null) {
            return null;
        }
        String compact = code.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
        if (compact.length() != 12 || !compact.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            // Not our shape: compare as typed (an application may have stored other codes).
            String t = code.strip();
            return t.isEmpty() || t.length() > 128 ? null : t;
        }
        return compact.substring(0, 4) + "-" + compact.substring(4, 8) + "-" + compact.substring(8, 12);
    }

    private static boolean equal(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.gatehouse.unified;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.event.UnifiedSigninCodeSent;
import dev.gatehouse.web.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unified sign-in ({@code SECURITY_UNIFIED_SIGNIN}): an identity plus a passcode, which is the
 * password or a code of any method the user has set up ({@code email}, {@code authenticator},
 * {@code sms}), each method with its own secret in {@code us_totp_secrets} so the code tells which
 * method was used. Mailed codes come with a sign-in link ({@code /us-verify-link}). Methods listed
 * in {@code SECURITY_US_MFA_REQUIRED} go on to the second factor when two-factor applies.
 *
 * <p>As everywhere in Gatehouse, codes work once, and details of an account (disabled,
 * unconfirmed) are told only after the passcode was proven.
 */
public final class UnifiedSignin {
    private static final Logger LOG = LoggerFactory.getLogger(UnifiedSignin.class);
    private static final Set<String> CODE_SETUP_METHODS = Set.of("email", "authenticator", "sms");

    final Gatehouse gh;
    final GatehouseConfig config;

    /** The unified sign-in feature of a Gatehouse instance (inactive unless configured). */
    public UnifiedSignin(Gatehouse gatehouse) {
        this.gh = gatehouse;
        this.config = gatehouse.config();
    }

    /** Whether unified sign-in is on. */
    public boolean enabled() {
        return config.get(ConfigKeys.UNIFIED_SIGNIN);
    }

    /** Whether {@code /login} is unified sign-in too ({@code SECURITY_US_SIGNIN_REPLACES_LOGIN}). */
    public boolean replacesLogin() {
        return enabled() && config.get(ConfigKeys.US_SIGNIN_REPLACES_LOGIN);
    }

    /** The sign-in endpoint, for {@code /login} when it {@linkplain #replacesLogin replaces it}. */
    public dev.gatehouse.web.Endpoint signinEndpoint() {
        return new UsSigninEndpoint(this);
    }

    /** The endpoints. */
    public List<Route> routes() {
        List<Route> r = new ArrayList<>();
        Set<String> getPost = Set.of("GET", "POST");
        r.add(new Route(config.get(ConfigKeys.US_SIGNIN_URL), getPost, Route.Access.ANONYMOUS_POST, Route.CsrfRule.CHECK,
                new UsSigninEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.US_SIGNIN_SEND_CODE_URL), Set.of("POST"), Route.Access.ANONYMOUS,
                Route.CsrfRule.CHECK, new UsSendCodeEndpoint(this, false)));
        String setup = config.get(ConfigKeys.US_SETUP_URL);
        r.add(new Route(setup, getPost, Route.Access.AUTHENTICATED, Route.CsrfRule.CHECK, new UsSetupEndpoint(this)));
        r.add(new Route(setup + (setup.endsWith("/") ? "" : "/") + "{state}", Set.of("POST"), Route.Access.AUTHENTICATED,
                Route.CsrfRule.CHECK, new UsSetupStateEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.US_VERIFY_URL), getPost, Route.Access.AUTHENTICATED, Route.CsrfRule.CHECK,
                new UsVerifyEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.US_VERIFY_SEND_CODE_URL), Set.of("POST"), Route.Access.AUTHENTICATED,
                Route.CsrfRule.CHECK, new UsSendCodeEndpoint(this, true)));
        r.add(new Route(config.get(ConfigKeys.US_VERIFY_LINK_URL), Set.of("GET"), Route.Access.ANONYMOUS, Route.CsrfRule.NONE,
                new UsVerifyLinkEndpoint(this)));
        return r;
    }

    // ---------------------------------------------------------------- methods

    /** {@code SECURITY_US_ENABLED_METHODS}. */
    List<String> enabledMethods() {
        return config.get(ConfigKeys.US_ENABLED_METHODS);
    }

    /** Enabled methods that send a code ({@code email}, {@code sms}). */
    List<String> codeMethods() {
        return enabledMethods().stream().filter(m -> m.equals("email") || m.equals("sms")).toList();
    }

    /** Enabled methods that need setting up (all but the password). */
    List<String> setupMethods() {
        return enabledMethods().stream().filter(CODE_SETUP_METHODS::contains).toList();
    }

    /** The enabled methods the user can sign in with now. */
    List<String> activeMethods(User user) {
        Map<String, String> secrets = gh.datastore().usGetTotpSecrets(user);
        return enabledMethods().stream()
                .filter(m -> m.equals("password") ? user.hasPassword() : secrets.containsKey(m))
                .toList();
    }

    /** The user's active methods that send codes. */
    List<String> activeCodeMethods(User user) {
        return activeMethods(user).stream().filter(codeMethods()::contains).toList();
    }

    /** The ± window of every unified sign-in code ({@code SECURITY_US_TOKEN_VALIDITY}). */
    Duration window() {
        return Duration.ofSeconds(config.get(ConfigKeys.US_TOKEN_VALIDITY));
    }

    /** Wrong passcodes a user's codes withstand per code window; then only the password works for a while. */
    static final int MAX_WRONG_PASSCODES = 5;

    /**
     * The method a passcode proves for the user: the password, or an unused code of one of their
     * methods, tried in {@code SECURITY_US_ENABLED_METHODS} order. A sign-in has no pending state
     * to count guesses against, so wrong passcodes count against the user: after
     * {@value #MAX_WRONG_PASSCODES} within twice {@code SECURITY_US_TOKEN_VALIDITY} no code is
     * accepted until that time has passed (the password still is), which keeps guessing a
     * six-digit code hopeless.
     */
    Optional<String> verifyPasscode(User user, String passcode, Instant now) {
        Map<String, String> secrets = gh.datastore().usGetTotpSecrets(user);
        boolean codesOpen = !codesClosed(user, now);
        for (String method : enabledMethods()) {
            if (method.equals("password")) {
                if (user.hasPassword() && gh.credentials().verify(user, passcode)) {
                    return Optional.of("password");
                }
            } else if (codesOpen && verifyCode(secrets.get(method), passcode, now)) {
                return Optional.of(method);
            }
        }
        wrongPasscode(user, now);
        return Optional.empty();
    }

    /** Counts a wrong passcode (or sign-in link) against the user's codes. */
    void wrongPasscode(User user, Instant now) {
        gh.datastore().incrementCounter("us-wrong:" + user.fsUniquifier(), now.plus(window().multipliedBy(2)).plusSeconds(30), now);
    }

    /** An unused code of the secret (when there is one) within the unified sign-in window. */
    boolean verifyCode(String secret, String code, Instant now) {
        return secret != null && gh.oneTimeCodes().verify(secret, code, window(), now);
    }

    /** Whether the user's codes are closed for now because of too many wrong passcodes. */
    boolean codesClosed(User user, Instant now) {
        return gh.datastore().findCounter("us-wrong:" + user.fsUniquifier(), now).orElse(0) >= MAX_WRONG_PASSCODES;
    }

    /**
     * Sends a code of the user's method by mail (with a sign-in link when {@code magicLink}) or
     * SMS; false (logged) when it could not be sent.
     */
    boolean sendCode(dev.gatehouse.web.Exchange ex, User user, String method, String secret, String phone, boolean magicLink) {
        try {
            String code = gh.oneTimeCodes().codeToSend(secret, ex.now());
            if (method.equals("email")) {
                String link = magicLink ? gh.externalUrl(ex.request(), config.get(ConfigKeys.US_VERIFY_LINK_URL)
                        + "?id=" + URLEncoder.encode(user.fsUniquifier(), StandardCharsets.UTF_8) + "&code=" + code) : null;
                gh.codeMails().unifiedSigninCode(user, code, link, window());
            } else if (method.equals("sms")) {
                gh.smsSender().send(config.get(ConfigKeys.SMS_SERVICE_CONFIG).get("PHONE_NUMBER"), phone,
                        gh.messages().get("USE_CODE", Map.of("code", code)));
            } else {
                return true;
            }
            gh.events().publish(new UnifiedSigninCodeSent(user, method, code, method.equals("sms") ? phone : null,
                    magicLink && method.equals("email")));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not send a unified sign-in code by {} to user {}: {}", method, user.id(), e.toString());
            return false;
        }
    }
}

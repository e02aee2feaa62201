package dev.gatehouse.twofactor;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.event.SecondFactorAttemptsExhausted;
import dev.gatehouse.event.TwoFactorCodeSent;
import dev.gatehouse.event.UserAuthenticated;
import dev.gatehouse.token.TfValidityTokens;
import dev.gatehouse.token.TokenResult;
import dev.gatehouse.web.Cookie;
import dev.gatehouse.web.Envelope;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Flashes;
import dev.gatehouse.web.Form;
import dev.gatehouse.web.HttpResponse;
import dev.gatehouse.web.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-factor authentication ({@code SECURITY_TWO_FACTOR}) as Flask-Security does it, with codes
 * from an authenticator app, by mail or by SMS, and stricter where Flask-Security is weak: a code
 * works once, a pending sign-in dies after {@value #MAX_WRONG_CODES} wrong codes, and clients
 * without cookies can finish with {@code tf_signin_state}.
 *
 * <p>Sign-in paths call {@link #begin} once the first factor is proven and before logging the
 * user in; when it answers, that answer goes to the client instead of the login. The endpoints
 * ({@code /tf-setup}, {@code /tf-setup/<state>}, {@code /tf-validate}, {@code /tf-rescue},
 * {@code /tf-select}) finish the sign-in, or change a signed-in user's method.
 */
public final class TwoFactor {
    /** Wrong codes one pending sign-in may see; the next is refused and the client must start over. */
    public static final int MAX_WRONG_CODES = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TwoFactor.class);

    final Gatehouse gh;
    final GatehouseConfig config;
    final PendingSignIns pendings;
    private final TfValidityTokens validity;
    private final SecureRandom random;

    /** The two-factor feature of a Gatehouse instance (inactive unless {@code SECURITY_TWO_FACTOR}). */
    public TwoFactor(Gatehouse gatehouse) {
        this.gh = gatehouse;
        this.config = gatehouse.config();
        List<String> keys = config.secretKeys();
        this.pendings = new PendingSignIns(keys, config.get(ConfigKeys.TWO_FACTOR_SETUP_WITHIN), gatehouse.clock());
        this.validity = new TfValidityTokens(keys, config.get(ConfigKeys.TWO_FACTOR_VALIDITY_SALT),
                config.get(ConfigKeys.TWO_FACTOR_LOGIN_VALIDITY), gatehouse.clock());
        this.random = gatehouse.random();
    }

    /** Whether two-factor authentication is on. */
    public boolean enabled() {
        return config.get(ConfigKeys.TWO_FACTOR);
    }

    /** The endpoints, registered when two-factor is on. */
    public List<Route> routes() {
        String setup = config.get(ConfigKeys.TWO_FACTOR_SETUP_URL);
        List<Route> r = new ArrayList<>();
        r.add(new Route(setup, Set.of("GET", "POST"), Route.Access.ANYONE, Route.CsrfRule.CHECK, new TfSetupEndpoint(this)));
        r.add(new Route(setup + (setup.endsWith("/") ? "" : "/") + "{token}", Set.of("POST"), Route.Access.AUTHENTICATED,
                Route.CsrfRule.CHECK, new TfSetupStateEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL), Set.of("GET", "POST"), Route.Access.ANYONE,
                Route.CsrfRule.CHECK, new TfValidateEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.TWO_FACTOR_RESCUE_URL), Set.of("GET", "POST"), Route.Access.ANONYMOUS,
                Route.CsrfRule.CHECK, new TfRescueEndpoint(this)));
        r.add(new Route(config.get(ConfigKeys.TWO_FACTOR_SELECT_URL), Set.of("GET", "POST"), Route.Access.ANYONE,
                Route.CsrfRule.CHECK, new TfSelectEndpoint(this)));
        return r;
    }

    // ---------------------------------------------------------------- entering the second step

    /**
     * Starts the second step of a sign-in whose first factor ({@code via}: {@code password},
     * {@code email}, …) was just proven, when the user needs one: two-factor is required or set
     * up, and no valid {@code tf_validity} cookie lets this device skip it (only when
     * {@code SECURITY_TWO_FACTOR_ALWAYS_VALIDATE} is off). Then the pending sign-in is kept, a
     * code is sent for mail and SMS, and the answer tells the client what to do next; the user is
     * not logged in. Empty means: no second factor needed, log the user in.
     *
     * @param remember whether the user asked to be remembered (applied when the sign-in completes)
     * @param next     where an HTML client goes after signing in, as requested (checked here)
     */
    public Optional<HttpResponse> begin(Exchange ex, User user, boolean remember, String via, String next) {
        if (!wouldRequire(ex, user)) {
            return Optional.empty();
        }
        boolean setUp = isSetUp(user);
        String safeNext = next == null ? null : gh.redirects().safe(next, ex.request()).orElse(null);
        PendingSignIn p = new PendingSignIn(user.fsUniquifier(), setUp ? PendingSignIn.READY : PendingSignIn.SETUP_FROM_LOGIN,
                null, null, null, remember, via, safeNext, nonce(), ex.now(), false);
        pendings.save(ex, p);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tf_required", true);
        if (!setUp) {
            json.put("tf_state", PendingSignIn.SETUP_FROM_LOGIN);
            json.put(PendingSignIns.FIELD, pendings.token(p));
            return Optional.of(ex.wantsJson() ? gh.responses().ok(ex, null, false, json)
                    : HttpResponse.redirect(withNext(config.get(ConfigKeys.TWO_FACTOR_SETUP_URL), safeNext)));
        }
        String method = method(user);
        json.put("tf_state", PendingSignIn.READY);
        json.put("tf_primary_method", method);
        json.put("tf_method", method);
        json.put(PendingSignIns.FIELD, pendings.token(p));
        if ((method.equals("email") || method.equals("sms")) && !sendCode(ex, user, method, user.tfTotpSecret(),
                user.tfPhoneNumber())) {
            pendings.clear(ex);
            String msg = gh.messages().get("FAILED_TO_SEND_CODE");
            return Optional.of(ex.wantsJson() ? Envelope.errors(500, List.of(msg))
                    : HttpResponse.redirect(config.get(ConfigKeys.LOGIN_URL)));
        }
        return Optional.of(ex.wantsJson() ? gh.responses().ok(ex, null, false, json)
                : HttpResponse.redirect(withNext(config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL), safeNext)));
    }

    /**
     * Whether signing the user in on this request needs a second step: two-factor is on, and
     * required or set up for the user, and no {@code tf_validity} cookie of theirs lets this
     * device skip it (which needs {@code SECURITY_TWO_FACTOR_ALWAYS_VALIDATE} off).
     */
    public boolean wouldRequire(Exchange ex, User user) {
        if (!enabled() || !(config.get(ConfigKeys.TWO_FACTOR_REQUIRED) || isSetUp(user))) {
            return false;
        }
        return config.get(ConfigKeys.TWO_FACTOR_ALWAYS_VALIDATE) || !validityCookieFor(ex, user);
    }

    private boolean validityCookieFor(Exchange ex, User user) {
        Optional<String> cookie = ex.request().cookie(config.get(ConfigKeys.TWO_FACTOR_VALIDITY_COOKIE_NAME));
        if (cookie.isEmpty()) {
            return false;
        }
        TokenResult<String> r = validity.check(cookie.get());
        return r instanceof TokenResult.Valid<String> v && v.payload().equals(user.fsUniquifier());
    }

    // ---------------------------------------------------------------- continuing a pending sign-in

    /**
     * A pending sign-in being continued, with its user as stored now.
     *
     * @param signIn the pending sign-in
     * @param user   its user (active)
     */
    public record Continuation(PendingSignIn signIn, User user) {
    }

    /**
     * The pending sign-in this request continues, when there is one in one of {@code states}
     * whose user is still active; from the session or the body's {@code tf_signin_state}.
     */
    public Optional<Continuation> continuation(Exchange ex, Form form, Set<String> states) {
        return pendings.load(ex, form)
                .filter(p -> !p.changing() && states.contains(p.state()))
                .flatMap(p -> gh.datastore().findUserByUniquifier(p.uid()).filter(User::active)
                        .map(u -> new Continuation(p, u)));
    }

    /**
     * Flask-Security's answer when a two-factor endpoint is called outside its step
     * ({@code TWO_FACTOR_PERMISSION_DENIED}): JSON 400 with a form-level error; HTML goes to
     * {@code SECURITY_TWO_FACTOR_ERROR_VIEW}. Any pending state is dropped.
     */
    public HttpResponse denied(Exchange ex) {
        pendings.clear(ex);
        String msg = gh.messages().get("TWO_FACTOR_PERMISSION_DENIED");
        if (ex.wantsJson()) {
            return Envelope.errors(400, new FieldErrors().add("", msg));
        }
        Flashes.add(ex, "error", msg);
        return HttpResponse.redirect(viewUrl(config.get(ConfigKeys.TWO_FACTOR_ERROR_VIEW)));
    }

    /** Whether the pending sign-in has used up its wrong codes. */
    public boolean exhausted(Exchange ex, PendingSignIn p) {
        return gh.datastore().findCounter(wrongCodesCounter(p), ex.now()).orElse(0) >= MAX_WRONG_CODES;
    }

    /** The answer once a pending sign-in is void: 400 with {@code TWO_FACTOR_TOO_MANY_ATTEMPTS}. */
    public HttpResponse voided(Exchange ex, Function<FieldErrors, HttpResponse> page) {
        pendings.clear(ex);
        FieldErrors errors = new FieldErrors().add("", gh.messages().get("TWO_FACTOR_TOO_MANY_ATTEMPTS"));
        return ex.wantsJson() ? Envelope.errors(400, errors) : page.apply(errors);
    }

    /**
     * Counts a wrong code against the pending sign-in and answers with {@code errors}; the last
     * allowed wrong code also voids the sign-in, and the answer says so.
     *
     * @param page the HTML answer for errors (JSON clients get the error envelope)
     */
    public HttpResponse wrongCode(Exchange ex, Continuation c, FieldErrors errors, Function<FieldErrors, HttpResponse> page) {
        long wrong = gh.datastore().incrementCounter(wrongCodesCounter(c.signIn()), pendings.expiry(c.signIn()), ex.now());
        if (wrong >= MAX_WRONG_CODES) {
            pendings.clear(ex);
            gh.events().publish(new SecondFactorAttemptsExhausted(c.user()));
            errors.add("", gh.messages().get("TWO_FACTOR_TOO_MANY_ATTEMPTS"));
        }
        return ex.wantsJson() ? Envelope.errors(400, errors) : page.apply(errors);
    }

    private static String wrongCodesCounter(PendingSignIn p) {
        return "tf-wrong:" + p.nonce();
    }

    /**
     * Completes a pending sign-in whose second factor ({@code method}) was just proven: logs the
     * user in (with remember-me as asked at the first step), sets the {@code tf_validity} cookie
     * when {@code offerValidity} and the configuration allow, and answers as a successful login
     * (JSON: the user and, when asked, the auth token; HTML: a redirect).
     */
    public HttpResponse complete(Exchange ex, Continuation c, String method, boolean offerValidity, boolean offerToken) {
        PendingSignIn p = c.signIn();
        // Used up: a copy of the pending state (an old session cookie, the token) is void from now on.
        gh.datastore().advanceCounter(wrongCodesCounter(p), MAX_WRONG_CODES, pendings.expiry(p), ex.now());
        User loggedIn = ex.login(c.user(), p.remember());
        List<String> via = new ArrayList<>();
        if (p.via() != null) {
            via.add(p.via());
        }
        via.add(method);
        gh.events().publish(new UserAuthenticated(loggedIn, via));
        gh.csrf().cookie(ex).ifPresent(ex::addCookie);
        if (offerValidity && p.remember() && !config.get(ConfigKeys.TWO_FACTOR_ALWAYS_VALIDATE)) {
            Map<String, String> attrs = config.get(ConfigKeys.TWO_FACTOR_VALIDITY_COOKIE);
            ex.addCookie(new Cookie(config.get(ConfigKeys.TWO_FACTOR_VALIDITY_COOKIE_NAME), validity.generate(loggedIn.fsUniquifier()),
                    config.get(ConfigKeys.TWO_FACTOR_LOGIN_VALIDITY), truthy(attrs.get("httponly")), truthy(attrs.get("secure")),
                    sameSite(attrs.get("samesite"))));
        }
        if (ex.wantsJson()) {
            return gh.responses().ok(ex, loggedIn, offerToken && gh.responses().tokenRequested(ex), Map.of());
        }
        Flashes.add(ex, "success", gh.messages().get("TWO_FACTOR_LOGIN_SUCCESSFUL"));
        return HttpResponse.redirect(p.next() != null ? p.next() : config.get(ConfigKeys.POST_LOGIN_VIEW));
    }

    /**
     * What a user who cannot produce a code may do ({@code recovery_options}): ask for help,
     * have the code mailed (unless {@code SECURITY_TWO_FACTOR_RESCUE_EMAIL} is off), or use a
     * recovery code when they have some.
     */
    public Map<String, String> recoveryOptions(User user) {
        Map<String, String> options = new LinkedHashMap<>();
        String rescue = config.get(ConfigKeys.TWO_FACTOR_RESCUE_URL);
        options.put("help", rescue);
        if (config.get(ConfigKeys.TWO_FACTOR_RESCUE_EMAIL)) {
            options.put("email", rescue);
        }
        if (config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES) && !gh.datastore().mfGetRecoveryCodes(user).isEmpty()) {
            options.put("recovery_code", config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_URL));
        }
        return options;
    }

    // ---------------------------------------------------------------- methods and codes

    /** Whether the user has a second factor set up (a method and its secret). */
    public boolean isSetUp(User user) {
        return user.tfPrimaryMethod() != null && user.tfTotpSecret() != null;
    }

    /** The user's method under its current name ({@code mail} is {@code email}), or null. */
    public String method(User user) {
        return canonical(user.tfPrimaryMethod());
    }

    /** Method names as stored by older Flask-Security versions, mapped to today's. */
    static String canonical(String method) {
        if (method == null) {
            return null;
        }
        return switch (method) {
            case "mail" -> "email";
            case "google_authenticator" -> "authenticator";
            default -> method;
        };
    }

    /** The ± window within which a method's codes are accepted. */
    Duration window(String method) {
        return Duration.ofSeconds(switch (canonical(method)) {
            case "email" -> config.get(ConfigKeys.TWO_FACTOR_MAIL_VALIDITY);
            case "sms" -> config.get(ConfigKeys.TWO_FACTOR_SMS_VALIDITY);
            default -> config.get(ConfigKeys.TWO_FACTOR_AUTHENTICATOR_VALIDITY);
        });
    }

    /** Whether {@code code} is a current, unused code of the secret for that method's window. */
    boolean verify(Exchange ex, String method, String secret, String code) {
        return gh.oneTimeCodes().verify(secret, code, window(method), ex.now());
    }

    /** Sends the secret's current code by mail or SMS; false (logged) when it could not be sent. */
    boolean sendCode(Exchange ex, User user, String method, String secret, String phone) {
        String m = canonical(method);
        if (!m.equals("email") && !m.equals("sms")) {
            return true;
        }
        try {
            String code = gh.oneTimeCodes().codeToSend(secret, ex.now());
            if (m.equals("email")) {
                gh.codeMails().twoFactorCode(user, code, window(m));
            } else {
                gh.smsSender().send(config.get(ConfigKeys.SMS_SERVICE_CONFIG).get("PHONE_NUMBER"), phone,
                        gh.messages().get("USE_CODE", Map.of("code", code)));
            }
            gh.events().publish(new TwoFactorCodeSent(user, m, code, m.equals("sms") ? phone : null));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not send a two-factor code by {} to user {}: {}", m, user.id(), e.toString());
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    String nonce() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * A configured view as a URL: Flask-Security names some views by endpoint ({@code .login},
     * {@code .two_factor_setup}, {@code .us_setup}); those map to their paths here.
     */
    public String viewUrl(String view) {
        if (view == null || view.isBlank()) {
            return config.get(ConfigKeys.POST_LOGIN_VIEW);
        }
        if (!view.startsWith(".")) {
            return view;
        }
        return switch (view) {
            case ".login" -> config.get(ConfigKeys.LOGIN_URL);
            case ".two_factor_setup" -> config.get(ConfigKeys.TWO_FACTOR_SETUP_URL);
            case ".two_factor_token_validation" -> config.get(ConfigKeys.TWO_FACTOR_TOKEN_VALIDATION_URL);
            case ".us_setup" -> config.get(ConfigKeys.US_SETUP_URL);
            case ".us_signin" -> config.get(ConfigKeys.US_SIGNIN_URL);
            default -> config.get(ConfigKeys.POST_LOGIN_VIEW);
        };
    }

    static String withNext(String url, String next) {
        return next == null ? url : url + (url.contains("?") ? "&" : "?") + "next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    }

    private static boolean truthy(String v) {
        return v != null && v.equalsIgnoreCase("true");
    }

    private static String sameSite(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return Character.toUpperCase(v.charAt(0)) + v.substring(1).toLowerCase(Locale.ROOT);
    }
}

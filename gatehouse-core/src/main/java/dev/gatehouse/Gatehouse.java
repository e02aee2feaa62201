package dev.gatehouse;

import dev.gatehouse.account.User;
import dev.gatehouse.change.PasswordChangeEndpoint;
import dev.gatehouse.changeemail.EmailChanges;
import dev.gatehouse.confirm.Confirmations;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.event.Events;
import dev.gatehouse.event.GatehouseEvent;
import dev.gatehouse.i18n.Messages;
import dev.gatehouse.login.Credentials;
import dev.gatehouse.login.LoginEndpoint;
import dev.gatehouse.login.VerifyEndpoint;
import dev.gatehouse.logout.LogoutEndpoint;
import dev.gatehouse.mail.LogMailer;
import dev.gatehouse.mail.Mailer;
import dev.gatehouse.mail.Mails;
import dev.gatehouse.mail.SmtpMailer;
import dev.gatehouse.password.BreachedPasswords;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordRules;
import dev.gatehouse.password.PasswordSettings;
import dev.gatehouse.recover.PasswordResets;
import dev.gatehouse.recovery.RecoveryCodes;
import dev.gatehouse.register.RegisterEndpoint;
import dev.gatehouse.register.RegistrationHook;
import dev.gatehouse.session.SessionCodec;
import dev.gatehouse.sms.PhoneNumbers;
import dev.gatehouse.sms.SmsSender;
import dev.gatehouse.sms.SmsSenders;
import dev.gatehouse.token.AuthTokens;
import dev.gatehouse.token.RememberCookie;
import dev.gatehouse.token.TimedSerializer;
import dev.gatehouse.totp.OneTimeCodes;
import dev.gatehouse.totp.TotpSecrets;
import dev.gatehouse.twofactor.CodeMails;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.unified.UnifiedSignin;
import dev.gatehouse.username.ChangeUsernameEndpoint;
import dev.gatehouse.username.RecoverUsernameEndpoint;
import dev.gatehouse.web.Authentication;
import dev.gatehouse.web.Csrf;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.FormFields;
import dev.gatehouse.web.Freshness;
import dev.gatehouse.web.Guards;
import dev.gatehouse.web.HttpRequest;
import dev.gatehouse.web.HttpResponse;
import dev.gatehouse.web.Pages;
import dev.gatehouse.web.Redirects;
import dev.gatehouse.web.Responses;
import dev.gatehouse.web.Route;
import dev.gatehouse.web.Router;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The entry point, like Flask-Security's {@code Security}: one instance per application, built
 * from a {@link GatehouseConfig} and a {@link UserDatastore}. Thread-safe and immutable once built.
 * Web adapters call {@link #exchange}, then {@link #serve} for Gatehouse's own endpoints, and
 * {@link Exchange#responseHeaders()} on every response.
 */
public final class Gatehouse {
    private static final String SESSION_COOKIE = "session";
    private static final String REMEMBER_COOKIE = "remember_token";

    private final GatehouseConfig config;
    private final UserDatastore datastore;
    private final Clock clock;
    private final SecureRandom random;
    private final Messages messages;
    private final PasswordHasher passwords;
    private final PasswordRules passwordRules;
    private final Credentials credentials;
    private final AuthTokens authTokens;
    private final RememberCookie rememberCookies;
    private final SessionCodec sessionCodec;
    private final Csrf csrf;
    private final Guards guards;
    private final Freshness freshness;
    private final Redirects redirects;
    private final Pages pages;
    private final FormFields formFields;
    private final Mails mails;
    private final Confirmations confirmations;
    private final PasswordResets passwordResets;
    private final EmailChanges emailChanges;
    private final RegistrationHook registrationHook;
    private final String externalBaseUrl;
    private final Responses responses;
    private final Events events;
    private final String cacheControl;
    private final OneTimeCodes oneTimeCodes;
    private final SmsSender smsSender;
    private final PhoneNumbers phoneNumbers;
    private final CodeMails codeMails;
    private final TwoFactor twoFactor;
    private final RecoveryCodes recoveryCodes;
    private final UnifiedSignin unifiedSignin;
    private final Router router;

    private Gatehouse(Builder b) {
        this.config = b.config;
        this.datastore = b.datastore;
        this.clock = b.clock;
        this.random = b.random;
        this.messages = Messages.forLocale(b.locale);
        this.passwords = new PasswordHasher(passwordSettings(config));
        this.passwordRules = new PasswordRules(config, messages, b.breachedPasswords, b.locale);
        this.credentials = new Credentials(config, datastore, passwords, messages);
        List<String> keys = config.secretKeys();
        Duration maxAge = config.get(ConfigKeys.TOKEN_MAX_AGE);
        this.authTokens = new AuthTokens(keys, config.get(ConfigKeys.REMEMBER_SALT), maxAge, clock);
        this.rememberCookies = new RememberCookie(keys);
        // Flask's PERMANENT_SESSION_LIFETIME (31 days) as the absolute lifetime of a session.
        this.sessionCodec = new SessionCodec(keys, Duration.ofDays(31), random);
        this.csrf = new Csrf(config, new TimedSerializer(keys, "wtf-csrf-token", clock), random);
        this.guards = new Guards(config, messages);
        this.freshness = new Freshness(config);
        this.redirects = new Redirects(config);
        this.pages = new Pages(b.templatesDirectory, messages);
        this.formFields = new FormFields(messages);
        this.mails = new Mails(config, pages, b.mailer != null ? b.mailer : defaultMailer(config));
        this.registrationHook = b.registrationHook;
        this.externalBaseUrl = b.externalBaseUrl;
        this.responses = new Responses(this, b.userPayload);
        this.events = new Events(b.listeners);
        this.confirmations = new Confirmations(this);
        this.passwordResets = new PasswordResets(this);
        this.emailChanges = new EmailChanges(this);
        this.cacheControl = cacheControl(config.get(ConfigKeys.CACHE_CONTROL));
        Map<String, String> totpSecrets = config.get(ConfigKeys.TOTP_SECRETS);
        this.oneTimeCodes = totpSecrets == null || totpSecrets.isEmpty() ? null
                : new OneTimeCodes(new TotpSecrets(totpSecrets, random), datastore, config.get(ConfigKeys.TOTP_ISSUER));
        this.smsSender = b.smsSender != null ? b.smsSender : SmsSenders.fromConfig(config);
        this.phoneNumbers = new PhoneNumbers(config.get(ConfigKeys.PHONE_REGION_DEFAULT));
        this.codeMails = new CodeMails(config, mails, credentials);
        this.twoFactor = new TwoFactor(this);
        this.recoveryCodes = new RecoveryCodes(this);
        this.unifiedSignin = new UnifiedSignin(this);
        List<Route> routes = new ArrayList<>(coreRoutes());
        for (Function<Gatehouse, List<Route>> extra : b.routeProviders) {
            routes.addAll(extra.apply(this));
        }
        this.router = new Router(routes);
    }

    /** A builder over a configuration and a datastore. */
    public static Builder builder(GatehouseConfig config, UserDatastore datastore) {
        return new Builder(config, datastore);
    }

    // ---------------------------------------------------------------- request handling

    /** Starts handling a request. */
    public Exchange exchange(HttpRequest request) {
        return new Exchange(this, request);
    }

    /** Serves Gatehouse's own endpoints; empty when the request is for the application. */
    public Optional<HttpResponse> serve(Exchange ex) {
        return router.serve(ex);
    }

    // ---------------------------------------------------------------- services

    /** The configuration. */
    public GatehouseConfig config() {
        return config;
    }

    /** The datastore. */
    public UserDatastore datastore() {
        return datastore;
    }

    /** The clock every time check uses. */
    public Clock clock() {
        return clock;
    }

    /** The source of randomness. */
    public SecureRandom random() {
        return random;
    }

    /** The messages. */
    public Messages messages() {
        return messages;
    }

    /** Password hashing as configured. */
    public PasswordHasher passwords() {
        return passwords;
    }

    /** The rules a new password must meet (register, reset, change). */
    public PasswordRules passwordRules() {
        return passwordRules;
    }

    /** The field checks shared by the forms. */
    public FormFields formFields() {
        return formFields;
    }

    /** The account mails and the mailer behind them. */
    public Mails mails() {
        return mails;
    }

    /** Email confirmation: links, their checks, the confirmation itself. */
    public Confirmations confirmations() {
        return confirmations;
    }

    /** Password reset: links, their checks, the reset itself. */
    public PasswordResets passwordResets() {
        return passwordResets;
    }

    /** Change of email: links to the new address, their checks, the change itself. */
    public EmailChanges emailChanges() {
        return emailChanges;
    }

    /** What the application adds to registration (its own fields). */
    public RegistrationHook registrationHook() {
        return registrationHook;
    }

    /**
     * The absolute URL of a path of this application, for links in mails: below the configured
     * external base URL when there is one (recommended behind proxies, and it keeps a forged
     * {@code Host} header out of mailed links), else below the URL the request came to.
     */
    public String externalUrl(HttpRequest request, String path) {
        String base = externalBaseUrl != null ? externalBaseUrl : request.baseUrl();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    /** Identity lookup and password checks. */
    public Credentials credentials() {
        return credentials;
    }

    /** The CSRF checker. */
    public Csrf csrf() {
        return csrf;
    }

    /** The refusal answers (401/403/…). */
    public Guards guards() {
        return guards;
    }

    /** The freshness rule of credential-changing endpoints. */
    public Freshness freshness() {
        return freshness;
    }

    /** The {@code next} validator. */
    public Redirects redirects() {
        return redirects;
    }

    /** The HTML pages. */
    public Pages pages() {
        return pages;
    }

    /** The JSON success bodies. */
    public Responses responses() {
        return responses;
    }

    /** The event dispatcher. */
    public Events events() {
        return events;
    }

    /** Two-factor authentication: the hook sign-in paths call, and its endpoints. */
    public TwoFactor twoFactor() {
        return twoFactor;
    }

    /** Unified sign-in. */
    public UnifiedSignin unifiedSignin() {
        return unifiedSignin;
    }

    /** Multi-factor recovery codes. */
    public RecoveryCodes recoveryCodes() {
        return recoveryCodes;
    }

    /**
     * The one-time codes of two-factor and unified sign-in (secrets per {@code SECURITY_TOTP_SECRETS}).
     *
     * @throws IllegalStateException when {@code SECURITY_TOTP_SECRETS} is not configured
     */
    public OneTimeCodes oneTimeCodes() {
        if (oneTimeCodes == null) {
            throw new IllegalStateException("SECURITY_TOTP_SECRETS is not configured");
        }
        return oneTimeCodes;
    }

    /** Where text messages go ({@code SECURITY_SMS_SERVICE}, or the one given to the builder). */
    public SmsSender smsSender() {
        return smsSender;
    }

    /** Phone number checks ({@code SECURITY_PHONE_REGION_DEFAULT}). */
    public PhoneNumbers phoneNumbers() {
        return phoneNumbers;
    }

    /** The mails of multi-factor sign-in. */
    public CodeMails codeMails() {
        return codeMails;
    }

    /** The routing table. */
    public Router router() {
        return router;
    }

    /** The session cookie codec. */
    public SessionCodec sessionCodec() {
        return sessionCodec;
    }

    /** Name of the session cookie. */
    public String sessionCookieName() {
        return SESSION_COOKIE;
    }

    /** Name of the remember-me cookie (Flask-Login's). */
    public String rememberCookieName() {
        return REMEMBER_COOKIE;
    }

    /** The {@code Cache-Control} value for every response, or null when none is configured. */
    public String cacheControl() {
        return cacheControl;
    }

    /** An auth token for the user, carrying the time of their primary authentication. */
    public String issueAuthToken(User user, Instant primaryAuthAt) {
        return authTokens.issue(user.fsUniquifier(), primaryAuthAt);
    }

    /** The authentication an auth token proves: signed by us, not expired, for an active user. */
    public Optional<Authentication> verifyAuthToken(String token) {
        return authTokens.verify(token)
                .flatMap(t -> datastore.findUserByUniquifier(t.uid()).filter(User::active)
                        .map(u -> new Authentication(u, "token", t.primaryAuthAt())));
    }

    /** The remember-me cookie value for a user. */
    public String rememberCookieValue(User user) {
        return rememberCookies.create(user.fsUniquifier());
    }

    /** The uniquifier a remember-me cookie names, if the cookie is genuine. */
    public Optional<String> verifyRememberCookie(String value) {
        return rememberCookies.verify(value);
    }

    /** Whether the user must confirm their email before logging in. */
    public boolean requiresConfirmation(User user) {
        return credentials.requiresConfirmation(user);
    }

    // ---------------------------------------------------------------- wiring

    private List<Route> coreRoutes() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route(config.get(ConfigKeys.LOGIN_URL), Set.of("GET", "POST"), Route.Access.ANONYMOUS_POST,
                Route.CsrfRule.CHECK, unifiedSignin.replacesLogin() ? unifiedSignin.signinEndpoint() : new LoginEndpoint(this)));
        List<String> logoutMethods = config.get(ConfigKeys.LOGOUT_METHODS);
        if (logoutMethods != null && !logoutMethods.isEmpty()) {
            Set<String> m = logoutMethods.stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            routes.add(new Route(config.get(ConfigKeys.LOGOUT_URL), m, Route.Access.ANYONE, Route.CsrfRule.LOGOUT,
                    new LogoutEndpoint(this)));
        }
        if (!config.get(ConfigKeys.FRESHNESS).isNegative()) {
            routes.add(new Route(config.get(ConfigKeys.VERIFY_URL), Set.of("GET", "POST"), Route.Access.AUTHENTICATED,
                    Route.CsrfRule.CHECK, new VerifyEndpoint(this)));
        }
        if (config.get(ConfigKeys.REGISTERABLE)) {
            routes.add(new Route(config.get(ConfigKeys.REGISTER_URL), Set.of("GET", "POST"), Route.Access.ANONYMOUS,
                    Route.CsrfRule.CHECK, new RegisterEndpoint(this)));
        }
        if (config.get(ConfigKeys.CONFIRMABLE)) {
            routes.addAll(confirmations.routes());
        }
        if (config.get(ConfigKeys.RECOVERABLE)) {
            routes.addAll(passwordResets.routes());
        }
        if (config.get(ConfigKeys.CHANGEABLE)) {
            routes.add(new Route(config.get(ConfigKeys.CHANGE_URL), Set.of("GET", "POST"), Route.Access.AUTHENTICATED,
                    Route.CsrfRule.CHECK, new PasswordChangeEndpoint(this)));
        }
        if (config.get(ConfigKeys.CHANGE_EMAIL)) {
            routes.addAll(emailChanges.routes());
        }
        if (config.get(ConfigKeys.CHANGE_USERNAME)) {
            routes.add(new Route(config.get(ConfigKeys.CHANGE_USERNAME_URL), Set.of("GET", "POST"), Route.Access.AUTHENTICATED,
                    Route.CsrfRule.CHECK, new ChangeUsernameEndpoint(this)));
        }
        if (config.get(ConfigKeys.USERNAME_RECOVERY)) {
            routes.add(new Route(config.get(ConfigKeys.USERNAME_RECOVERY_URL), Set.of("GET", "POST"), Route.Access.ANONYMOUS,
                    Route.CsrfRule.CHECK, new RecoverUsernameEndpoint(this)));
        }
        if (twoFactor.enabled()) {
            routes.addAll(twoFactor.routes());
        }
        if (recoveryCodes.enabled()) {
            routes.addAll(recoveryCodes.routes());
        }
        if (unifiedSignin.enabled()) {
            routes.addAll(unifiedSignin.routes());
        }
        return routes;
    }

    private static Mailer defaultMailer(GatehouseConfig c) {
        String server = c.get(ConfigKeys.MAIL_SERVER);
        return server == null || server.isBlank() ? new LogMailer() : SmtpMailer.fromConfig(c);
    }

    private static PasswordSettings passwordSettings(GatehouseConfig c) {
        List<String> single = c.get(ConfigKeys.PASSWORD_SINGLE_HASH);
        boolean all = single.contains("*");
        return new PasswordSettings(c.get(ConfigKeys.PASSWORD_HASH), c.get(ConfigKeys.PASSWORD_SCHEMES),
                c.get(ConfigKeys.DEPRECATED_PASSWORD_SCHEMES), all ? Set.of() : new HashSet<>(single), all,
                c.get(ConfigKeys.PASSWORD_SALT), c.get(ConfigKeys.PASSWORD_HASH_PASSLIB_OPTIONS),
                c.get(ConfigKeys.PASSWORD_NORMALIZE_FORM));
    }

    private static String cacheControl(Map<String, String> directives) {
        if (directives == null || directives.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        directives.forEach((k, v) -> {
            if (v == null || v.equalsIgnoreCase("true")) {
                parts.add(k);
            } else if (!v.equalsIgnoreCase("false")) {
                parts.add(k + "=" + v);
            }
        });
        // Flask's Cache-Control header lists directives in a stable order; sort for the same result.
        parts.sort(null);
        return String.join(", ", parts);
    }

    /** Builds a {@link Gatehouse}. */
    public static final class Builder {
        private final GatehouseConfig config;
        private final UserDatastore datastore;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private Locale locale = Locale.ROOT;
        private Path templatesDirectory;
        private Function<User, Map<String, Object>> userPayload = u -> Map.of();
        private Mailer mailer;
        private RegistrationHook registrationHook = RegistrationHook.NONE;
        private String externalBaseUrl;
        private BreachedPasswords breachedPasswords;
        private final List<Events.Listener<?>> listeners = new ArrayList<>();
        private final List<Function<Gatehouse, List<Route>>> routeProviders = new ArrayList<>();
        private SmsSender smsSender;

        private Builder(GatehouseConfig config, UserDatastore datastore) {
            this.config = Objects.requireNonNull(config, "config");
            this.datastore = Objects.requireNonNull(datastore, "datastore");
        }

        /** The clock (tests move time with it). */
        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        /** The source of randomness. */
        public Builder random(SecureRandom r) {
            random = Objects.requireNonNull(r);
            return this;
        }

        /** The language of messages. */
        public Builder locale(Locale l) {
            locale = Objects.requireNonNull(l);
            return this;
        }

        /** A folder of templates that override the built-in pages by name. */
        public Builder templatesDirectory(Path dir) {
            templatesDirectory = dir;
            return this;
        }

        /** What {@code response.user} holds (Flask-Security's {@code get_security_payload}); empty by default. */
        public Builder userPayload(Function<User, Map<String, Object>> payload) {
            userPayload = Objects.requireNonNull(payload);
            return this;
        }

        /**
         * Where mails go. By default an {@link SmtpMailer} for the {@code MAIL_*} settings when
         * {@code MAIL_SERVER} is set, else a {@link LogMailer} (development).
         */
        public Builder mailer(Mailer m) {
            mailer = Objects.requireNonNull(m);
            return this;
        }

        /** What the application adds to registration: checks of its own fields, and storing them. */
        public Builder registrationHook(RegistrationHook hook) {
            registrationHook = Objects.requireNonNull(hook);
            return this;
        }

        /**
         * The public base URL of the application ({@code https://example.com/app}) for the links in
         * mails; by default the URL each request came to.
         */
        public Builder externalBaseUrl(String url) {
            externalBaseUrl = url;
            return this;
        }

        /**
         * Where the breached-password check ({@code SECURITY_PASSWORD_CHECK_BREACHED}) looks
         * passwords up; by default the range API at {@code GATEHOUSE_PASSWORD_BREACHED_URL}, or the
         * list in {@code GATEHOUSE_PASSWORD_BREACHED_FILE}.
         */
        public Builder breachedPasswords(BreachedPasswords source) {
            breachedPasswords = Objects.requireNonNull(source);
            return this;
        }

        /** Registers a listener for events of a type. */
        public <T extends GatehouseEvent> Builder on(Class<T> type, Consumer<? super T> listener) {
            listeners.add(new Events.Listener<>(type, listener));
            return this;
        }

        /** Where text messages go; by default the sender {@code SECURITY_SMS_SERVICE} names. */
        public Builder smsSender(SmsSender sender) {
            smsSender = Objects.requireNonNull(sender);
            return this;
        }

        /** Adds endpoints (features add theirs this way). */
        public Builder routes(Function<Gatehouse, List<Route>> provider) {
            routeProviders.add(provider);
            return this;
        }

        /** Builds the instance. */
        public Gatehouse build() {
            return new Gatehouse(this);
        }
    }
}

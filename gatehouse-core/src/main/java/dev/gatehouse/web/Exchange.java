package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.session.SessionData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as Gatehouse handles it: the request, its session, who it is authenticated as, its
 * parsed form, and the cookies the response must carry. Created by {@link Gatehouse#exchange};
 * not thread-safe (one request, one thread).
 */
public final class Exchange {
    /** Request attribute under which adapters keep the exchange for application code. */
    public static final String ATTRIBUTE = Exchange.class.getName();
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Gatehouse gatehouse;
    private final HttpRequest request;
    private final Instant now;

    private SessionData session;
    private boolean sessionLoaded;
    private boolean sessionChanged;
    private boolean sessionCleared;

    private Form form;
    private final Map<String, Optional<Authentication>> authByMethod = new LinkedHashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();

    /** Used by {@link Gatehouse#exchange}. */
    public Exchange(Gatehouse gatehouse, HttpRequest request) {
        this.gatehouse = gatehouse;
        this.request = request;
        this.now = gatehouse.clock().instant();
    }

    /** The Gatehouse instance serving this request. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The request. */
    public HttpRequest request() {
        return request;
    }

    /** The time this request is handled at (one instant for the whole request). */
    public Instant now() {
        return now;
    }

    /**
     * Whether the client gets JSON: a JSON content type ({@code application/json} or
     * {@code application/*+json}), or an {@code Accept} header whose best match is
     * {@code application/json}.
     */
    public boolean wantsJson() {
        return Negotiation.wantsJson(request);
    }

    // ---------------------------------------------------------------- session

    /** The session (an empty anonymous one when the client has none). */
    public SessionData session() {
        if (!sessionLoaded) {
            sessionLoaded = true;
            session = request.cookie(gatehouse.sessionCookieName())
                    .flatMap(v -> gatehouse.sessionCodec().decode(v, now))
                    .orElse(null);
        }
        return session != null ? session : SessionData.anonymous(now);
    }

    /** Whether the client sent a valid session cookie. */
    public boolean hasSession() {
        session();
        return session != null;
    }

    /** Replaces the session; the response writes the new cookie. */
    public void setSession(SessionData s) {
        sessionLoaded = true;
        session = s;
        sessionChanged = true;
        sessionCleared = false;
    }

    /** Ends the session: the response deletes the cookie. */
    public void clearSession() {
        sessionLoaded = true;
        session = null;
        sessionChanged = false;
        sessionCleared = true;
        authByMethod.remove("session");
    }

    // ---------------------------------------------------------------- form

    /**
     * The submitted fields: JSON when the content type is JSON and the body is not empty,
     * urlencoded otherwise.
     *
     * @throws BadRequestException with a client-safe reason when the body cannot be read
     */
    public Form form() throws BadRequestException {
        if (form == null) {
            byte[] body;
            try {
                body = request.body(MAX_BODY_BYTES);
            } catch (HttpRequest.BodyTooLargeException e) {
                throw new BadRequestException(413, "BODY_TOO_LARGE");
            }
            try {
                form = Negotiation.isJsonContent(request) ? Form.fromJson(body) : Form.fromUrlEncoded(body);
            } catch (Form.MalformedBodyException e) {
                throw new BadRequestException(400, "MALFORMED_BODY");
            }
        }
        return form;
    }

    // ---------------------------------------------------------------- authentication

    /**
     * Authenticates the request by the first of {@code methods} ({@code session}, {@code token},
     * {@code basic}) that succeeds. Only active users authenticate.
     */
    public Optional<Authentication> authenticate(List<String> methods) {
        for (String m : methods) {
            Optional<Authentication> a = authByMethod.computeIfAbsent(m, this::authenticateBy);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    /** The authentication of the request by {@code SECURITY_API_ENABLED_METHODS} (no HTTP Basic unless listed). */
    public Optional<Authentication> currentAuthentication() {
        return authenticate(gatehouse.config().get(ConfigKeys.API_ENABLED_METHODS));
    }

    /** The authenticated user, if any (see {@link #currentAuthentication()}). */
    public Optional<User> currentUser() {
        return currentAuthentication().map(Authentication::user);
    }

    private Optional<Authentication> authenticateBy(String method) {
        return switch (method) {
            case "session" -> bySession();
            case "token" -> byToken();
            case "basic" -> byBasic();
            default -> Optional.empty();
        };
    }

    private Optional<Authentication> bySession() {
        SessionData s = session();
        if (s.authenticated()) {
            return gatehouse.datastore().findUserByUniquifier(s.uid()).filter(User::active)
                    .map(u -> new Authentication(u, "session", s.paa()));
        }
        // Flask-Login's remember-me: a valid cookie restores the session, but the login is not fresh.
        Optional<String> remember = request.cookie(gatehouse.rememberCookieName());
        if (remember.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = gatehouse.verifyRememberCookie(remember.get())
                .flatMap(uid -> gatehouse.datastore().findUserByUniquifier(uid)).filter(User::active);
        user.ifPresent(u -> setSession(SessionData.loggedIn(u.fsUniquifier(), null, true, now)));
        return user.map(u -> new Authentication(u, "session", null));
    }

    private Optional<Authentication> byToken() {
        Optional<String> token = tokenFromRequest();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return gatehouse.verifyAuthToken(token.get());
    }

    private Optional<String> tokenFromRequest() {
        var config = gatehouse.config();
        Optional<String> t = request.header(config.get(ConfigKeys.TOKEN_AUTHENTICATION_HEADER));
        if (t.isEmpty()) {
            t = request.queryParam(config.get(ConfigKeys.TOKEN_AUTHENTICATION_KEY));
        }
        if (t.isEmpty() && form != null && form.isJson()) {
            t = Optional.ofNullable(form.string(config.get(ConfigKeys.TOKEN_AUTHENTICATION_KEY)).textOrNull());
        }
        return t.filter(v -> !v.isBlank());
    }

    private Optional<Authentication> byBasic() {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.get().substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return gatehouse.credentials().check(decoded.substring(0, colon), decoded.substring(colon + 1))
                .filter(User::active)
                .map(u -> new Authentication(u, "basic", now));
    }

    // ---------------------------------------------------------------- login state

    /**
     * Logs the user in on this exchange: a new session (new CSRF secret: no fixation), the
     * primary-authentication time set to now, remember-me cookie when asked, trackable fields.
     * Returns the user as stored afterwards.
     */
    public User login(User user, boolean remember) {
        User stored = user;
        if (gatehouse.config().get(ConfigKeys.TRACKABLE)) {
            stored = gatehouse.datastore().trackLogin(user, now, request.remoteAddress());
        }
        setSession(SessionData.loggedIn(stored.fsUniquifier(), now, remember, now));
        authByMethod.put("session", Optional.of(new Authentication(stored, "session", now)));
        if (remember) {
            cookies.add(new Cookie(gatehouse.rememberCookieName(), gatehouse.rememberCookieValue(stored),
                    Duration.ofDays(365), true, request.secure(), null));
        }
        return stored;
    }

    /** Logs out: ends the session, the remember-me cookie and the CSRF cookie. */
    public void logout() {
        clearSession();
        authByMethod.clear();
        if (request.cookie(gatehouse.rememberCookieName()).isPresent()) {
            cookies.add(Cookie.clear(gatehouse.rememberCookieName(), true, request.secure(), null));
        }
        String csrfCookie = gatehouse.config().get(ConfigKeys.CSRF_COOKIE_NAME);
        if (csrfCookie != null) {
            cookies.add(gatehouse.csrf().clearCookie(this));
        }
    }

    /** Marks the session as freshly re-authenticated now. */
    public void markFresh() {
        setSession(session().withPaa(now));
    }

    // ---------------------------------------------------------------- response

    /** Adds a cookie to the response. */
    public void addCookie(Cookie c) {
        cookies.add(c);
    }

    /**
     * The headers this exchange adds to whatever response goes out: cookies (session, remember,
     * CSRF), {@code Cache-Control} as {@code SECURITY_CACHE_CONTROL} says, {@code Vary: Cookie}.
     */
    public List<Map.Entry<String, String>> responseHeaders() {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        boolean secure = request.secure();
        if (sessionChanged && session != null) {
            h.add(Map.entry("Set-Cookie", new Cookie(gatehouse.sessionCookieName(), gatehouse.sessionCodec().encode(session),
                    null, true, secure, "Lax").toHeader()));
        } else if (sessionCleared && request.cookie(gatehouse.sessionCookieName()).isPresent()) {
            h.add(Map.entry("Set-Cookie", Cookie.clear(gatehouse.sessionCookieName(), true, secure, "Lax").toHeader()));
        }
        for (Cookie c : cookies) {
            h.add(Map.entry("Set-Cookie", c.toHeader()));
        }
        String cc = gatehouse.cacheControl();
        if (cc != null) {
            h.add(Map.entry("Cache-Control", cc));
        }
        h.add(Map.entry("Vary", "Cookie"));
        return h;
    }

    /** A client error found while reading the request, answered before any endpoint logic runs. */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String messageKey;

        /** Creates the exception. */
        public BadRequestException(int status, String messageKey) {
            super(messageKey, null, false, false);
            this.status = status;
            this.messageKey = messageKey;
        }

        /** The HTTP status to answer with. */
        public int status() {
            return status;
        }

        /** The message key of the reason. */
        public String messageKey() {
            return messageKey;
        }
    }
}

package dev.gatehouse.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Gatehouse endpoint in the routing table.
 *
 * @param path     the path, with at most one trailing {@code {name}} segment, e.g. {@code /confirm/{token}}
 * @param methods  allowed methods; others get 405
 * @param access   who may call it
 * @param csrf     whether state-changing calls are CSRF-checked
 * @param endpoint the handler
 */
public record Route(String path, Set<String> methods, Access access, CsrfRule csrf, Endpoint endpoint) {

    /** Who may call an endpoint. */
    public enum Access {
        /** Anyone. */
        ANYONE,
        /** Anyone for GET; POST only when not logged in ({@code ANONYMOUS_USER_REQUIRED}). */
        ANONYMOUS_POST,
        /** Only callers who are not logged in. */
        ANONYMOUS,
        /** Only callers authenticated by {@code SECURITY_API_ENABLED_METHODS}. */
        AUTHENTICATED
    }

    /** CSRF handling of POSTs. */
    public enum CsrfRule {
        /** Checked per {@link Csrf#required}. */
        CHECK,
        /** Checked only when {@code SECURITY_LOGOUT_CSRF} is on. */
        LOGOUT,
        /** Never checked (the endpoint proves intent otherwise). */
        NONE
    }

    /** The path parameters when {@code requestPath} matches, else empty. */
    Optional<Map<String, String>> match(String requestPath) {
        int brace = path.indexOf('{');
        if (brace < 0) {
            return path.equals(requestPath) ? Optional.of(Map.of()) : Optional.empty();
        }
        String prefix = path.substring(0, brace);
        if (!requestPath.startsWith(prefix) || requestPath.length() == prefix.length()) {
            return Optional.empty();
        }
        String value = requestPath.substring(prefix.length());
        if (value.contains("/")) {
            return Optional.empty();
        }
        Map<String, String> m = new HashMap<>();
        m.put(path.substring(brace + 1, path.length() - 1), value);
        return Optional.of(m);
    }
}

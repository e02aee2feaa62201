package dev.gatehouse.web;

import java.util.List;
import java.util.Optional;

/**
 * The HTTP port: what Gatehouse needs to know of a request, whatever server carries it. The
 * servlet module implements it once; other adapters only need this interface.
 */
public interface HttpRequest {

    /** The method in upper case ({@code GET}, {@code POST}, …). */
    String method();

    /** The path below the application's context path, starting with {@code /}, not decoded twice. */
    String path();

    /** The first value of a header, case-insensitively. */
    Optional<String> header(String name);

    /** Every value of a query parameter (empty when absent; a bare {@code ?flag} has one empty value). */
    List<String> queryParams(String name);

    /** The value of a cookie sent with the request. */
    Optional<String> cookie(String name);

    /**
     * The body, read at most once and cached.
     *
     * @throws BodyTooLargeException when it is longer than {@code maxBytes}
     */
    byte[] body(int maxBytes) throws BodyTooLargeException;

    /** The client's address as the server saw it. */
    String remoteAddress();

    /** Scheme, host and port the client used, plus the context path: {@code https://example.com/app}. */
    String baseUrl();

    /** Whether the request came over HTTPS. */
    boolean secure();

    /** The first query parameter value, if any. */
    default Optional<String> queryParam(String name) {
        List<String> v = queryParams(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Whether the query string names the parameter, with or without a value. */
    default boolean hasQueryParam(String name) {
        return !queryParams(name).isEmpty();
    }

    /** The {@code Content-Type} without parameters, lower case, or empty. */
    default String mediaType() {
        String ct = header("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Thrown by {@link #body(int)} for a body over the limit. */
    final class BodyTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates the exception. */
        public BodyTooLargeException() {
            super("request body too large", null, false, false);
        }
    }
}

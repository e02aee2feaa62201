package dev.gatehouse.servlet;

import dev.gatehouse.web.HttpRequest;
import dev.gatehouse.web.UrlEncoded;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link HttpRequest} over a servlet request. The query string is parsed here rather than with
 * {@code getParameter}, which would also read (and consume) a form body and cannot tell a bare
 * {@code ?include_auth_token} from an absent one.
 */
final class ServletHttpRequest implements HttpRequest {
    private static final long DRAIN_LIMIT = 1024 * 1024;
    private final HttpServletRequest req;
    private Map<String, List<String>> query;
    private byte[] body;

    ServletHttpRequest(HttpServletRequest req) {
        this.req = req;
    }

    @Override
    public String method() {
        return req.getMethod();
    }

    @Override
    public String path() {
        String uri = req.getRequestURI();
        String ctx = req.getContextPath();
        String p = ctx != null && !ctx.isEmpty() && uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
        return p.isEmpty() ? "/" : p;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(req.getHeader(name));
    }

    @Override
    public List<String> queryParams(String name) {
        if (query == null) {
            query = UrlEncoded.parse(req.getQueryString());
        }
        return query.getOrDefault(name, List.of());
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public byte[] body(int maxBytes) throws BodyTooLargeException {
        if (body != null) {
            return body;
        }
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) {
            discardUpTo(DRAIN_LIMIT);
            throw new BodyTooLargeException();
        }
        try (InputStream in = req.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] buf = new byte[8192];
            int total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    discardUpTo(DRAIN_LIMIT - total);
                    throw new BodyTooLargeException();
                }
                out.write(buf, 0, n);
            }
            body = out.toByteArray();
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops a moderately large rest of the body, so that the client, still sending, gets
     * the 413 instead of a connection reset; anything larger is cut off with the connection.
     */
    private void discardUpTo(long limit) {
        try {
            InputStream in = req.getInputStream();
            byte[] buf = new byte[8192];
            long left = limit;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the stream is unusable; the 413 is sent anyway.
        }
    }

    @Override
    public String remoteAddress() {
        return req.getRemoteAddr();
    }

    @Override
    public String baseUrl() {
        StringBuilder sb = new StringBuilder(req.getScheme()).append("://").append(req.getServerName());
        int port = req.getServerPort();
        boolean defaultPort = port <= 0 || (req.getScheme().equals("http") && port == 80)
                || (req.getScheme().equals("https") && port == 443);
        if (!defaultPort) {
            sb.append(':').append(port);
        }
        return sb.append(req.getContextPath()).toString();
    }

    @Override
    public boolean secure() {
        return req.isSecure();
    }
}

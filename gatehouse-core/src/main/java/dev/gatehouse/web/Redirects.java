package dev.gatehouse.web;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.GatehouseConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Open-redirect-proof handling of {@code next}: only same-host targets (or subdomains the
 * configuration allows) pass, and what passes is rebuilt from its parsed parts, which neutralizes
 * the browser-lenient forms ({@code //evil.com}, {@code \\evil.com}, {@code /\evil.com},
 * control characters) that have broken regex checks before.
 */
public final class Redirects {
    private final GatehouseConfig config;

    /** Creates the validator. */
    public Redirects(GatehouseConfig config) {
        this.config = config;
    }

    /** The safe form of {@code next}, or empty when it must be dropped. */
    public Optional<String> safe(String next, HttpRequest request) {
        if (next == null || next.isBlank()) {
            return Optional.empty();
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        URI uri;
        try {
            uri = new URI(next.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.isOpaque()) {
            return Optional.empty();
        }
        String scheme = uri.getScheme();
        if (scheme != null && !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return Optional.empty();
        }
        if (uri.getRawAuthority() != null) {
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !hostAllowed(uri, request)) {
                return Optional.empty();
            }
            return Optional.of(uri.normalize().toASCIIString());
        }
        if (scheme != null) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        // Collapse leading slashes so a path can never be read as a network-path reference.
        path = "/" + path.replaceFirst("^/+", "");
        StringBuilder sb = new StringBuilder(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            sb.append('#').append(uri.getRawFragment());
        }
        return Optional.of(sb.toString());
    }

    /**
     * Whether the link endpoints (confirm, reset …) answer with redirects to the SPA's views that
     * carry their outcome in the query ({@code SECURITY_REDIRECT_BEHAVIOR="spa"}).
     */
    public boolean spa() {
        return "spa".equals(config.get(ConfigKeys.REDIRECT_BEHAVIOR));
    }

    /**
     * A configured view (a path or a URL) with query parameters added, as Flask-Security builds
     * the targets of its SPA redirects: parameters already in the view are kept (and replaced by
     * those given), values are form-encoded, and {@code SECURITY_REDIRECT_HOST}, when set, becomes
     * the host (the UI may be served apart from the API).
     */
    public String view(String url, Map<String, String> params) {
        String base = url == null ? "/" : url;
        String fragment = "";
        int hash = base.indexOf('#');
        if (hash >= 0) {
            fragment = base.substring(hash);
            base = base.substring(0, hash);
        }
        int q = base.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : base.substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
                }
            }
            base = base.substring(0, q);
        }
        params.forEach((k, v) -> query.put(URLEncoder.encode(k, StandardCharsets.UTF_8),
                URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8)));
        String redirectHost = config.get(ConfigKeys.REDIRECT_HOST);
        if (redirectHost != null && !redirectHost.isBlank()) {
            int scheme = base.indexOf("://");
            String path = scheme >= 0 ? base.substring(base.indexOf('/', scheme + 3) < 0 ? base.length()
                    : base.indexOf('/', scheme + 3)) : base;
            base = (scheme >= 0 ? base.substring(0, scheme) + ":" : "") + "//" + redirectHost + path;
        }
        StringBuilder sb = new StringBuilder(base);
        if (!query.isEmpty()) {
            sb.append('?');
            query.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '?' ? "" : "&").append(k).append('=').append(v));
        }
        return sb.append(fragment).toString();
    }

    private boolean hostAllowed(URI target, HttpRequest request) {
        URI base = URI.create(request.baseUrl());
        String host = target.getHost().toLowerCase(Locale.ROOT);
        String own = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        String redirectHost = config.get(ConfigKeys.REDIRECT_HOST);
        if (host.equals(own) && port(target) == port(base)) {
            return true;
        }
        if (redirectHost != null && host.equalsIgnoreCase(redirectHost.split(":")[0])) {
            return true;
        }
        if (config.get(ConfigKeys.REDIRECT_ALLOW_SUBDOMAINS)) {
            String baseDomain = config.get(ConfigKeys.REDIRECT_BASE_DOMAIN);
            if (baseDomain == null) {
                baseDomain = own;
            }
            List<String> allowed = config.get(ConfigKeys.REDIRECT_ALLOWED_SUBDOMAINS);
            if (allowed == null || allowed.isEmpty()) {
                return host.equals(baseDomain) || host.endsWith("." + baseDomain);
            }
            for (String sub : allowed) {
                if (sub.equals(".") ? host.equals(baseDomain) : host.equals(sub + "." + baseDomain)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}

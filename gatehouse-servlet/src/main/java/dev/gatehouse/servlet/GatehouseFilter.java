package dev.gatehouse.servlet;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.HttpResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gatehouse in any Jakarta Servlet 6.0 container: serves Gatehouse's endpoints ({@code /login},
 * {@code /logout}, …) and lets every other request through with its {@link Exchange} stored
 * under {@link Exchange#ATTRIBUTE}, so application code and guards see who is signed in.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new GatehouseFilter(gatehouse)), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 */
public final class GatehouseFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseFilter.class);
    private final Gatehouse gatehouse;

    /** A filter serving this Gatehouse instance. */
    public GatehouseFilter(Gatehouse gatehouse) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
    }

    /** The exchange of a request that passed through the filter, if any. */
    public static Optional<Exchange> exchange(HttpServletRequest request) {
        return Optional.ofNullable((Exchange) request.getAttribute(Exchange.ATTRIBUTE));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            chain.doFilter(request, response);
            return;
        }
        Exchange ex;
        Optional<HttpResponse> served;
        try {
            ex = gatehouse.exchange(new ServletHttpRequest(req));
            served = gatehouse.serve(ex);
        } catch (UncheckedIOException e) {
            // The client went away or sent a broken body; nothing useful can be answered.
            LOG.debug("reading the request failed", e);
            if (!res.isCommitted()) {
                res.sendError(400);
            }
            return;
        } catch (RuntimeException e) {
            LOG.error("Gatehouse failed on {} {}", req.getMethod(), req.getRequestURI(), e);
            if (!res.isCommitted()) {
                res.reset();
                res.setStatus(500);
                res.setContentType("text/plain; charset=utf-8");
                res.getWriter().write("Internal Server Error\n");
            }
            return;
        }
        if (served.isPresent()) {
            write(served.get(), ex, res, req.getMethod().equals("HEAD"));
            return;
        }
        req.setAttribute(Exchange.ATTRIBUTE, ex);
        // A remember-me cookie restores the session here, before the application writes its response.
        if (!ex.hasSession() && req.getCookies() != null && ex.request().cookie(gatehouse.rememberCookieName()).isPresent()) {
            ex.currentAuthentication();
        }
        addHeaders(ex.responseHeaders(), res);
        chain.doFilter(request, response);
    }

    /** Writes a Gatehouse response, with the exchange's cookies and headers. */
    static void write(HttpResponse r, Exchange ex, HttpServletResponse res, boolean head) throws IOException {
        res.setStatus(r.status());
        for (Map.Entry<String, String> h : r.headers()) {
            res.addHeader(h.getKey(), h.getValue());
        }
        addHeaders(ex.responseHeaders(), res);
        res.setContentLength(r.body().length);
        if (!head) {
            res.getOutputStream().write(r.body());
        }
    }

    private static void addHeaders(List<Map.Entry<String, String>> headers, HttpServletResponse res) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("Set-Cookie") || h.getKey().equalsIgnoreCase("Vary")) {
                res.addHeader(h.getKey(), h.getValue());
            } else {
                res.setHeader(h.getKey(), h.getValue());
            }
        }
    }
}

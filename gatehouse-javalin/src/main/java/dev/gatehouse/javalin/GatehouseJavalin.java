package dev.gatehouse.javalin;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.servlet.GatehouseFilter;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Guard;
import dev.gatehouse.web.HttpResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Gatehouse in a Javalin 7 app: {@link #install} puts {@link GatehouseFilter} in front of every
 * route (one line), and {@link #guard} protects a handler as Flask-Security's decorators do.
 *
 * <pre>{@code
 * Javalin.create(cfg -> {
 *     GatehouseJavalin.install(cfg, gatehouse);
 *     cfg.routes.get("/api/admin", GatehouseJavalin.guard(Guard.authenticated().rolesRequired("admin"), ctx -> ...));
 * });
 * }</pre>
 */
public final class GatehouseJavalin {
    private GatehouseJavalin() {
    }

    /** Installs the Gatehouse filter for every request of the app. */
    public static void install(JavalinConfig config, Gatehouse gatehouse) {
        GatehouseFilter filter = new GatehouseFilter(gatehouse);
        config.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST)));
    }

    /** A handler that runs {@code handler} only when {@code guard} lets the request through. */
    public static Handler guard(Guard guard, Handler handler) {
        return ctx -> {
            Optional<HttpResponse> refusal = guard.check(exchange(ctx));
            if (refusal.isPresent()) {
                write(ctx, refusal.get());
            } else {
                handler.handle(ctx);
            }
        };
    }

    /** The Gatehouse exchange of the request; fails if the filter is not installed. */
    public static Exchange exchange(Context ctx) {
        Object ex = ctx.req().getAttribute(Exchange.ATTRIBUTE);
        if (ex == null) {
            throw new IllegalStateException("GatehouseFilter is not installed: call GatehouseJavalin.install(config, gatehouse)");
        }
        return (Exchange) ex;
    }

    /** The signed-in user (session or token, per SECURITY_API_ENABLED_METHODS), if any. */
    public static Optional<User> currentUser(Context ctx) {
        return exchange(ctx).currentUser();
    }

    private static void write(Context ctx, HttpResponse r) {
        ctx.status(r.status());
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                ctx.contentType(h.getValue());
            } else {
                ctx.res().addHeader(h.getKey(), h.getValue());
            }
        }
        ctx.result(r.body());
    }
}

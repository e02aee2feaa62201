package dev.gatehouse.bench;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.User;
import dev.gatehouse.javalin.GatehouseJavalin;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import dev.gatehouse.servlet.GatehouseFilter;
import dev.gatehouse.web.Guard;
import dev.gatehouse.web.Route;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson3;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;

/**
 * The app the load benchmark drives: the demo app's stack (Javalin 7, {@link GatehouseFilter},
 * {@link JdbcUserDatastore} on an H2 file) with Flask-Security's defaults, on a loopback port.
 *
 * <p>The filter is mapped to Gatehouse's endpoints and to {@code /api/*}, exactly as
 * {@link GatehouseJavalin#install} would serve them, but not to {@code /bare/*}: {@code GET /bare/ping}
 * is the bare baseline, the same handler on the same server with no security work at all.
 * Every route answers a small JSON object, so the only difference between them is Gatehouse's work.
 */
public final class BenchApp implements AutoCloseable {
    /** Fixed secrets: seeded hashes and minted tokens must survive restarts of the benchmark. */
    static final String SECRET_KEY = "gatehouse-bench-secret-key-not-for-production-3f9c2a";
    static final String PASSWORD_SALT = "gatehouse-bench-password-salt-7d41e0";
    /** The password of every seeded user. */
    static final String PASSWORD = "BenchPassw0rd!";

    private static final Handler PING = ctx -> ctx.json(Map.of("status", "ok"));

    private final Javalin app;
    private final JdbcUserDatastore datastore;
    private final Gatehouse gatehouse;

    private BenchApp(Javalin app, JdbcUserDatastore datastore, Gatehouse gatehouse) {
        this.app = app;
        this.datastore = datastore;
        this.gatehouse = gatehouse;
    }

    /** The configuration: Flask-Security's defaults plus the fixed secrets, and {@code extra} on top. */
    static GatehouseConfig config(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.putIfAbsent("SECRET_KEY", SECRET_KEY);
        settings.putIfAbsent("SECURITY_PASSWORD_SALT", PASSWORD_SALT);
        return GatehouseConfig.fromMap(settings);
    }

    /** Starts the app on a free loopback port over the database at {@code jdbcUrl}. */
    public static BenchApp start(String jdbcUrl) {
        return start(jdbcUrl, Map.of());
    }

    /** Starts the app with extra {@code SECURITY_*} settings. */
    public static BenchApp start(String jdbcUrl, Map<String, String> settings) {
        return start(jdbcUrl, settings, null, false);
    }

    /**
     * Starts the app; with {@code userCache}, Gatehouse sees the datastore through
     * {@link CachedLookups} (a bench-only experiment); with {@code timeLookups}, through
     * {@link TimedLookups} (a diagnostic).
     */
    static BenchApp start(String jdbcUrl, Map<String, String> settings, java.time.Duration userCache, boolean timeLookups) {
        JdbcUserDatastore datastore = JdbcUserDatastore.forUrl(jdbcUrl, null, null);
        try {
            dev.gatehouse.account.UserDatastore ds = userCache == null ? datastore : CachedLookups.wrap(datastore, userCache);
            if (timeLookups) {
                ds = TimedLookups.wrap(ds);
            }
            Gatehouse gatehouse = Gatehouse.builder(config(settings), ds).build();
            GatehouseFilter filter = new GatehouseFilter(gatehouse);
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.jsonMapper(new JavalinJackson3());
                cfg.jetty.modifyServletContextHandler(handler -> {
                    FilterHolder holder = new FilterHolder(filter);
                    holder.setName("gatehouse");
                    FilterMapping mapping = new FilterMapping();
                    mapping.setFilterName("gatehouse");
                    mapping.setPathSpecs(filteredPaths(gatehouse).toArray(String[]::new));
                    mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
                    handler.getServletHandler().addFilter(holder, mapping);
                });
                cfg.routes.get("/bare/ping", PING);
                cfg.routes.get("/api/ping", PING);
                cfg.routes.get("/api/me", GatehouseJavalin.guard(Guard.authenticated("session", "token"), ctx -> {
                    User u = GatehouseJavalin.currentUser(ctx).orElseThrow();
                    ctx.json(Map.of("status", "ok", "email", u.email()));
                }));
            });
            app.start("127.0.0.1", 0);
            return new BenchApp(app, datastore, gatehouse);
        } catch (RuntimeException e) {
            datastore.close();
            throw e;
        }
    }

    /** Gatehouse's endpoints and the app's {@code /api/*}; never {@code /bare/*}. */
    private static List<String> filteredPaths(Gatehouse gatehouse) {
        List<String> paths = new ArrayList<>();
        paths.add("/api/*");
        for (Route r : gatehouse.router().routes()) {
            int brace = r.path().indexOf('{');
            paths.add(brace < 0 ? r.path() : r.path().substring(0, brace) + "*");
        }
        return paths;
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return app.port();
    }

    /** The base URL, {@code http://127.0.0.1:port}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The Gatehouse instance. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The datastore. */
    public JdbcUserDatastore datastore() {
        return datastore;
    }

    @Override
    public void close() {
        app.stop();
        datastore.close();
    }
}

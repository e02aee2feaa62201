package dev.gatehouse.servlet;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.Guard;
import dev.gatehouse.web.HttpResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 server on a random loopback port with {@link GatehouseFilter}, an H2 database and
 * three application routes: {@code /api/ping} (public), {@code /api/me} (session or token),
 * {@code /api/admin} (role admin), {@code /api/basic} (HTTP Basic only).
 */
final class TestServer implements AutoCloseable {
    static final String ADMIN = "admin@example.com";
    static final String ADMIN_PW = "AdminPassw0rd!";
    static final String USER = "user@example.com";
    static final String USER_PW = "UserPassw0rd!";

    final Server server;
    final JdbcUserDatastore datastore;
    final Gatehouse gatehouse;
    final String base;

    TestServer(Map<String, String> settings, Clock clock, UnaryOperator<Gatehouse.Builder> customize) throws Exception {
        GatehouseConfig config = GatehouseConfig.builder()
                .set("SECRET_KEY", "test-secret-key-" + UUID.randomUUID())
                .set("SECURITY_PASSWORD_SALT", "test-salt")
                // Cheap hashing keeps the tests quick; the hash format is tested on its own.
                .set("SECURITY_PASSWORD_HASH", "pbkdf2_sha512")
                .putAll(settings)
                .build();
        datastore = JdbcUserDatastore.forUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        gatehouse = customize.apply(Gatehouse.builder(config, datastore).clock(clock)).build();
        datastore.findOrCreateRole(Role.of("admin", "Administrator", Set.of("admin-read")));
        createUser(ADMIN, ADMIN_PW, true, "admin");
        createUser(USER, USER_PW, true, null);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.addFilter(new FilterHolder(new GatehouseFilter(gatehouse)), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new AppServlet()), "/*");
        server.setHandler(ctx);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    User createUser(String email, String password, boolean confirmed, String role) {
        User u = User.builder(email, Uniquifiers.newUniquifier()).password(gatehouse.passwords().hash(password))
                .confirmedAt(confirmed ? Instant.parse("2026-01-01T00:00:00Z") : null).build();
        User created = ((CreateResult.Created) datastore.createUser(u)).user();
        if (role != null) {
            datastore.addRoleToUser(created, role);
        }
        return datastore.reload(created);
    }

    User user(String email) {
        return datastore.findUserByIdentity("email", email).orElseThrow();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        datastore.close();
    }

    /** The application: what a real app behind the filter looks like. */
    private static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            Exchange ex = GatehouseFilter.exchange(req).orElseThrow();
            Guard guard = switch (req.getRequestURI()) {
                case "/api/ping" -> null;
                case "/api/me" -> Guard.authenticated("session", "token");
                case "/api/admin" -> Guard.authenticated("session", "token").rolesRequired("admin");
                case "/api/perm" -> Guard.authenticated().permissionsAccepted("admin-read", "other");
                case "/api/basic" -> Guard.authenticated("basic");
                case "/api/anonymous" -> Guard.anonymous();
                default -> {
                    res.sendError(404);
                    yield null;
                }
            };
            if (res.isCommitted()) {
                return;
            }
            if (guard != null) {
                Optional<HttpResponse> refusal = guard.check(ex);
                if (refusal.isPresent()) {
                    HttpResponse r = refusal.get();
                    res.setStatus(r.status());
                    r.headers().forEach(h -> res.addHeader(h.getKey(), h.getValue()));
                    res.getOutputStream().write(r.body());
                    return;
                }
            }
            res.setContentType("application/json");
            String email = ex.currentUser().map(User::email).orElse("");
            if (guard != null && req.getRequestURI().equals("/api/basic")) {
                email = ex.authenticate(java.util.List.of("basic")).orElseThrow().user().email();
            }
            res.getWriter().write("{\"email\":\"" + email + "\"}");
        }
    }
}

package dev.gatehouse.example;

import dev.gatehouse.ConfigKeys;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.account.UserDatastore;
import dev.gatehouse.javalin.GatehouseJavalin;
import dev.gatehouse.mail.SmtpMailer;
import dev.gatehouse.web.Guard;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo app: Javalin 7 + Gatehouse on an embedded database, configured only by environment
 * variables ({@code PORT}, {@code DATABASE_URL}, {@code SECRET_KEY}, {@code SECURITY_*}, …).
 * Seeds {@code admin@example.com} (role {@code admin}) and {@code user@example.com}.
 */
public final class DemoApp {
    private static final Logger LOG = LoggerFactory.getLogger(DemoApp.class);

    private final Javalin app;
    private final DemoDatastore datastore;
    private final Gatehouse gatehouse;

    private DemoApp(Javalin app, DemoDatastore datastore, Gatehouse gatehouse) {
        this.app = app;
        this.datastore = datastore;
        this.gatehouse = gatehouse;
    }

    /** Starts the app from the environment. */
    public static void main(String[] args) {
        DemoApp demo = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop));
    }

    /** Starts the app from these settings (the environment, or a test's map). */
    public static DemoApp start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    /** Starts the app on a given clock (tests move time). */
    static DemoApp start(Map<String, String> env, Clock clock) {
        Path dataDir = Path.of(env.getOrDefault("GATEHOUSE_DATA_DIR", "data")).toAbsolutePath();
        Map<String, String> settings = new HashMap<>(env);
        settings.putAll(generatedSecrets(dataDir, env));
        GatehouseConfig config = GatehouseConfig.fromMap(settings);

        String url = "jdbc:h2:file:" + dataDir.resolve("gatehouse") + ";AUTO_SERVER=FALSE"; // unless DATABASE_URL says otherwise
        DemoDatastore datastore = DemoDatastore.open(env, url);
        Gatehouse gatehouse = Gatehouse.builder(config, datastore.datastore()).clock(clock).build();
        seed(gatehouse);

        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson3());
            GatehouseJavalin.install(cfg, gatehouse);
            cfg.routes.get("/", ctx -> home(ctx, config));
            cfg.routes.get("/api/ping", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.get("/api/me", GatehouseJavalin.guard(Guard.authenticated("session", "token"), DemoApp::me));
            cfg.routes.get("/api/admin", GatehouseJavalin.guard(
                    Guard.authenticated("session", "token").rolesRequired("admin"),
                    ctx -> ctx.json(Map.of("status", "ok", "admin", true))));
        });
        app.start("0.0.0.0", port);
        LOG.info("Gatehouse demo app on http://localhost:{}/ (data in {}); mail {}", app.port(), dataDir,
                gatehouse.mails().mailer() instanceof SmtpMailer smtp ? "over SMTP: " + smtp.settings() : "written to the log");
        return new DemoApp(app, datastore, gatehouse);
    }

    /** The port the app listens on. */
    public int port() {
        return app.port();
    }

    /** The Gatehouse instance. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** Stops the server and closes the database. */
    public void stop() {
        app.stop();
        try {
            datastore.resources().close();
        } catch (Exception e) {
            LOG.warn("closing the datastore failed", e);
        }
    }

    private static void home(Context ctx, GatehouseConfig config) {
        String who = GatehouseJavalin.currentUser(ctx).map(User::email).orElse(null);
        StringBuilder links = new StringBuilder();
        if (who == null) {
            links.append("<li><a href=\"").append(config.get(ConfigKeys.LOGIN_URL)).append("\">Log in</a></li>");
            if (config.get(ConfigKeys.REGISTERABLE)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.REGISTER_URL)).append("\">Register</a></li>");
            }
            if (config.get(ConfigKeys.RECOVERABLE)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.RESET_URL)).append("\">Forgot password</a></li>");
            }
            if (config.get(ConfigKeys.CONFIRMABLE)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.CONFIRM_URL)).append("\">Confirm account</a></li>");
            }
            if (config.get(ConfigKeys.USERNAME_RECOVERY)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.USERNAME_RECOVERY_URL)).append("\">Forgot username</a></li>");
            }
            if (config.get(ConfigKeys.UNIFIED_SIGNIN)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.US_SIGNIN_URL)).append("\">Sign in with a code</a></li>");
            }
        } else {
            if (config.get(ConfigKeys.CHANGEABLE)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.CHANGE_URL)).append("\">Change password</a></li>");
            }
            if (config.get(ConfigKeys.CHANGE_EMAIL)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.CHANGE_EMAIL_URL)).append("\">Change email</a></li>");
            }
            if (config.get(ConfigKeys.CHANGE_USERNAME)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.CHANGE_USERNAME_URL)).append("\">Change username</a></li>");
            }
            if (config.get(ConfigKeys.TWO_FACTOR)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.TWO_FACTOR_SETUP_URL))
                        .append("\">Two-factor authentication</a></li>");
                if (config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES)) {
                    links.append("<li><a href=\"").append(config.get(ConfigKeys.MULTI_FACTOR_RECOVERY_CODES_URL))
                            .append("\">Recovery codes</a></li>");
                }
            }
            if (config.get(ConfigKeys.UNIFIED_SIGNIN)) {
                links.append("<li><a href=\"").append(config.get(ConfigKeys.US_SETUP_URL)).append("\">Sign-in methods</a></li>");
            }
        }
        ctx.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gatehouse demo</title></head><body>"
                + "<h1>Gatehouse demo</h1>"
                + (who == null ? "" : "<p>Signed in as <span id=\"who\">" + escape(who) + "</span></p>"
                        + "<form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button></form>")
                + "<ul>" + links + "</ul></body></html>");
    }

    private static void me(Context ctx) {
        User u = GatehouseJavalin.currentUser(ctx).orElseThrow();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", u.email());
        body.put("roles", u.roleNames().stream().sorted().toList());
        body.put("tf_primary_method", u.tfPrimaryMethod());
        body.put("login_count", u.loginCount());
        body.put("current_login_at", iso(u.currentLoginAt()));
        body.put("last_login_at", iso(u.lastLoginAt()));
        body.put("current_login_ip", u.currentLoginIp());
        body.put("last_login_ip", u.lastLoginIp());
        ctx.json(body);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void seed(Gatehouse gh) {
        UserDatastore ds = gh.datastore();
        ds.findOrCreateRole(Role.of("admin", "Administrator", Set.of()));
        seedUser(gh, "admin@example.com", "AdminPassw0rd!", "admin");
        seedUser(gh, "user@example.com", "UserPassw0rd!", null);
    }

    private static void seedUser(Gatehouse gh, String email, String password, String role) {
        UserDatastore ds = gh.datastore();
        if (ds.findUserByIdentity("email", email).isPresent()) {
            return;
        }
        User u = User.builder(email, Uniquifiers.newUniquifier()).password(gh.passwords().hash(password))
                .confirmedAt(Instant.now()).build();
        if (ds.createUser(u) instanceof CreateResult.Created created && role != null) {
            ds.addRoleToUser(created.user(), role);
        }
    }

    /**
     * SECRET_KEY and SECURITY_PASSWORD_SALT when the environment lacks them: generated once and kept
     * in the data folder (readable by the owner only), so restarts keep sessions and passwords valid.
     */
    private static Map<String, String> generatedSecrets(Path dataDir, Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        if (env.containsKey("SECRET_KEY") && env.containsKey("SECURITY_PASSWORD_SALT")) {
            return out;
        }
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("secrets.properties");
            Properties p = new Properties();
            if (Files.exists(file)) {
                try (var in = Files.newInputStream(file)) {
                    p.load(in);
                }
            }
            SecureRandom random = new SecureRandom();
            boolean changed = false;
            for (String key : new String[] {"SECRET_KEY", "SECURITY_PASSWORD_SALT"}) {
                if (!p.containsKey(key)) {
                    byte[] b = new byte[32];
                    random.nextBytes(b);
                    p.setProperty(key, HexFormat.of().formatHex(b));
                    changed = true;
                }
            }
            if (changed) {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (var w = Files.newOutputStream(file)) {
                    p.store(w, "Generated by the Gatehouse demo app; keep secret");
                }
            }
            for (String key : p.stringPropertyNames()) {
                if (!env.containsKey(key)) {
                    out.put(key, p.getProperty(key));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep generated secrets in " + dataDir, e);
        }
    }
}

package dev.gatehouse.bench;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.account.User;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.session.SessionData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load benchmark: starts {@link BenchApp} over H2 databases of 1,000 and 1,000,000 users,
 * drives it over loopback with wrk, and prints one table of requests/s, p50 and p99 with the
 * ratio of each scenario to the bare baseline measured in the same run.
 *
 * <p>The fast scenarios run in interleaved rounds (bare, filter, token, session, token on 1M, …):
 * noise from other work on the machine hits every scenario of a round alike, and each ratio is
 * taken between rounds run side by side. Every scenario is warmed up once, uncounted.
 */
final class LoadBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SAMPLE_USERS = 1000;

    /** Settings, from the command line. */
    record Options(Path dataDir, int smallUsers, int largeUsers, int warmupSeconds, int seconds, int rounds,
                   int loginSeconds, int connections, int loginConnections, int wrkThreads, boolean profile,
                   int userCacheMs, boolean timeLookups) {
        static Options parse(List<String> args) {
            Path dir = Files.isDirectory(Path.of("gatehouse-bench")) ? Path.of("gatehouse-bench", "target", "bench-data")
                    : Path.of("target", "bench-data");
            int cores = Runtime.getRuntime().availableProcessors();
            Map<String, String> a = new LinkedHashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
                int eq = arg.indexOf('=');
                a.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            }
            boolean quick = a.containsKey("quick");
            Options o = new Options(
                    Path.of(a.getOrDefault("data", dir.toString())),
                    Integer.parseInt(a.getOrDefault("users", "1000")),
                    Integer.parseInt(a.getOrDefault("large-users", quick ? "0" : "1000000")),
                    Integer.parseInt(a.getOrDefault("warmup", quick ? "2" : "5")),
                    Integer.parseInt(a.getOrDefault("duration", quick ? "2" : "5")),
                    Integer.parseInt(a.getOrDefault("rounds", quick ? "1" : "3")),
                    Integer.parseInt(a.getOrDefault("login-duration", quick ? "3" : "10")),
                    Integer.parseInt(a.getOrDefault("connections", "16")),
                    Integer.parseInt(a.getOrDefault("login-connections", String.valueOf(2 * cores))),
                    Integer.parseInt(a.getOrDefault("wrk-threads", "1")),
                    a.containsKey("profile"),
                    Integer.parseInt(a.getOrDefault("user-cache", quick ? "0" : "1000")),
                    a.containsKey("time-lookups"));
            a.keySet().removeAll(List.of("data", "users", "large-users", "warmup", "duration", "rounds", "login-duration",
                    "connections", "login-connections", "wrk-threads", "quick", "profile", "user-cache",
                    "time-lookups"));
            if (!a.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s): " + a.keySet());
            }
            return o;
        }
    }

    /** A named list of requests against one app. */
    private record Scenario(String name, BenchApp app, List<Wrk.Request> requests, int connections) {
    }

    /** Measurements of one scenario over the rounds. */
    private static final class Row {
        final Scenario scenario;
        final List<Wrk.Result> results = new ArrayList<>();

        Row(Scenario scenario) {
            this.scenario = scenario;
        }

        double rps() {
            double req = 0;
            double sec = 0;
            for (Wrk.Result r : results) {
                req += r.requests();
                sec += r.seconds();
            }
            return req / sec;
        }

        double cpuPerRequest() {
            double cpu = 0;
            double req = 0;
            for (Wrk.Result r : results) {
                cpu += r.serverCpuSeconds();
                req += r.requests();
            }
            return cpu * 1e6 / req;
        }

        double p50() {
            return median(results.stream().mapToDouble(Wrk.Result::p50Ms).toArray());
        }

        double p99() {
            return median(results.stream().mapToDouble(Wrk.Result::p99Ms).toArray());
        }

        long bad() {
            return results.stream().mapToLong(r -> r.socketErrors() + r.badStatus()).sum();
        }
    }

    private final Options o;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    LoadBenchmark(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    void run() {
        int cores = Runtime.getRuntime().availableProcessors();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        out.println("Gatehouse load benchmark");
        Wrk.ensureInstalled(out);
        String machine = String.format(Locale.ROOT, "%s; nproc %d; %s; Java %s; %s; load average at start %s", started, cores,
                Machine.cpuModel(), System.getProperty("java.version"), Wrk.version(), Machine.loadAverage());
        out.println("  " + machine);

        out.println("Databases");
        String smallUrl = UserSeeder.ensure(o.dataDir(), o.smallUsers(), out);
        String largeUrl = o.largeUsers() > 0 ? UserSeeder.ensure(o.dataDir(), o.largeUsers(), out) : null;

        try (BenchApp small = BenchApp.start(smallUrl, Map.of(), null, o.timeLookups());
             BenchApp large = largeUrl == null ? null : BenchApp.start(largeUrl, Map.of(), null, o.timeLookups());
             BenchApp cached = o.userCacheMs() <= 0 ? null
                     : BenchApp.start(smallUrl, Map.of(), java.time.Duration.ofMillis(o.userCacheMs()), o.timeLookups())) {
            out.println("Query plans (every statement on \"user\" while a token request and a login run)");
            checkPlans(small, smallUrl, o.smallUsers());
            if (large != null) {
                checkPlans(large, largeUrl, o.largeUsers());
            }

            List<Scenario> fast = new ArrayList<>();
            Scenario bare = new Scenario("GET /bare/ping  (baseline: no filter)", small,
                    List.of(Wrk.Request.get("/bare/ping", Map.of())), o.connections());
            fast.add(bare);
            fast.add(new Scenario("GET /api/ping   (filter, anonymous)", small,
                    List.of(Wrk.Request.get("/api/ping", Map.of())), o.connections()));
            Scenario token = new Scenario("GET /api/me     (auth token)", small, tokenRequests(small, o.smallUsers()),
                    o.connections());
            fast.add(token);
            Scenario session = new Scenario("GET /api/me     (session cookie)", small, sessionRequests(small, o.smallUsers()),
                    o.connections());
            fast.add(session);
            Scenario tokenLarge = large == null ? null : new Scenario("GET /api/me     (auth token), " + users(o.largeUsers()),
                    large, tokenRequests(large, o.largeUsers()), o.connections());
            if (tokenLarge != null) {
                fast.add(tokenLarge);
            }
            if (cached != null) {
                String what = String.format(Locale.ROOT, ", user lookups cached %s (experiment)", millis(o.userCacheMs()));
                fast.add(new Scenario("GET /api/me     (auth token)" + what, cached, tokenRequests(cached, o.smallUsers()),
                        o.connections()));
                fast.add(new Scenario("GET /api/me     (session cookie)" + what, cached,
                        sessionRequests(cached, o.smallUsers()), o.connections()));
            }
            Scenario login = new Scenario("POST /login     (JSON, argon2id)", small, loginRequests(small, o.smallUsers()),
                    o.loginConnections());
            Scenario loginLarge = large == null ? null : new Scenario("POST /login     (JSON, argon2id), " + users(o.largeUsers()),
                    large, loginRequests(large, o.largeUsers()), o.loginConnections());

            out.println("Checking every scenario answers 200");
            for (Scenario s : fast) {
                check(s);
            }
            check(login);
            if (loginLarge != null) {
                check(loginLarge);
            }

            Wrk wrk = new Wrk(o.dataDir().resolve("wrk"), o.wrkThreads());
            out.printf("Warm-up (not counted): per scenario, %d s runs until the JIT compiler is done with it%n",
                    o.warmupSeconds());
            for (Scenario s : fast) {
                warmUp(wrk, s);
            }
            Map<Scenario, Row> rows = new LinkedHashMap<>();
            fast.forEach(s -> rows.put(s, new Row(s)));
            List<double[]> roundRatios = new ArrayList<>();
            for (int round = 1; round <= o.rounds(); round++) {
                out.printf("Round %d/%d (%d s per scenario, %d connections, wrk -t%d)%n", round, o.rounds(), o.seconds(),
                        o.connections(), o.wrkThreads());
                double[] ratios = new double[fast.size()];
                Wrk.Result base = null;
                for (int i = 0; i < fast.size(); i++) {
                    Scenario s = fast.get(i);
                    TimedLookups.reset();
                    Wrk.Result r = wrk.run(slug(s), s.app().baseUrl(), s.requests(), s.connections(), o.seconds());
                    if (o.timeLookups() && TimedLookups.calls() > 0) {
                        out.println("    " + TimedLookups.summary());
                    }
                    rows.get(s).results.add(r);
                    base = s == bare ? r : base;
                    ratios[i] = r.rps() / base.rps();
                    out.printf(Locale.ROOT, "  %-48s %9.0f req/s  ratio %.3f  server CPU %6.1f us/req%s%n", s.name(), r.rps(),
                            ratios[i], r.serverCpuMicrosPerRequest(),
                            r.clean() ? "" : "  (" + (r.socketErrors() + r.badStatus()) + " errors)");
                }
                roundRatios.add(ratios);
            }

            if (o.profile()) {
                for (Scenario s : List.of(token, session)) {
                    profile(wrk, s);
                }
            }

            out.printf("Password hash reference: argon2id verify in-process, %d threads, %d s%n", o.loginConnections(),
                    o.loginSeconds());
            double hashRate = hashRate(small.gatehouse(), o.loginConnections(), o.loginSeconds());
            out.printf(Locale.ROOT, "  %.1f verifications/s%n", hashRate);

            List<Scenario> logins = new ArrayList<>(List.of(login));
            if (loginLarge != null) {
                logins.add(loginLarge);
            }
            for (Scenario s : logins) {
                out.printf("%s: warm-up %d s, then %d s with %d connections%n", s.name().replaceAll("\\s+", " "),
                        o.warmupSeconds(), o.loginSeconds(), s.connections());
                wrk.run(slug(s) + "-warmup", s.app().baseUrl(), s.requests(), s.connections(), o.warmupSeconds());
                Row row = new Row(s);
                row.results.add(wrk.run(slug(s), s.app().baseUrl(), s.requests(), s.connections(), o.loginSeconds()));
                rows.put(s, row);
            }

            String table = table(rows, bare, fast, roundRatios, hashRate, token, tokenLarge, login, loginLarge);
            out.println();
            out.println(machine);
            out.println(table);
            Path report = o.dataDir().resolve("load-results.md");
            Files.writeString(report, machine + "\n\n" + table + "\n");
            out.println("(also written to " + report + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String table(Map<Scenario, Row> rows, Scenario bare, List<Scenario> fast, List<double[]> roundRatios,
                         double hashRate, Scenario token, Scenario tokenLarge, Scenario login, Scenario loginLarge) {
        double base = rows.get(bare).rps();
        StringBuilder t = new StringBuilder();
        double baseCpu = rows.get(bare).cpuPerRequest();
        t.append(String.format(Locale.ROOT, "| scenario (%s users unless said) | req/s | p50 ms | p99 ms | ratio to baseline (median of rounds) | ratio per round "
                + "| server CPU us/req | CPU over baseline |%n", users(o.smallUsers())));
        t.append("|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (Map.Entry<Scenario, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            int idx = fast.indexOf(e.getKey());
            String perRound = "";
            if (idx >= 0) {
                perRound = String.join(" ", roundRatios.stream().map(a -> String.format(Locale.ROOT, "%.3f", a[idx])).toList());
            } else {
                perRound = String.format(Locale.ROOT, "login/hash %.2f", r.rps() / hashRate);
            }
            double cpu = r.cpuPerRequest();
            double ratio = idx >= 0 ? median(roundRatios.stream().mapToDouble(a -> a[idx]).toArray()) : r.rps() / base;
            t.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s | %s | %s | %s |%s%n",
                    e.getKey().name().replaceAll("\\s+", " "), r.rps() < 100 ? String.format(Locale.ROOT, "%.1f", r.rps())
                            : String.format(Locale.ROOT, "%.0f", r.rps()), r.p50(), r.p99(),
                    String.format(Locale.ROOT, ratio < 0.01 ? "%.5f" : "%.3f", ratio), perRound,
                    cpu < 1000 ? String.format(Locale.ROOT, "%.1f", cpu) : String.format(Locale.ROOT, "%.0f", cpu),
                    e.getKey() == bare ? "" : String.format(Locale.ROOT, "%+.1f", cpu - baseCpu),
                    r.bad() == 0 ? "" : " **" + r.bad() + " errors**"));
        }
        t.append(String.format(Locale.ROOT, "| argon2id verify in-process, %d threads (login's reference) | %.1f | | | | | | |%n",
                o.loginConnections(), hashRate));
        if (tokenLarge != null) {
            t.append(String.format(Locale.ROOT, "%n| scale | %s users req/s | %s users req/s | ratio |%n",
                    users(o.smallUsers()), users(o.largeUsers())));
            t.append("|---|---:|---:|---:|\n");
            t.append(String.format(Locale.ROOT, "| GET /api/me (auth token) | %.0f | %.0f | %.3f |%n",
                    rows.get(token).rps(), rows.get(tokenLarge).rps(), rows.get(tokenLarge).rps() / rows.get(token).rps()));
            t.append(String.format(Locale.ROOT, "| POST /login (JSON, argon2id) | %.1f | %.1f | %.3f |%n",
                    rows.get(login).rps(), rows.get(loginLarge).rps(), rows.get(loginLarge).rps() / rows.get(login).rps()));
        }
        return t.toString();
    }

    /**
     * Runs a scenario until the JIT has compiled its code: on 2 busy cores the compiler threads get
     * little CPU, and a fixed warm-up left the Gatehouse paths half-compiled into the first rounds.
     * Stops when a run adds under 50 ms of compilation and its throughput is within 5% of the last
     * run's, or after 8 runs.
     */
    private void warmUp(Wrk wrk, Scenario s) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        double last = 0;
        for (int run = 1; run <= 8; run++) {
            long jit0 = jit.getTotalCompilationTime();
            Wrk.Result r = wrk.run(slug(s) + "-warmup", s.app().baseUrl(), s.requests(), s.connections(), o.warmupSeconds());
            long compiledMs = jit.getTotalCompilationTime() - jit0;
            boolean steady = run >= 2 && compiledMs < 50 && Math.abs(r.rps() - last) < 0.05 * last;
            last = r.rps();
            if (steady || run == 8) {
                out.printf(Locale.ROOT, "  %-48s %d x %d s, last %.0f req/s%n", s.name(), run, o.warmupSeconds(), last);
                return;
            }
        }
    }

    /** Runs a scenario once more under JFR's sampling profiler and prints where its CPU time goes. */
    private void profile(Wrk wrk, Scenario s) throws IOException {
        Path file = o.dataDir().resolve(slug(s) + ".jfr");
        int seconds = Math.max(10, o.seconds());
        out.printf("Profile of %s (%d s, JFR CPU samples every 1 ms; not part of the table) -> %s%n",
                s.name().replaceAll("\\s+", " "), seconds, file);
        try (jdk.jfr.Recording r = Profile.start(1)) {
            wrk.run(slug(s) + "-profile", s.app().baseUrl(), s.requests(), s.connections(), seconds);
            r.stop();
            r.dump(file);
        }
        Profile.summarize(file, PROFILE_FOCUS, 20, out);
    }

    static final List<String> PROFILE_FOCUS = List.of(
            "org.eclipse.jetty.server.Server.handle",
            "io.javalin.jetty.JavalinJettyServlet.service",
            "dev.gatehouse.servlet.GatehouseFilter.doFilter",
            "dev.gatehouse.Gatehouse.exchange",
            "dev.gatehouse.web.Router.serve",
            "dev.gatehouse.javalin.GatehouseJavalin.lambda$guard$0",
            "dev.gatehouse.web.Guard.check",
            "dev.gatehouse.web.Exchange.session",
            "dev.gatehouse.session.SessionCodec.decode",
            "dev.gatehouse.Gatehouse.verifyAuthToken",
            "dev.gatehouse.token.AuthTokens.verify",
            "dev.gatehouse.jdbc.JdbcUserDatastore.findUserByUniquifier",
            "org.jdbi.v3.core.Jdbi.open",
            "org.h2.command.CommandContainer.query",
            "dev.gatehouse.web.Exchange.responseHeaders",
            "io.javalin.http.Context.json");

    // ---------------------------------------------------------------- scenarios

    /** Users spread over the whole table, so lookups touch more than a few hot rows. */
    private static long[] sample(int users) {
        int n = Math.min(SAMPLE_USERS, users);
        long[] ids = new long[n];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            ids[i] = n == users ? i + 1 : 1 + random.nextLong(users);
        }
        return ids;
    }

    private static List<Wrk.Request> tokenRequests(BenchApp app, int users) {
        Gatehouse gh = app.gatehouse();
        Instant now = Instant.now();
        List<Wrk.Request> list = new ArrayList<>();
        for (long i : sample(users)) {
            User u = User.builder(UserSeeder.email(i), UserSeeder.uniquifier(i)).build();
            list.add(Wrk.Request.get("/api/me", Map.of("Authentication-Token", gh.issueAuthToken(u, now),
                    "Accept", "application/json")));
        }
        return list;
    }

    private static List<Wrk.Request> sessionRequests(BenchApp app, int users) {
        Gatehouse gh = app.gatehouse();
        Instant now = Instant.now();
        List<Wrk.Request> list = new ArrayList<>();
        for (long i : sample(users)) {
            String cookie = gh.sessionCodec().encode(SessionData.loggedIn(UserSeeder.uniquifier(i), now, false, now));
            list.add(Wrk.Request.get("/api/me", Map.of("Cookie", gh.sessionCookieName() + "=" + cookie,
                    "Accept", "application/json")));
        }
        return list;
    }

    /** JSON logins as a single-page app sends them: with the session cookie and CSRF token from GET /login. */
    private List<Wrk.Request> loginRequests(BenchApp app, int users) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/login"))
                .header("Accept", "application/json").GET().build());
        String csrf = JSON.readTree(r.body()).path("response").path("csrf_token").asString();
        String cookie = r.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .filter(c -> c.startsWith("session=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("GET /login set no session cookie"));
        List<Wrk.Request> list = new ArrayList<>();
        for (long i : sample(users)) {
            String body = "{\"email\":\"" + UserSeeder.email(i) + "\",\"password\":\"" + BenchApp.PASSWORD + "\"}";
            list.add(new Wrk.Request("POST", "/login", Map.of("Content-Type", "application/json",
                    "Accept", "application/json", "Cookie", cookie, "X-CSRF-Token", csrf), body));
        }
        return list;
    }

    /** Sends the first and the last request of a scenario; both must succeed. */
    private void check(Scenario s) {
        for (Wrk.Request w : List.of(s.requests().get(0), s.requests().get(s.requests().size() - 1))) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.app().baseUrl() + w.path()));
            w.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Host")) {
                    b.header(k, v);
                }
            });
            b.method(w.method(), w.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(w.body()));
            HttpResponse<String> r = send(b.build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(s.name() + " answered " + r.statusCode() + ": " + r.body());
            }
            if (w.path().equals("/api/me") && !r.body().contains("@bench.example")) {
                throw new IllegalStateException(s.name() + " answered without the user: " + r.body());
            }
        }
        out.printf("  %-48s 200%n", s.name());
    }

    private void checkPlans(BenchApp app, String url, int users) {
        Wrk.Request tokenReq = tokenRequests(app, users).get(0);
        Wrk.Request loginReq = loginRequests(app, users).get(0);
        List<QueryPlans.Plan> plans = QueryPlans.capture(url, () -> {
            check(new Scenario("  token", app, List.of(tokenReq), 1));
            check(new Scenario("  login", app, List.of(loginReq), 1));
        });
        boolean allIndexed = true;
        for (QueryPlans.Plan p : plans) {
            allIndexed &= p.indexed();
            out.printf("  %s users: %s  %s%n", users(users), p.indexed() ? "indexed " : "NOT INDEXED", accessOf(p.plan()));
        }
        if (plans.isEmpty() || !allIndexed) {
            throw new IllegalStateException("identity lookups must use an index; plans: " + plans);
        }
    }

    /** The {@code user} table's access comment of a plan, on one line. */
    private static String accessOf(String plan) {
        int table = plan.indexOf("\"user\"");
        int open = plan.indexOf("/*", table);
        int close = plan.indexOf("*/", open);
        return open < 0 || close < 0 ? plan.replaceAll("\\s+", " ") : plan.substring(open, close + 2).replaceAll("\\s+", " ");
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Argon2id verifications per second with {@code threads} threads, in this JVM, on the seeded hash. */
    static double hashRate(Gatehouse gh, int threads, int seconds) {
        PasswordHasher hasher = gh.passwords();
        String hash = gh.datastore().findUserByIdentity("email", UserSeeder.email(1)).orElseThrow().password();
        hasher.verify(BenchApp.PASSWORD, hash); // warm
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(() -> {
                while (!stop.get()) {
                    if (!hasher.verify(BenchApp.PASSWORD, hash).valid()) {
                        throw new IllegalStateException("seeded hash does not verify");
                    }
                    done.incrementAndGet();
                }
            });
            w.start();
            workers.add(w);
        }
        try {
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static String slug(Scenario s) {
        return s.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String millis(int ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private static String users(int n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + "M";
        }
        if (n >= 1000 && n % 1000 == 0) {
            return (n / 1000) + "k";
        }
        return String.valueOf(n);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static JsonNode json(String s) {
        return JSON.readTree(s);
    }
}

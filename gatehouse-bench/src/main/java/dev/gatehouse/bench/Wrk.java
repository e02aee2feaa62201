package dev.gatehouse.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code wrk} against a list of requests (sent round-robin, pre-formatted once per
 * wrk thread, so that every scenario costs the client the same) and reads its summary.
 */
final class Wrk {
    private static final String MARK = "GATEHOUSE_WRK";

    /** One HTTP request for wrk to send. */
    record Request(String method, String path, Map<String, String> headers, String body) {
        static Request get(String path, Map<String, String> headers) {
            return new Request("GET", path, headers, null);
        }
    }

    /**
     * What wrk measured (latencies in milliseconds), and the CPU time this JVM (the server) used
     * meanwhile: CPU per request depends much less than throughput on what else the machine runs.
     */
    record Result(double seconds, long requests, long socketErrors, long badStatus, double p50Ms, double p99Ms,
                  double serverCpuSeconds) {
        double rps() {
            return requests / seconds;
        }

        double serverCpuMicrosPerRequest() {
            return serverCpuSeconds * 1e6 / requests;
        }

        boolean clean() {
            return socketErrors == 0 && badStatus == 0;
        }
    }

    private final Path scripts;
    private final int threads;

    Wrk(Path scripts, int threads) {
        this.scripts = scripts;
        this.threads = threads;
    }

    /** Installs wrk with apt-get when it is missing (as root); fails with advice otherwise. */
    static void ensureInstalled(PrintStream log) {
        if (onPath("wrk")) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !onPath("apt-get")) {
            throw new IllegalStateException("wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu) and try again");
        }
        log.println("  wrk is missing: apt-get install -y wrk");
        if (exec(List.of("apt-get", "install", "-y", "wrk")) != 0
                && (exec(List.of("apt-get", "update")) != 0 || exec(List.of("apt-get", "install", "-y", "wrk")) != 0)) {
            throw new IllegalStateException("apt-get could not install wrk");
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int exec(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).inheritIO().redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start().waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The first line of {@code wrk -v}. */
    static String version() {
        try {
            Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("wrk").strip();
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    /** Drives {@code baseUrl} with {@code connections} connections for {@code seconds}. */
    Result run(String name, String baseUrl, List<Request> requests, int connections, int seconds) {
        Path script = scripts.resolve(name + ".lua");
        try {
            Files.createDirectories(scripts);
            Files.writeString(script, lua(requests));
            List<String> cmd = List.of("wrk", "-t" + Math.min(threads, connections), "-c" + connections, "-d" + seconds + "s",
                    "--timeout", "10s", "-s", script.toString(), baseUrl);
            long cpu0 = processCpuNanos();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk failed for " + name + ":\n" + out);
            }
            return parse(name, out, (processCpuNanos() - cpu0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Result parse(String name, String out, double cpuSeconds) {
        for (String line : out.split("\n")) {
            if (line.startsWith(MARK + " ")) {
                String[] f = line.substring(MARK.length() + 1).strip().split(" ");
                long[] v = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
                // duration us, requests, connect, read, write, status, timeout, p50 us, p99 us
                return new Result(v[0] / 1e6, v[1], v[2] + v[3] + v[4] + v[6], v[5], v[7] / 1e3, v[8] / 1e3, cpuSeconds);
            }
        }
        throw new IllegalStateException("no summary from wrk for " + name + ":\n" + out);
    }

    static String lua(List<Request> requests) {
        StringBuilder s = new StringBuilder("-- generated by gatehouse-bench\nlocal defs = {\n");
        for (Request r : requests) {
            s.append("  { ").append(str(r.method())).append(", ").append(str(r.path())).append(", {");
            r.headers().forEach((k, v) -> s.append(" [ ").append(str(k)).append(" ] = ").append(str(v)).append(","));
            s.append(" }, ").append(r.body() == null ? "nil" : str(r.body())).append(" },\n");
        }
        s.append("""
                }
                local reqs = {}
                local i = 0
                init = function(args)
                  for k, d in ipairs(defs) do
                    reqs[k] = wrk.format(d[1], d[2], d[3], d[4])
                  end
                  i = math.random(#reqs) - 1
                end
                request = function()
                  i = i + 1
                  if i > #reqs then i = 1 end
                  return reqs[i]
                end
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("%s %d %d %d %d %d %d %d %d %d\\n", "MARK", summary.duration, summary.requests,
                    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
                end
                """.replace("MARK", MARK));
        return s.toString();
    }

    /** A Lua long string: no escaping needed for tokens, cookies and JSON. */
    private static String str(String v) {
        if (v.contains("]==]")) {
            throw new IllegalArgumentException("unexpected text in a request: " + v);
        }
        return "[==[" + v + "]==]";
    }
}

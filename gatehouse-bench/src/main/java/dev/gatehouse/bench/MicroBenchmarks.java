package dev.gatehouse.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH micro-benchmarks ({@code dev.gatehouse.bench.micro}) and prints each product
 * benchmark next to its reference, with the ratio (time of the product path / time of the reference),
 * both from the same run.
 */
final class MicroBenchmarks {
    /** Product benchmark → its reference. */
    private static final Map<String, String> REFERENCES = new LinkedHashMap<>();

    static {
        REFERENCES.put("TokenBenchmarks.authTokensVerify", "TokenBenchmarks.hmacSha1Reference");
        REFERENCES.put("TokenBenchmarks.datastoreFindUserByUniquifier", "TokenBenchmarks.jdbcLookupReference");
        REFERENCES.put("TokenBenchmarks.gatehouseVerifyAuthToken", "TokenBenchmarks.hmacSha1Reference");
        REFERENCES.put("SessionBenchmarks.sessionCodecDecode", "SessionBenchmarks.aesGcmReference");
        REFERENCES.put("CsrfBenchmarks.csrfCheck", "CsrfBenchmarks.hmacSha1Reference");
        REFERENCES.put("CsrfBenchmarks.csrfCheckNewRequest", "CsrfBenchmarks.hmacSha1Reference");
        REFERENCES.put("GuardBenchmarks.guardAllowed", "GuardBenchmarks.roleLookupReference");
        REFERENCES.put("GuardBenchmarks.guardCheck", "GuardBenchmarks.roleLookupReference");
        REFERENCES.put("GuardBenchmarks.guardCheckNewRequest", "TokenBenchmarks.gatehouseVerifyAuthToken");
        REFERENCES.put("PasswordBenchmarks.argon2Verify", "PasswordBenchmarks.argon2CliOneCore");
        REFERENCES.put("PasswordBenchmarks.argon2BouncyCastle", "PasswordBenchmarks.argon2CliOneCore");
        REFERENCES.put("PasswordBenchmarks.argon2Cli", "PasswordBenchmarks.argon2CliOneCore");
        REFERENCES.put("PasswordBenchmarks.bcryptVerify", "PasswordBenchmarks.bcryptBouncyCastle");
        REFERENCES.put("PasswordBenchmarks.pbkdf2Sha512Verify", "PasswordBenchmarks.pbkdf2Jdk");
        REFERENCES.put("PasswordBenchmarks.sha512CryptVerify", "PasswordBenchmarks.sha512CryptCommonsCodec");
    }

    private MicroBenchmarks() {
    }

    /** Runs the benchmarks whose names match any of {@code includes} (all when empty). */
    static void run(List<String> includes, PrintStream out) throws RunnerException {
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String machine = String.format(Locale.ROOT, "%s; nproc %d; %s; Java %s; load average at start %s", started,
                Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), System.getProperty("java.version"),
                Machine.loadAverage());
        ChainedOptionsBuilder b = new OptionsBuilder().shouldFailOnError(true);
        if (includes.isEmpty()) {
            b.include("dev\\.gatehouse\\.bench\\.micro\\..*");
        } else {
            includes.forEach(b::include);
        }
        Collection<RunResult> results = new Runner(b.build()).run();

        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            byName.put(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1), r);
        }
        StringBuilder t = new StringBuilder();
        t.append("| benchmark | time/op | ± (99.9%) | reference | reference time/op | ratio |\n");
        t.append("|---|---:|---:|---|---:|---:|\n");
        for (Map.Entry<String, RunResult> e : byName.entrySet()) {
            RunResult r = e.getValue();
            String unit = r.getPrimaryResult().getScoreUnit();
            String ref = REFERENCES.get(e.getKey());
            RunResult rr = ref == null ? null : byName.get(ref);
            t.append(String.format(Locale.ROOT, "| %s | %s %s | %s | %s | %s | %s |%n", e.getKey(),
                    fmt(r.getPrimaryResult().getScore()), unit, fmt(r.getPrimaryResult().getScoreError()),
                    rr == null ? "" : ref.substring(ref.indexOf('.') + 1),
                    rr == null ? "" : fmt(rr.getPrimaryResult().getScore()) + " " + rr.getPrimaryResult().getScoreUnit(),
                    rr == null ? "" : String.format(Locale.ROOT, "%.2f", nanos(r) / nanos(rr))));
        }
        out.println();
        out.println(machine);
        out.println(t);
        Path report = Files.isDirectory(Path.of("gatehouse-bench")) ? Path.of("gatehouse-bench", "target", "micro-results.md")
                : Path.of("target", "micro-results.md");
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, machine + "\n\n" + t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("(also written to " + report + ")");
    }

    private static double nanos(RunResult r) {
        double s = r.getPrimaryResult().getScore();
        return switch (r.getPrimaryResult().getScoreUnit()) {
            case "ns/op" -> s;
            case "us/op" -> s * 1e3;
            case "ms/op" -> s * 1e6;
            case "s/op" -> s * 1e9;
            default -> Double.NaN;
        };
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }
}

package dev.gatehouse.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flight recording of CPU samples (JFR's {@code jdk.ExecutionSample}, every 10 ms per running
 * thread: a sampling profiler built into the JDK) and its summary: for the samples taken on
 * server threads, the share of each method in them, inclusive of what it calls.
 */
final class Profile {
    private static final String GUARD = "dev.gatehouse.web.Guard.check";
    private Profile() {
    }

    /** Starts recording CPU samples every {@code periodMs} ms. */
    static Recording start(int periodMs) {
        // (period 1 ms is JFR's finest; it samples a few running threads per period)
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(periodMs));
            // Jdbi writes an event per statement while any recording runs; that is not its normal cost.
            r.disable("jdbi.statement");
            r.start();
            return r;
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot start a flight recording", e);
        }
    }

    /**
     * Prints, among samples whose thread ran Jetty's request handling, the inclusive share of the
     * methods that matter: the whole request, Gatehouse's filter, and the named parts of the token path.
     */
    static void summarize(Path jfr, List<String> focus, int top, PrintStream out) throws IOException {
        summarize(jfr, t -> t.startsWith("JettyServerThreadPool") || t.startsWith("qtp"), "Jetty's request threads", focus, top, out);
    }

    /** The same over the samples of the threads whose names {@code threads} accepts. */
    static void summarize(Path jfr, java.util.function.Predicate<String> threads, String threadsName, List<String> focus,
                          int top, PrintStream out) throws IOException {
        long total = 0;
        long truncated = 0;
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> underGuard = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            // Javalin names Jetty's request threads JettyServerThreadPool-N (plain Jetty: qtp…-N).
            String thread = e.getThread("sampledThread") == null ? "" : e.getThread("sampledThread").getJavaName();
            if (thread == null || !threads.test(thread)) {
                continue;
            }
            total++;
            if (st.isTruncated()) {
                truncated++;
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
            }
            self.merge(name(frames.get(0)), 1L, Long::sum);
            // Frames run on behalf of the guard's authentication (frames.get(0) is the leaf).
            int guard = -1;
            for (int i = frames.size() - 1; i >= 0; i--) {
                if (name(frames.get(i)).equals(GUARD)) {
                    guard = i;
                    break;
                }
            }
            Set<String> below = new HashSet<>();
            for (int i = 0; i < guard; i++) {
                String n = name(frames.get(i));
                if (below.add(n)) {
                    underGuard.merge(n, 1L, Long::sum);
                }
            }
        }
        out.printf(Locale.ROOT, "%,d CPU samples on %s%s%n", total, threadsName, truncated == 0 ? ""
                : String.format(Locale.ROOT, " (%d%% with stacks cut at the JFR depth: run java with "
                        + "-XX:FlightRecorderOptions:stackdepth=512 for exact inclusive shares)", 100 * truncated / total));
        if (total == 0) {
            return;
        }
        out.println("Inclusive share of the request's CPU time:");
        for (String f : focus) {
            long n = inclusive.entrySet().stream().filter(x -> x.getKey().equals(f) || x.getKey().startsWith(f + "("))
                    .mapToLong(Map.Entry::getValue).max().orElse(0);
            out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * n / total, f);
        }
        long t = total;
        out.printf("Inside %s (authentication and the user lookup), top %d by inclusive share of the request:%n",
                GUARD, top);
        underGuard.entrySet().stream()
                .filter(x -> !x.getKey().contains("$$Lambda") && !x.getKey().contains(".lambda$")
                        && !x.getKey().startsWith("java.util.Optional") && !x.getKey().startsWith("java.util.HashMap.compute"))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(x -> out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / t, x.getKey()));
        out.printf("Top %d methods by own (self) time, whole request:%n", top);
        self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(x -> out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / t, x.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}

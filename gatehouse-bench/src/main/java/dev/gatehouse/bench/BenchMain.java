package dev.gatehouse.bench;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar gatehouse-bench/target/gatehouse-bench.jar <command>}:
 * <ul>
 *   <li>{@code load [--quick] [--large-users=N] [--rounds=N] …}: the wrk load benchmark, one table;</li>
 *   <li>{@code micro [regex…]}: the JMH micro-benchmarks with their references and ratios;</li>
 *   <li>{@code jmh …}: JMH's own command line (e.g. {@code jmh TokenBenchmarks -prof stack});</li>
 *   <li>{@code serve [users]}: the bench app on a free port, for poking at it by hand.</li>
 * </ul>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (command) {
            case "load" -> new LoadBenchmark(LoadBenchmark.Options.parse(rest), System.out).run();
            case "micro" -> MicroBenchmarks.run(rest, System.out);
            case "profile" -> Profile.summarize(java.nio.file.Path.of(rest.get(0)),
                    t -> rest.size() < 2 || t.contains(rest.get(1)), rest.size() < 2 ? "all threads" : rest.get(1) + " threads",
                    LoadBenchmark.PROFILE_FOCUS, 40, System.out);
            case "seed" -> {
                for (String n : rest.isEmpty() ? List.of("1000", "1000000") : rest) {
                    UserSeeder.ensure(LoadBenchmark.Options.parse(List.of()).dataDir(), Integer.parseInt(n), System.out);
                }
            }
            case "hashrate" -> {
                try (BenchApp app = BenchApp.start(UserSeeder.ensure(LoadBenchmark.Options.parse(List.of()).dataDir(), 1000,
                        System.out))) {
                    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                            .getOperatingSystemMXBean();
                    var gcs = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
                    for (String t : rest.isEmpty() ? List.of("1", "2", "4") : rest) {
                        long cpu0 = os.getProcessCpuTime();
                        long gc0 = gcs.stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
                        long t0 = System.nanoTime();
                        double rate = LoadBenchmark.hashRate(app.gatehouse(), Integer.parseInt(t), 5);
                        double hashes = rate * (System.nanoTime() - t0) / 1e9;
                        long gc = gcs.stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum() - gc0;
                        System.out.printf("%s threads: %.1f argon2id verifications/s, %.0f ms CPU each, GC pauses %d ms in all%n",
                                t, rate, (os.getProcessCpuTime() - cpu0) / 1e6 / hashes, gc);
                    }
                }
            }
            case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            case "serve" -> {
                LoadBenchmark.Options o = LoadBenchmark.Options.parse(List.of());
                int users = rest.isEmpty() ? 1000 : Integer.parseInt(rest.get(0));
                BenchApp app = BenchApp.start(UserSeeder.ensure(o.dataDir(), users, System.out));
                System.out.println("bench app on " + app.baseUrl() + " (" + users + " users, password "
                        + BenchApp.PASSWORD + ", e.g. " + UserSeeder.email(1) + "); Ctrl-C to stop");
                Runtime.getRuntime().addShutdownHook(new Thread(app::close));
                Thread.currentThread().join();
            }
            default -> {
                System.out.println("""
                        usage: java -jar gatehouse-bench/target/gatehouse-bench.jar <command>
                          load [--quick] [--large-users=1000000] [--users=1000] [--rounds=3] [--duration=5]
                               [--warmup=10] [--login-duration=10] [--connections=16] [--login-connections=2*nproc]
                               [--wrk-threads=1] [--user-cache=1000 (ms; 0: no cache experiment)] [--profile] [--time-lookups]
                               [--data=gatehouse-bench/target/bench-data]
                                         wrk load benchmark: one table with ratios to the bare baseline
                          micro [regex…] JMH micro-benchmarks next to their references, with ratios
                          jmh [JMH options]  JMH's own command line, e.g. jmh TokenBenchmarks -prof stack
                          seed [users…]  create the H2 databases of N users (default 1000 and 1000000) if missing
                          hashrate [threads…]  argon2id verifications per second in this JVM
                          serve [users]  the bench app on a free port
                          profile <file.jfr> [thread-name-part]  CPU samples of a flight recording, by method""");
                if (!command.equals("help")) {
                    System.exit(2);
                }
                return;
            }
        }
        System.exit(0);
    }
}

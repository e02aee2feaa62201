package dev.gatehouse.bench;

import dev.gatehouse.account.UserDatastore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.LongAdder;

/**
 * A diagnostic ({@code load --time-lookups}): the wall and thread CPU time of each
 * {@code findUserByUniquifier} inside the running server, where caches, the connection pool and
 * other threads make it dearer than in a single-threaded JMH loop. Reading the thread CPU clock
 * adds about a microsecond to each call.
 */
final class TimedLookups {
    static final LongAdder CALLS = new LongAdder();
    static final LongAdder WALL = new LongAdder();
    static final LongAdder CPU = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TimedLookups() {
    }

    static void reset() {
        CALLS.reset();
        WALL.reset();
        CPU.reset();
    }

    static long calls() {
        return CALLS.sum();
    }

    static String summary() {
        long n = Math.max(1, CALLS.sum());
        return String.format("lookups %d: wall %.1f us, thread CPU %.1f us per call", CALLS.sum(), WALL.sum() / 1e3 / n,
                CPU.sum() / 1e3 / n);
    }

    static UserDatastore wrap(UserDatastore datastore) {
        return (UserDatastore) Proxy.newProxyInstance(UserDatastore.class.getClassLoader(), new Class<?>[] {UserDatastore.class},
                (proxy, method, args) -> {
                    boolean timed = method.getName().equals("findUserByUniquifier");
                    long c0 = timed ? THREADS.getCurrentThreadCpuTime() : 0;
                    long w0 = System.nanoTime();
                    try {
                        return method.invoke(datastore, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (timed) {
                            WALL.add(System.nanoTime() - w0);
                            CPU.add(THREADS.getCurrentThreadCpuTime() - c0);
                            CALLS.increment();
                        }
                    }
                });
    }
}

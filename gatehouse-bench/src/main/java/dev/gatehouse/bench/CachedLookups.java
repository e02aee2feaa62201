package dev.gatehouse.bench;

import dev.gatehouse.account.UserDatastore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bench-only experiment, not a product feature: a datastore whose {@code findUserByUniquifier}
 * answers from memory for {@code ttl} (any write through it empties the memory). It shows how close
 * to the bare baseline token and session requests get once the per-request user lookup is gone,
 * and what such a cache would buy. The price is that a change made elsewhere (another node, the
 * database directly) is seen up to {@code ttl} later: deactivating a user or rotating their
 * {@code fs_uniquifier} would take that long to log them out.
 */
final class CachedLookups {
    private static final Set<String> READS = Set.of("findUserByIdentity", "findUserByUniquifier", "findUserById",
            "findRole", "reload", "inTransaction", "toString", "hashCode", "equals");

    private record Entry(Object value, long at) {
    }

    private CachedLookups() {
    }

    static UserDatastore wrap(UserDatastore datastore, Duration ttl) {
        long ttlNanos = ttl.toNanos();
        Map<Object, Entry> cache = new ConcurrentHashMap<>();
        return (UserDatastore) Proxy.newProxyInstance(UserDatastore.class.getClassLoader(), new Class<?>[] {UserDatastore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findUserByUniquifier") && args != null && args[0] != null) {
                        long now = System.nanoTime();
                        Entry e = cache.get(args[0]);
                        if (e != null && now - e.at() < ttlNanos) {
                            return e.value();
                        }
                        Object value = call(datastore, method, args);
                        cache.put(args[0], new Entry(value, now));
                        return value;
                    }
                    if (!READS.contains(method.getName())) {
                        cache.clear();
                    }
                    return call(datastore, method, args);
                });
    }

    private static Object call(UserDatastore target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SessionCodecTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static SessionCodec codec(String... keys) {
        return new SessionCodec(List.of(keys), Duration.ofDays(31), new SecureRandom());
    }

    private static SessionData session(String uid) {
        return new SessionData(uid, NOW.minusSeconds(5), null, "csrf-" + uid, true, NOW, Map.of("tf", "pending"));
    }

    @Test
    void decodesWhatItEncodes() {
        SessionCodec codec = codec("k1");
        SessionData s = session("u1");
        assertThat(codec.decode(codec.encode(s), NOW)).contains(s);
    }

    /** The cipher kept per thread is initialised afresh for every cookie, whatever the last one did. */
    @Test
    void aRefusedCookieDoesNotSpoilTheNextDecode() {
        SessionCodec codec = codec("k1");
        String good = codec.encode(session("u1"));
        char[] bad = good.toCharArray();
        bad[bad.length - 3] = bad[bad.length - 3] == 'A' ? 'B' : 'A';
        String forged = codec("other").encode(session("u2"));
        for (int i = 0; i < 3; i++) {
            assertThat(codec.decode(new String(bad), NOW)).isEmpty();
            assertThat(codec.decode(forged, NOW)).isEmpty();
            assertThat(codec.decode(good, NOW)).contains(session("u1"));
        }
    }

    @Test
    void readsCookiesOfEveryKeyAndWritesWithTheFirst() {
        SessionCodec old = codec("old");
        SessionCodec rotated = codec("new", "old");
        String before = old.encode(session("u1"));
        assertThat(rotated.decode(before, NOW)).contains(session("u1"));
        String after = rotated.encode(session("u2"));
        assertThat(old.decode(after, NOW)).isEmpty();
        assertThat(codec("new").decode(after, NOW)).contains(session("u2"));
    }

    @Test
    void decodesConcurrently() throws Exception {
        SessionCodec codec = codec("k2", "k1");
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cookies.add((i % 2 == 0 ? codec : codec("k1")).encode(session("u" + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < cookies.size(); i++) {
                            Optional<SessionData> s = codec.decode(cookies.get(i), NOW);
                            if (s.isEmpty() || !s.get().uid().equals("u" + i)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

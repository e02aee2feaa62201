package dev.gatehouse.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.password.BreachedPasswords;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Pwned Passwords range API on a free loopback port, for tests of the
 * breached-password check without the internet: {@code GET /range/<5 hex digits>} answers the
 * {@code SUFFIX:COUNT} lines of the passwords {@linkplain #breach added}, with a padding line of
 * count 0 as the real service sends. Point the app at it with {@link #settings()}
 * ({@code GATEHOUSE_PASSWORD_BREACHED_URL}); {@link #failWith} makes it answer an error status.
 *
 * <pre>{@code
 * try (BreachedPasswordsServer pwned = BreachedPasswordsServer.start()) {
 *     pwned.breach("Summer-2019!", 42);
 *     config.putAll(pwned.settings());
 * }
 * }</pre>
 */
public final class BreachedPasswordsServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final List<String> prefixes = new CopyOnWriteArrayList<>();
    private volatile int failureStatus;

    private BreachedPasswordsServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static BreachedPasswordsServer start() {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BreachedPasswordsServer s = new BreachedPasswordsServer(http);
        http.createContext("/range/", exchange -> {
            String prefix = exchange.getRequestURI().getPath().substring("/range/".length());
            s.prefixes.add(prefix);
            int status = s.failureStatus;
            StringBuilder body = new StringBuilder();
            if (status == 0) {
                status = 200;
                body.append("00000000000000000000000000000000000:0\r\n");
                s.counts.forEach((hash, count) -> {
                    if (hash.startsWith(prefix.toUpperCase(java.util.Locale.ROOT))) {
                        body.append(hash.substring(5)).append(':').append(count).append("\r\n");
                    }
                });
            } else {
                body.append("unavailable");
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
        return s;
    }

    /** The range endpoint, ending in {@code /range/}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/range/";
    }

    /** {@code GATEHOUSE_PASSWORD_BREACHED_URL} for this server. */
    public Map<String, String> settings() {
        return Map.of("GATEHOUSE_PASSWORD_BREACHED_URL", url());
    }

    /** Lists a password (as it will be hashed: normalized) as seen {@code count} times. */
    public BreachedPasswordsServer breach(String password, int count) {
        counts.put(BreachedPasswords.sha1Hex(password), count);
        return this;
    }

    /** Answers every request with this HTTP status from now on; 0 answers normally again. */
    public void failWith(int status) {
        failureStatus = status;
    }

    /** The hash prefixes asked for so far, oldest first. */
    public List<String> prefixesAsked() {
        return List.copyOf(prefixes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

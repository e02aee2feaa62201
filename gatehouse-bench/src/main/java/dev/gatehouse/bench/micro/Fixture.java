package dev.gatehouse.bench.micro;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.GatehouseConfig;
import dev.gatehouse.account.CreateResult;
import dev.gatehouse.account.Role;
import dev.gatehouse.account.Uniquifiers;
import dev.gatehouse.account.User;
import dev.gatehouse.jdbc.JdbcUserDatastore;
import dev.gatehouse.web.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A Gatehouse instance over an in-memory H2 database holding {@link #USERS} users (one of them, the
 * benchmarks' user, with the role {@code admin}), with Flask-Security's defaults.
 */
final class Fixture implements AutoCloseable {
    static final String SECRET_KEY = "gatehouse-micro-secret-key-0123456789abcdef";
    static final String PASSWORD_SALT = "gatehouse-micro-password-salt";
    /** Lookups go through unique indexes, so a few hundred rows behave like many; the load benchmark has 1M. */
    static final int USERS = 200;

    final String url = "jdbc:h2:mem:micro-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    final JdbcUserDatastore datastore;
    final Gatehouse gatehouse;
    final User user;

    Fixture() {
        datastore = JdbcUserDatastore.forUrl(url, null, null);
        gatehouse = Gatehouse.builder(GatehouseConfig.fromMap(Map.of("SECRET_KEY", SECRET_KEY,
                "SECURITY_PASSWORD_SALT", PASSWORD_SALT)), datastore).build();
        datastore.findOrCreateRole(Role.of("admin", "Administrator", Set.of()));
        User created = null;
        for (int i = 0; i < USERS; i++) {
            // A real hash is not needed to look users up; plaintext keeps the setup fast.
            User u = User.builder("user" + i + "@micro.example", Uniquifiers.newUniquifier()).password("x").build();
            if (datastore.createUser(u) instanceof CreateResult.Created c && i == USERS / 2) {
                datastore.addRoleToUser(c.user(), "admin");
                created = c.user();
            }
        }
        user = datastore.reload(created);
    }

    /** The signed part of an itsdangerous token (everything before the last dot). */
    static byte[] signedPart(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    /** The signature of an itsdangerous token, as sent. */
    static byte[] signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1).getBytes(StandardCharsets.US_ASCII);
    }

    /** itsdangerous' django-concat key: SHA1(salt + "signer" + secret). */
    static byte[] derivedKey(String salt) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(salt.getBytes(StandardCharsets.UTF_8));
            sha1.update("signer".getBytes(StandardCharsets.US_ASCII));
            sha1.update(SECRET_KEY.getBytes(StandardCharsets.UTF_8));
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        datastore.close();
    }

    /** An in-memory request. */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> cookies)
            implements HttpRequest {
        @Override
        public Optional<String> header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return Optional.of(e.getValue());
                }
            }
            return Optional.empty();
        }

        @Override
        public List<String> queryParams(String name) {
            return List.of();
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.ofNullable(cookies.get(name));
        }

        @Override
        public byte[] body(int maxBytes) {
            return new byte[0];
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1";
        }

        @Override
        public boolean secure() {
            return false;
        }
    }

    static Instant now() {
        return Instant.now();
    }
}

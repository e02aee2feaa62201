package dev.gatehouse.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns {@link SessionData} into a cookie value and back: JSON, encrypted and authenticated with
 * AES-256-GCM under a key derived from {@code SECRET_KEY}, so any node with the same secret can
 * read it and nobody else can read or forge it. Nothing is kept in server memory.
 *
 * <p>Values are written with the first (current) key and read with every key, so
 * {@code SECRET_KEY_FALLBACKS} keeps sessions alive across a key rotation.
 */
public final class SessionCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final List<SecretKeySpec> keys;
    private final SecureRandom random;
    private final Duration maxLifetime;
    // Cookies are decoded on every request: a cipher per thread, re-initialised for each cookie,
    // saves the provider lookup and, with the same key, the AES key schedule (half of a decode).
    private final ThreadLocal<Cipher> decryptors = ThreadLocal.withInitial(SessionCodec::newCipher);

    /**
     * @param secretKeys  the current secret first, then fallbacks
     * @param maxLifetime sessions older than this are refused however they are signed
     * @param random      source of nonces
     */
    public SessionCodec(List<String> secretKeys, Duration maxLifetime, SecureRandom random) {
        List<SecretKeySpec> k = new ArrayList<>();
        for (String s : secretKeys) {
            k.add(new SecretKeySpec(derive(s), "AES"));
        }
        this.keys = List.copyOf(k);
        this.maxLifetime = maxLifetime;
        this.random = random;
    }

    private static byte[] derive(String secret) {
        try {
            // A distinct key per purpose: the session key never equals a signing key derived elsewhere.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("gatehouse.session.v1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cookie value for a session. */
    public String encode(SessionData s) {
        ObjectNode o = JSON.createObjectNode();
        if (s.uid() != null) {
            o.put("uid", s.uid());
        }
        if (s.paa() != null) {
            o.put("paa", micros(s.paa()));
        }
        if (s.graceEnd() != null) {
            o.put("gexp", micros(s.graceEnd()));
        }
        if (s.csrf() != null) {
            o.put("csrf", s.csrf());
        }
        if (s.remember()) {
            o.put("rem", true);
        }
        o.put("iat", s.issuedAt().getEpochSecond());
        if (!s.extra().isEmpty()) {
            ObjectNode x = o.putObject("x");
            s.extra().forEach(x::put);
        }
        byte[] plain = JSON.writeValueAsBytes(o);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(128, nonce));
            c.updateAAD(new byte[] {VERSION});
            byte[] ct = c.doFinal(plain);
            ByteBuffer buf = ByteBuffer.allocate(1 + NONCE_BYTES + ct.length);
            buf.put(VERSION).put(nonce).put(ct);
            return B64.encodeToString(buf.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session in a cookie value; empty for anything forged, damaged, too old or unreadable. */
    public Optional<SessionData> decode(String value, Instant now) {
        byte[] raw;
        try {
            raw = B64D.decode(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < 1 + NONCE_BYTES + 16 || raw[0] != VERSION) {
            return Optional.empty();
        }
        for (SecretKeySpec key : keys) {
            try {
                Cipher c = decryptors.get();
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 1, NONCE_BYTES));
                c.updateAAD(new byte[] {VERSION});
                byte[] plain = c.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
                return parse(plain, now);
            } catch (GeneralSecurityException e) {
                // wrong key or tampered: try the next key
            }
        }
        return Optional.empty();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<SessionData> parse(byte[] plain, Instant now) {
        try {
            JsonNode o = JSON.readTree(plain);
            Instant iat = Instant.ofEpochSecond(o.path("iat").asLong(0));
            if (iat.plus(maxLifetime).isBefore(now)) {
                return Optional.empty();
            }
            Map<String, String> extra = new LinkedHashMap<>();
            JsonNode x = o.get("x");
            if (x != null) {
                x.properties().forEach(e -> extra.put(e.getKey(), e.getValue().asString()));
            }
            return Optional.of(new SessionData(text(o, "uid"), instant(o, "paa"), instant(o, "gexp"), text(o, "csrf"),
                    o.path("rem").asBoolean(false), iat, extra));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static Instant instant(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        long us = v.asLong();
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || !v.isString() ? null : v.asString();
    }
}

package dev.gatehouse.token;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import tools.jackson.databind.JsonNode;

/** itsdangerous' URL-safe payload: JSON, zlib-compressed when worth it (leading '.'), base64url. */
final class Payloads {
    /** A signed payload never legitimately inflates beyond this; larger is refused, not allocated. */
    static final int MAX_INFLATED_BYTES = 1 << 20;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private Payloads() {
    }

    static String encode(JsonNode payload, PythonJson.Style style) {
        byte[] json = PythonJson.write(payload, style).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = deflate(json);
        if (compressed.length < json.length - 1) {
            return "." + B64.encodeToString(compressed);
        }
        return B64.encodeToString(json);
    }

    /** The payload, or {@code null} when the text is not a well-formed payload. */
    static JsonNode decode(String part) {
        boolean compressed = part.startsWith(".");
        byte[] data = base64(compressed ? part.substring(1) : part);
        if (data == null) {
            return null;
        }
        if (compressed) {
            data = inflate(data);
            if (data == null) {
                return null;
            }
        }
        return PythonJson.read(data);
    }

    /** Strict base64url without padding; {@code null} when malformed. */
    static byte[] base64(String s) {
        if (s.indexOf('=') >= 0 || s.length() % 4 == 1) {
            return null;
        }
        try {
            return B64_DECODE.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String base64(byte[] b) {
        return B64.encodeToString(b);
    }

    private static byte[] deflate(byte[] input) {
        // Default level (6) and strategy, zlib wrapper: the bytes Python's zlib.compress(data) writes.
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
            byte[] buf = new byte[512];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] input) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 3 + 16);
            byte[] buf = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // truncated stream, or one that wants a preset dictionary
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}

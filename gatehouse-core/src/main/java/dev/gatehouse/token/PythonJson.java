package dev.gatehouse.token;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON text exactly as Python's {@code json.dumps} writes it, so that a payload we sign is
 * byte-identical to the one Flask-Security would sign, and reading as leniently as
 * {@code json.loads} does.
 */
final class PythonJson {

    /** The two flavours we meet: itsdangerous' compact JSON, and Flask's session JSON. */
    enum Style {
        /** itsdangerous {@code _CompactJSON}: insertion order, non-ASCII written as is. */
        ITSDANGEROUS(false, false),
        /** Flask's session serializer: keys sorted, non-ASCII escaped. */
        FLASK_SESSION(true, true);

        final boolean sortKeys;
        final boolean ensureAscii;

        Style(boolean sortKeys, boolean ensureAscii) {
            this.sortKeys = sortKeys;
            this.ensureAscii = ensureAscii;
        }
    }

    static final JsonMapper MAPPER = JsonMapper.builder()
            // json.loads accepts NaN / Infinity / -Infinity, and so must we to read what Python signed.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {
    }

    /** Parses strict UTF-8 JSON; {@code null} when it is not. */
    static JsonNode read(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (text.isEmpty() || text.charAt(0) == '\uFEFF') {
            return null; // json.loads refuses a BOM
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Converts a Java value (record, map, list, string, number, node) to a tree. */
    static JsonNode toTree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        return MAPPER.valueToTree(value);
    }

    static String write(JsonNode node, Style style) {
        StringBuilder out = new StringBuilder(128);
        write(node, style, out);
        return out.toString();
    }

    private static void write(JsonNode node, Style style, StringBuilder out) {
        switch (node.getNodeType()) {
            case NULL -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case STRING -> string(node.stringValue(), style.ensureAscii, out);
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    out.append(node.bigIntegerValue().toString());
                } else {
                    out.append(pythonFloat(node.doubleValue()));
                }
            }
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, style, out);
                }
                out.append(']');
            }
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
                if (style.sortKeys) {
                    // Python sorts str by code point, not by UTF-16 unit.
                    entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : entries) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(e.getKey(), style.ensureAscii, out);
                    out.append(':');
                    write(e.getValue(), style, out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("cannot sign a JSON node of type " + node.getNodeType());
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void string(String s, boolean ensureAscii, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean escape;
                    if (c < 0x20) {
                        escape = true;
                    } else if (ensureAscii) {
                        escape = c > 0x7e;
                    } else if (Character.isSurrogate(c)) {
                        // A lone surrogate cannot be UTF-8 encoded (Python would fail); a pair is written as is.
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1));
                        if (paired) {
                            out.append(c).append(s.charAt(++i));
                            continue;
                        }
                        escape = true;
                    } else {
                        escape = false;
                    }
                    if (escape) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code repr(float)} of CPython: shortest round-trip digits, exponent form outside 1e-4..1e16. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(NumberOutput.toString(d, true)).stripTrailingZeros();
        if (shortest.precision() == 2) {
            // Java's algorithm never renders fewer than two digits; Python uses one when it round-trips.
            BigDecimal one = new BigDecimal(d).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (one.doubleValue() == d) {
                shortest = one.stripTrailingZeros();
            }
        }
        String digits = shortest.unscaledValue().abs().toString();
        int n = digits.length();
        int decpt = n - shortest.scale(); // value = 0.<digits> * 10^decpt
        StringBuilder out = new StringBuilder(32);
        if (d < 0) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= n) {
                out.append(digits).append("0".repeat(decpt - n)).append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
            }
        } else {
            out.append(digits.charAt(0));
            if (n > 1) {
                out.append('.').append(digits, 1, n);
            }
            int exp = decpt - 1;
            out.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}

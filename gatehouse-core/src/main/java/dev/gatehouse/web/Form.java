package dev.gatehouse.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields a client submitted, from a JSON object or an urlencoded form. JSON values that are
 * not strings where a string is expected (objects, arrays, numbers, booleans) are reported by
 * {@link #string} as {@link FieldValue.NotAString}, which endpoints answer with Flask-Security's
 * {@code API_ERROR} on that field instead of failing.
 */
public final class Form {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, JsonNode> json;
    private final Map<String, String> fields;
    private final Map<String, List<String>> repeated;
    private final boolean fromJson;

    private Form(Map<String, JsonNode> json, Map<String, List<String>> repeated, boolean fromJson) {
        this.json = json;
        this.repeated = repeated;
        Map<String, String> first = new LinkedHashMap<>();
        repeated.forEach((k, v) -> first.put(k, v.get(0)));
        this.fields = first;
        this.fromJson = fromJson;
    }

    /** An empty form. */
    public static Form empty(boolean fromJson) {
        return new Form(Map.of(), Map.of(), fromJson);
    }

    /**
     * Parses a JSON body; it must be one JSON object.
     *
     * @throws MalformedBodyException for bad UTF-8, bad JSON or a non-object body
     */
    public static Form fromJson(byte[] body) throws MalformedBodyException {
        if (body.length == 0) {
            return empty(true);
        }
        String text = utf8(body);
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedBodyException("malformed JSON");
        }
        if (node == null || node.isMissingNode()) {
            return empty(true);
        }
        if (!node.isObject()) {
            throw new MalformedBodyException("the JSON body must be an object");
        }
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            m.put(e.getKey(), e.getValue());
        }
        return new Form(m, Map.of(), true);
    }

    /**
     * Parses an {@code application/x-www-form-urlencoded} body: {@link #string} gives the first
     * value of a name, {@link #stringList} all of them.
     */
    public static Form fromUrlEncoded(byte[] body) throws MalformedBodyException {
        return new Form(Map.of(), UrlEncoded.parse(utf8(body)), false);
    }

    private static String utf8(byte[] body) throws MalformedBodyException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBodyException("the body is not UTF-8");
        }
    }

    /** Whether the fields came from a JSON body. */
    public boolean isJson() {
        return fromJson;
    }

    /** Whether the field was sent at all. */
    public boolean has(String name) {
        return json.containsKey(name) || fields.containsKey(name);
    }

    /**
     * A field that must be a string: {@link FieldValue.Missing} when absent or JSON null,
     * {@link FieldValue.NotAString} for any other JSON type.
     */
    public FieldValue string(String name) {
        if (!fromJson) {
            String v = fields.get(name);
            return v == null ? FieldValue.Missing.INSTANCE : new FieldValue.Text(v);
        }
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return FieldValue.Missing.INSTANCE;
        }
        return v.isString() ? new FieldValue.Text(v.asString()) : FieldValue.NotAString.INSTANCE;
    }

    /** A field that may be a string or a whole number (codes): numbers are returned as their text. */
    public FieldValue code(String name) {
        if (fromJson && json.get(name) != null && json.get(name).isIntegralNumber()) {
            return new FieldValue.Text(json.get(name).asString());
        }
        return string(name);
    }

    /**
     * A boolean field as Flask-Security reads it: JSON true/false, or the strings {@code true},
     * {@code y}, {@code yes}, {@code on}, {@code 1} (case-insensitive). Empty when absent.
     */
    public Optional<Boolean> bool(String name) {
        if (fromJson) {
            JsonNode v = json.get(name);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (v.isBoolean()) {
                return Optional.of(v.asBoolean());
            }
            if (v.isNumber()) {
                return Optional.of(v.asInt() != 0);
            }
            return v.isString() ? Optional.of(truthy(v.asString())) : Optional.of(false);
        }
        String v = fields.get(name);
        return v == null ? Optional.empty() : Optional.of(truthy(v));
    }

    private static boolean truthy(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "t", "y", "yes", "on", "1" -> true;
            default -> false;
        };
    }

    /**
     * A field that may hold several strings (checkboxes, multi-selects): a JSON array of strings
     * or a single string, or every value of a repeated form field. Absent gives an empty list;
     * empty means a JSON value of another shape (answer {@code API_ERROR}).
     */
    public Optional<List<String>> stringList(String name) {
        if (!fromJson) {
            return Optional.of(repeated.getOrDefault(name, List.of()));
        }
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return Optional.of(List.of());
        }
        if (v.isString()) {
            return Optional.of(List.of(v.asString()));
        }
        if (!v.isArray()) {
            return Optional.empty();
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isString()) {
                return Optional.empty();
            }
            out.add(e.asString());
        }
        return Optional.of(List.copyOf(out));
    }

    /** Every field name with its string value, skipping non-string JSON values. */
    public Map<String, String> strings() {
        Map<String, String> out = new LinkedHashMap<>(fields);
        json.forEach((k, v) -> {
            if (v.isString()) {
                out.put(k, v.asString());
            }
        });
        return out;
    }

    /** The value of a form field as the endpoint sees it. */
    public sealed interface FieldValue {
        /** The field was not sent (or was JSON null). */
        enum Missing implements FieldValue { INSTANCE }

        /** A JSON value that is not a string. */
        enum NotAString implements FieldValue { INSTANCE }

        /** A string value, possibly empty. */
        record Text(String value) implements FieldValue {
        }

        /** The text, or null unless this is {@link Text}. */
        default String textOrNull() {
            return this instanceof Text t ? t.value() : null;
        }
    }

    /** The body cannot be read as the content type says. */
    public static final class MalformedBodyException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with a reason safe to show to the client. */
        public MalformedBodyException(String reason) {
            super(reason, null, false, false);
        }
    }
}

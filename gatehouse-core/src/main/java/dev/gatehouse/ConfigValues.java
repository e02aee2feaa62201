package dev.gatehouse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parsers for the text forms that configuration values take in an environment or a map. */
final class ConfigValues {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Flask-Security's legacy "<n> <unit>" strings, e.g. "5 days" or "30 minutes".
    private static final Pattern LEGACY_DURATION = Pattern.compile(
            "(\\d+)\\s*(seconds?|minutes?|hours?|days?|weeks?)", Pattern.CASE_INSENSITIVE);

    private ConfigValues() {
    }

    static Boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        };
    }

    static Integer integer(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
        }
    }

    static String string(String s) {
        return s;
    }

    /** Plain seconds ({@code 3600}, {@code 0.5} not allowed), ISO-8601 ({@code PT1H}) or {@code "2 days"}. */
    static Duration duration(String s) {
        if (s.matches("-?\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P") || s.startsWith("-P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: '" + s + "'");
            }
        }
        Matcher m = LEGACY_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit.charAt(0)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        throw new IllegalArgumentException("expected seconds or an ISO-8601 duration such as PT15M, got '" + s + "'");
    }

    /** A JSON array of strings, or a comma-separated string; blank means empty. */
    static List<String> list(String s) {
        if (s.isBlank()) {
            return List.of();
        }
        if (s.startsWith("[") || s.startsWith("(")) {
            String json = s.startsWith("(") ? "[" + s.substring(1, s.length() - 1) + "]" : s;
            JsonNode node = readJson(json);
            List<String> out = new ArrayList<>();
            for (JsonNode e : node) {
                if (!e.isString()) {
                    throw new IllegalArgumentException("list elements must be strings: " + s);
                }
                out.add(e.asString());
            }
            return List.copyOf(out);
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /** A JSON object whose values are strings, numbers or booleans (kept as their text). */
    static Map<String, String> map(String s) {
        JsonNode node = readJson(s);
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got '" + s + "'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isContainer()) {
                throw new IllegalArgumentException("values must be strings, numbers or booleans: " + e.getKey());
            }
            out.put(e.getKey(), v.isNull() ? null : v.asString());
        }
        return Collections.unmodifiableMap(out);
    }

    private static JsonNode readJson(String s) {
        try {
            return JSON.readTree(s);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
    }
}

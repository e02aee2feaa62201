package dev.gatehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code SECURITY_USER_IDENTITY_ATTRIBUTES}: either plain names ({@code email,username} or a
 * JSON array of strings) or Flask-Security's form, a JSON array of single-key objects
 * ({@code [{"email": {"case_insensitive": true}}]}). Only {@code email} and {@code username} exist.
 */
final class IdentityAttributesParser {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IdentityAttributesParser() {
    }

    static List<String> parse(String s) {
        List<String> names = new ArrayList<>();
        if (s.startsWith("[") && s.contains("{")) {
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed JSON");
            }
            for (JsonNode e : node) {
                if (!e.isObject() || e.size() != 1) {
                    throw new IllegalArgumentException("each entry must be an object with one attribute name");
                }
                for (Map.Entry<String, JsonNode> p : e.properties()) {
                    names.add(p.getKey());
                }
            }
        } else {
            names.addAll(ConfigValues.list(s));
        }
        for (String n : names) {
            if (!n.equals("email") && !n.equals("username")) {
                throw new IllegalArgumentException("unknown identity attribute '" + n + "' (email or username)");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one identity attribute is needed");
        }
        return List.copyOf(names);
    }
}

package dev.gatehouse.account;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code us_totp_secrets} column: a JSON object from method to encrypted secret, in the text
 * form Flask-Security writes ({@code json.dumps}: {@code ", "} and {@code ": "} separators, every
 * non-ASCII character escaped), so either application can read what the other wrote.
 */
final class UsSecretsColumn {
    private static final Logger LOG = LoggerFactory.getLogger(UsSecretsColumn.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UsSecretsColumn() {
    }

    static Map<String, String> parse(String column) {
        if (column == null || column.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode n = JSON.readTree(column);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (e.getValue().isString()) {
                    out.put(e.getKey(), e.getValue().asString());
                }
            }
            return out;
        } catch (JacksonException | IllegalArgumentException e) {
            // A damaged column must not break sign-in for every method: treat it as "none set up".
            LOG.warn("us_totp_secrets is not a JSON object of strings; ignoring it");
            return Map.of();
        }
    }

    static String format(Map<String, String> secrets) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A JSON string as Python's {@code json.dumps} (ensure_ascii) writes it. */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}

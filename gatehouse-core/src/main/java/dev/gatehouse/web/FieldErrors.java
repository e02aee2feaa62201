package dev.gatehouse.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation errors by field, in the order they were found; form-level errors sit under the
 * field name {@code ""}, as in Flask-Security 5.9. Rendered as {@code errors} (every message,
 * flattened) and {@code field_errors}.
 */
public final class FieldErrors {
    private final Map<String, List<String>> byField = new LinkedHashMap<>();

    /** Adds a message for a field ({@code ""} for the whole form). */
    public FieldErrors add(String field, String message) {
        byField.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
        return this;
    }

    /** Whether no error was added. */
    public boolean isEmpty() {
        return byField.isEmpty();
    }

    /** Whether a field has an error already. */
    public boolean has(String field) {
        return byField.containsKey(field);
    }

    /** The errors by field, read-only. */
    public Map<String, List<String>> byField() {
        return Collections.unmodifiableMap(byField);
    }

    /** Every message, in order. */
    public List<String> all() {
        List<String> all = new ArrayList<>();
        byField.values().forEach(all::addAll);
        return all;
    }

    /** A copy without the errors of these fields. */
    public FieldErrors without(String... fields) {
        FieldErrors copy = new FieldErrors();
        java.util.Set<String> drop = java.util.Set.of(fields);
        byField.forEach((f, msgs) -> {
            if (!drop.contains(f)) {
                msgs.forEach(m -> copy.add(f, m));
            }
        });
        return copy;
    }

    /** The first message of a field, or null. */
    public String first(String field) {
        List<String> l = byField.get(field);
        return l == null || l.isEmpty() ? null : l.get(0);
    }
}

package dev.gatehouse.account;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A role, as Flask-Security's {@code role} table holds it: a unique name, a description and a set
 * of permission strings (stored comma-joined).
 *
 * @param id             the database id, or {@code null} before the role is stored
 * @param name           unique role name
 * @param description    free text, may be {@code null}
 * @param permissions    permission names, never {@code null}
 * @param updateDatetime when the role last changed, may be {@code null}
 */
public record Role(Long id, String name, String description, Set<String> permissions, Instant updateDatetime) {

    /** Validates and copies the permissions so the value stays immutable. */
    public Role {
        Objects.requireNonNull(name, "name");
        permissions = permissions == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(permissions));
    }

    /** A role that is not stored yet. */
    public static Role of(String name, String description, Set<String> permissions) {
        return new Role(null, name, description, permissions, null);
    }

    /** Parses Flask-Security's comma-joined permission column ({@code null} or blank gives none). */
    public static Set<String> parsePermissions(String column) {
        if (column == null || column.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(column.split(","))
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Formats permissions the way Flask-Security stores them (comma-joined, sorted for stability). */
    public static String formatPermissions(Set<String> permissions) {
        return permissions.isEmpty() ? null : permissions.stream().sorted().collect(Collectors.joining(","));
    }

    /** A copy with other permissions. */
    public Role withPermissions(Set<String> newPermissions) {
        return new Role(id, name, description, newPermissions, updateDatetime);
    }
}

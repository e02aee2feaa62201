package dev.gatehouse.jpa;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stores a list of strings in one text column, comma-joined, exactly as Flask-Security's
 * {@code AsaList} SQLAlchemy type does: {@code ["a","b"]} is {@code "a,b"}, an empty list is
 * {@code ""}, {@code null} is SQL NULL; reading splits on every comma, and NULL or {@code ""} give
 * an empty list. Used for role permissions, recovery codes and WebAuthn transports; apps may use it
 * for their own list columns.
 */
@Converter
public class AsaListConverter implements AttributeConverter<List<String>, String> {

    /** For JPA. */
    public AsaListConverter() {
    }

    @Override
    public String convertToDatabaseColumn(List<String> values) {
        return values == null ? null : String.join(",", values);
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        if (column == null || column.isEmpty()) {
            return new ArrayList<>();
        }
        // Python's str.split(",") keeps empty pieces, as split with a negative limit does.
        return new ArrayList<>(Arrays.asList(column.split(",", -1)));
    }
}

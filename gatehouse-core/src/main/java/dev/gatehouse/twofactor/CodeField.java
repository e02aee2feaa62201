package dev.gatehouse.twofactor;

import dev.gatehouse.i18n.Messages;
import dev.gatehouse.web.FieldErrors;
import dev.gatehouse.web.Form;
import java.util.Optional;

/**
 * Reads a code field the way Flask-Security's code forms do: a string or a whole number
 * ({@code IsStringOrInt}), required; anything else is an error on that field, never a failure.
 */
public final class CodeField {
    private CodeField() {
    }

    /**
     * The submitted code, stripped; when absent, empty or not a string or number, empty with the
     * error ({@code FIELD_REQUIRED} or {@code API_ERROR}) added under {@code field}.
     */
    public static Optional<String> read(Form form, String field, FieldErrors errors, Messages messages) {
        Form.FieldValue v = form.code(field);
        if (v instanceof Form.FieldValue.NotAString) {
            errors.add(field, messages.get("API_ERROR"));
            return Optional.empty();
        }
        String text = v.textOrNull();
        if (text == null || text.isBlank()) {
            errors.add(field, messages.get("FIELD_REQUIRED"));
            return Optional.empty();
        }
        String code = text.strip();
        // A code sent as a JSON number loses its leading zeros; passlib pads numbers back to six
        // digits, and so do we (for any short run of digits: same code space, same odds).
        if (code.length() < 6 && code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            code = "0".repeat(6 - code.length()) + code;
        }
        return Optional.of(code);
    }
}

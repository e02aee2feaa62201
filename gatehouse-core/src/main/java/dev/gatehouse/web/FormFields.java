package dev.gatehouse.web;

import dev.gatehouse.account.EmailAddresses;
import dev.gatehouse.i18n.Messages;

/**
 * The field checks Flask-Security's forms share, with its messages on the field that failed:
 * strings only ({@code API_ERROR} for any other JSON type), a required and well-formed email,
 * and a new password typed twice. Endpoints run them in the order of Flask-Security's form
 * fields so errors come out the same.
 */
public final class FormFields {
    private final Messages messages;

    /** Checks that report in these messages. */
    public FormFields(Messages messages) {
        this.messages = messages;
    }

    /**
     * An optional string field: its text, or null when absent; a value that is not a string is
     * an {@code API_ERROR} on the field (and null).
     */
    public String text(Form form, String field, FieldErrors errors) {
        Form.FieldValue v = form.string(field);
        if (v instanceof Form.FieldValue.NotAString) {
            errors.add(field, messages.get("API_ERROR"));
            return null;
        }
        return v.textOrNull();
    }

    /**
     * A required string field: null with {@code missingKey}'s message when absent or blank
     * (WTForms' {@code DataRequired}).
     */
    public String required(Form form, String field, String missingKey, FieldErrors errors) {
        Form.FieldValue v = form.string(field);
        if (v instanceof Form.FieldValue.NotAString) {
            errors.add(field, messages.get("API_ERROR"));
            return null;
        }
        if (v.textOrNull() == null || v.textOrNull().isBlank()) {
            errors.add(field, messages.get(missingKey));
            return null;
        }
        return v.textOrNull();
    }

    /**
     * A required email address, normalized ({@code EMAIL_NOT_PROVIDED},
     * {@code INVALID_EMAIL_ADDRESS}); null after an error.
     */
    public String email(Form form, String field, FieldErrors errors) {
        String raw = required(form, field, "EMAIL_NOT_PROVIDED", errors);
        if (raw == null) {
            return null;
        }
        var normalized = EmailAddresses.normalize(raw);
        if (normalized.isEmpty()) {
            errors.add(field, messages.get("INVALID_EMAIL_ADDRESS"));
            return null;
        }
        return normalized.get();
    }

    /**
     * A new password and its retyped copy, as Flask-Security's password and password-confirm
     * fields check them: both strings; the password required when {@code passwordRequired}; the
     * copy must equal it ({@code RETYPE_PASSWORD_MISMATCH}) and, when {@code confirmRequired},
     * be given ({@code PASSWORD_NOT_PROVIDED}, which replaces the mismatch). Returns the password
     * when both checks pass and one was given, else null. The password rules are not applied here.
     *
     * @param confirmField the retype field, or null when the form has none
     */
    public String newPassword(Form form, String field, String confirmField, boolean passwordRequired,
                              boolean confirmRequired, FieldErrors errors) {
        String pw = passwordRequired ? required(form, field, "PASSWORD_NOT_PROVIDED", errors) : text(form, field, errors);
        if (confirmField != null) {
            Form.FieldValue copy = form.string(confirmField);
            if (copy instanceof Form.FieldValue.NotAString) {
                errors.add(confirmField, messages.get("API_ERROR"));
            } else if (confirmRequired && (copy.textOrNull() == null || copy.textOrNull().isBlank())) {
                errors.add(confirmField, messages.get("PASSWORD_NOT_PROVIDED"));
            } else if (!orEmpty(form.string(field).textOrNull()).equals(orEmpty(copy.textOrNull()))) {
                errors.add(confirmField, messages.get("RETYPE_PASSWORD_MISMATCH"));
            }
        }
        if (errors.has(field) || (confirmField != null && errors.has(confirmField)) || pw == null || pw.isEmpty()) {
            return null;
        }
        return pw;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
